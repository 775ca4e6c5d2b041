/**
 * Picks what to show of a passage: the whole passage when it is short, otherwise the best
 * run of whole sentences covering the matched terms, marked with `…` where it was cut.
 * Every piece between `…` marks is the source text with whitespace folded, and the line
 * range returned is the one that holds it.
 */
import type { Analyzer } from './analyzer.ts';
import { foldWhitespace, sentenceRanges } from './text.ts';

/** Passages up to this length are quoted whole. */
export const QUOTE_MAX_CHARS = 500;

export interface Quote {
  quote: string;
  lines: [number, number];
  /** `[start, end)` ranges in `quote` of words matching a query term. */
  highlights: Array<[number, number]>;
}

/**
 * @param text passage text (exact source slice)
 * @param firstLine line number of the passage's first character
 * @param weights weight of each matched query term (e.g. its IDF)
 */
export function pickQuote(
  text: string,
  firstLine: number,
  weights: ReadonlyMap<string, number>,
  analyzer: Analyzer,
  maxChars = QUOTE_MAX_CHARS,
): Quote {
  let start = 0;
  let end = text.length;
  if (text.length > maxChars) [start, end] = bestSentenceRun(text, weights, analyzer, maxChars);
  const body = foldWhitespace(text.slice(start, end));
  const prefix = start > 0 ? '… ' : '';
  const quote = prefix + body + (end < text.length ? ' …' : '');
  const lines: [number, number] = [firstLine + countNewlines(text, 0, start), firstLine + countNewlines(text, 0, end - 1)];
  const highlights: Array<[number, number]> = [];
  for (const token of analyzer.tokens(body)) {
    if (weights.has(token.term)) highlights.push([token.start + prefix.length, token.end + prefix.length]);
  }
  return { quote, lines, highlights };
}

function bestSentenceRun(
  text: string,
  weights: ReadonlyMap<string, number>,
  analyzer: Analyzer,
  maxChars: number,
): [number, number] {
  const sentences = sentenceRanges(text);
  if (sentences.length <= 1) return [0, text.length];
  const termsOf = sentences.map(([s, e]) => new Set(analyzer.terms(text.slice(s, e)).filter((t) => weights.has(t))));
  let best: [number, number] = sentences[0]!;
  let bestScore = -1;
  for (let i = 0; i < sentences.length; i++) {
    const covered = new Set<string>();
    let hits = 0;
    for (let j = i; j < sentences.length; j++) {
      const length = sentences[j]![1] - sentences[i]![0];
      if (j > i && length > maxChars) break;
      for (const term of termsOf[j]!) covered.add(term);
      hits += termsOf[j]!.size;
      let score = 0;
      for (const term of covered) score += weights.get(term)!;
      // Prefer covering more weight; then denser (more hits); then shorter.
      score = score * 1000 + hits - length / 10000;
      if (score > bestScore) {
        bestScore = score;
        best = [sentences[i]![0], sentences[j]![1]];
      }
    }
  }
  return best;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
