/**
 * Picks what to show of a passage: the whole passage when it is short, otherwise the best
 * run of whole sentences covering the matched terms, marked with `…` where it was cut.
 * Every piece between `…` marks is the source text with whitespace folded (a list item on its
 * own line), and the line range returned is the one that holds it. Code is quoted as it is:
 * whole lines, never folded, and cut only between lines (`code`). Table rows are quoted a row
 * per line, each row's whitespace (its padding) folded, and cut only between rows (`rows`).
 */
import type { Analyzer } from './analyzer.ts';
import { analyzedText, type Markup } from './passage.ts';
import { sentenceRanges } from './text.ts';
import { CODE_QUOTE_MAX_CHARS, QUOTE_MAX_CHARS } from './options.ts';


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
 * @param code quote as code: whole lines, exactly as they are (nothing folded or marked:
 *   the lines say where it is), up to `CODE_QUOTE_MAX_CHARS`
 * @param markup the passage's markup (`Passage.markup`): shown, never matched
 * @param rows quote as table rows: whole rows, one per line, each with its whitespace folded
 *   (nothing marked: the lines say where they are)
 * @param headerLines with `rows`, how many of the first lines are the table's header row and
 *   delimiter row: never quoted from a cut table, whose header is shown above the rows
 * @param fromStart cut a long passage after its first sentences (code: lines), not around its best ones
 */
export function pickQuote(
  text: string,
  firstLine: number,
  weights: ReadonlyMap<string, number>,
  analyzer: Analyzer,
  { code = false, rows = false, headerLines = 0, maxChars = code ? CODE_QUOTE_MAX_CHARS : QUOTE_MAX_CHARS, markup, fromStart = false }: { code?: boolean; rows?: boolean; headerLines?: number; maxChars?: number; markup?: Markup; fromStart?: boolean } = {},
): Quote {
  // What the analyzer reads, offset for offset the text: words are matched in it, shown from `text`.
  const analyzed = analyzedText(text, markup);
  let start = 0;
  let end = text.length;
  if (text.length > maxChars) {
    // A cut table is quoted from its rows: its header is shown above them (`tableHeader`).
    const units = code || rows ? lineRanges(text).slice(rows ? headerLines : 0) : sentenceRanges(text);
    if (units.length > 1) [start, end] = fromStart ? firstRun(units, maxChars) : bestRun(analyzed, units, weights, analyzer, maxChars);
  }
  const [body, matchedBody] = code
    ? [text.slice(start, end), analyzed.slice(start, end)]
    : rows
      ? foldRows(text.slice(start, end), analyzed.slice(start, end))
      : foldProse(text.slice(start, end), analyzed.slice(start, end));
  const marked = !code && !rows;
  const prefix = start > 0 && marked ? '… ' : '';
  const quote = prefix + body + (end < text.length && marked ? ' …' : '');
  const lines: [number, number] = [firstLine + countNewlines(text, 0, start), firstLine + countNewlines(text, 0, end - 1)];
  const highlights: Array<[number, number]> = [];
  for (const token of analyzer.tokens(matchedBody)) {
    if (weights.has(token.term)) highlights.push([token.start + prefix.length, token.end + prefix.length]);
  }
  return { quote, lines, highlights };
}

/**
 * Table rows (`text`, its analyzed `shadow`) one per line, each folded as prose is (a row's
 * padding is not worth its characters; a row has no line break to keep), blank lines left out.
 */
function foldRows(text: string, shadow: string): [string, string] {
  const rows = lineRanges(text).map(([start, end]) => foldProse(text.slice(start, end), shadow.slice(start, end)));
  return [rows.map(([row]) => row).join('\n'), rows.map(([, analyzed]) => analyzed).join('\n')];
}

/** A list item's marker opening a line: `- `, `* `, `+ `, `1. `, `1) `. */
const ITEM_START = /^(?:[-*+]|\d{1,9}[.)])[ \t]/u;

/**
 * Prose (`text`, its analyzed `shadow`) with its whitespace folded as `foldWhitespace`
 * (text.ts) folds it, but for a line break before a list item's marker, kept: a list's items read
 * a line each, not as one run ("… - `ECONNRESET` - `ETIMEDOUT` …"). Each break is one character
 * as the space it stands for, so offsets into the one are offsets into the other.
 */
function foldProse(text: string, shadow: string): [string, string] {
  let body = '';
  let matched = '';
  let at = 0;
  for (const space of text.matchAll(/\s+/gu)) {
    const end = space.index + space[0].length;
    const gap = space[0].includes('\n') && ITEM_START.test(text.slice(end, end + 12)) ? '\n' : ' ';
    body += text.slice(at, space.index) + gap;
    matched += shadow.slice(at, space.index) + gap;
    at = end;
  }
  body += text.slice(at);
  matched += shadow.slice(at);
  const from = /^\s/u.test(text) ? 1 : 0;
  const to = /\s$/u.test(text) && body.length > from ? body.length - 1 : body.length;
  return [body.slice(from, to), matched.slice(from, to)];
}

/** The non-blank lines of `text` as ranges, without their line ends. */
function lineRanges(text: string): Array<[number, number]> {
  const lines: Array<[number, number]> = [];
  for (let at = 0; at <= text.length; ) {
    const newline = text.indexOf('\n', at);
    const next = newline === -1 ? text.length : newline;
    const lineEnd = next > at && text[next - 1] === '\r' ? next - 1 : next;
    if (text.slice(at, lineEnd).trim()) lines.push([at, lineEnd]);
    at = next + 1;
  }
  return lines;
}

/** The run of consecutive units (sentences, lines) within `maxChars` that covers the most matched weight. */
function bestRun(
  text: string,
  sentences: Array<[number, number]>,
  weights: ReadonlyMap<string, number>,
  analyzer: Analyzer,
  maxChars: number,
): [number, number] {
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

/** The first units (at least one) that fit in `maxChars`. */
function firstRun(units: Array<[number, number]>, maxChars: number): [number, number] {
  let last = 0;
  while (last + 1 < units.length && units[last + 1]![1] - units[0]![0] <= maxChars) last++;
  return [units[0]![0], units[last]![1]];
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
