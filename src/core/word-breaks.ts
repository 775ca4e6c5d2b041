/**
 * A word the corpus writes as two: "rerendering" asked of docs that write "re-rendering",
 * "healthcheck" of docs that say "health check". A question word the corpus lacks is tried
 * split in two at each letter, each half a word the corpus has (not a stopword), and a split
 * is kept only where the corpus writes the halves side by side, joined as a reader sees it: a
 * phrase check over the first passages that have both (`VerbatimIndex.passageWithPhrase`). It
 * is searched as its halves, as shorthand is searched as its full words, and the answer says
 * so in the corpus's own writing: "Showing results for *re-rendering* (you typed
 * rerendering)". Without it the spelling fix took "rerendering" for "resend", one letter away.
 *
 * This is Lucene's `WordBreakSpellChecker` with the text as the judge instead of frequency
 * alone: "plants" is "plan" + "ts" and "password" "pass" + "word" by the dictionary, but no
 * corpus writes those side by side. The other direction, two question words the corpus
 * writes as one ("log in" → login), is `joinedWords` in `search-terms.ts`.
 */
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { analyzedText, type Passage } from './passage.ts';
import type { Expansion } from './shorthand.ts';
import { editDistance, LETTERS_ONLY } from './spelling.ts';
import { normalizeWord } from './analyzer.ts';
import { MAX_CORRECTED_LENGTH, MAX_WORD_BREAK_CHECKS, WORD_BREAK_CANDIDATES } from './options.ts';

/** Letters of each half at least: "a" + "sync" is no split a reader would make. */
const MIN_HALF = 2;
/**
 * What may stand between the halves where the corpus writes them, besides spaces (a line
 * break, markup blanked out): one hyphen, dash, slash, dot or underscore — "re-render",
 * "node.js". Not a link's "](/", where a link's text merely abuts its address.
 */
const JOINERS = new Set(['-', '\u2010', '\u2011', '\u2013', '\u2014', '/', '.', '_']);
/** Characters between the halves at most, markup blanked out included. */
const MAX_JOINER_LENGTH = 8;

/**
 * Splits of the question terms the corpus lacks into two words it writes side by side, as
 * expansions (`typed` the question's word, `shown` the corpus's writing of the halves).
 * `wordsOf` gives a term's normalized words in the question; `exact` terms (inside a
 * `"phrase"`) are left alone. At most `MAX_WORD_BREAK_CHECKS` phrase checks a question.
 */
export function breakWords(index: VerbatimIndex, terms: readonly string[], wordsOf: (term: string) => readonly string[], exact: ReadonlySet<string> = new Set()): Expansion[] {
  const out: Expansion[] = [];
  let checks = 0;
  for (const term of terms) {
    if (exact.has(term) || index.hasTerm(term)) continue;
    const word = wordsOf(term).find((typed) => LETTERS_ONLY.test(typed));
    if (word === undefined) continue;
    const chars = [...word];
    if (chars.length < 2 * MIN_HALF + 1 || chars.length > MAX_CORRECTED_LENGTH) continue;
    // Every split whose halves are both corpus words, the one with the commoner rarer half first.
    const splits: Array<{ head: string; tail: string; headTerm: string; tailTerm: string; frequency: number }> = [];
    for (let at = MIN_HALF; at <= chars.length - MIN_HALF; at++) {
      const head = chars.slice(0, at).join('');
      const tail = chars.slice(at).join('');
      const headTerm = index.analyzer.term(head);
      const tailTerm = index.analyzer.term(tail);
      if (!headTerm || !tailTerm) continue;
      const frequency = Math.min(index.documentFrequency(headTerm), index.documentFrequency(tailTerm));
      if (frequency > 0) splits.push({ head, tail, headTerm, tailTerm, frequency });
    }
    splits.sort((a, b) => b.frequency - a.frequency);
    for (const { head, tail, headTerm, tailTerm } of splits) {
      if (checks >= MAX_WORD_BREAK_CHECKS) return out;
      checks++;
      const written = (passage: Passage) => writtenAs(index, passage, headTerm, tailTerm, word);
      const passage = index.passageWithPhrase([head, tail], WORD_BREAK_CANDIDATES, (candidate) => written(candidate) !== undefined);
      const shown = passage && written(passage);
      if (shown === undefined) continue;
      out.push({ term, typed: word, shown, terms: [...new Set([headTerm, tailTerm])] });
      break;
    }
  }
  return out;
}

/** Whether what stands between two words is what a reader sees as joining them (`JOINERS`). */
function joinsWords(between: string): boolean {
  if (between.length > MAX_JOINER_LENGTH) return false;
  const marks = between.replace(/\s/gu, '');
  return marks === '' || (marks.length === 1 && JOINERS.has(marks));
}

/**
 * How `passage` writes the two terms side by side, lower-cased and spaces folded: of its forms
 * ("re-renders", "re-rendering") the nearest to the `typed` word ("rerendering"); none when
 * it does not write them joined as a reader sees it (`joinsWords`).
 */
function writtenAs(index: VerbatimIndex, passage: Passage, headTerm: string, tailTerm: string, typed: string): string | undefined {
  const text = analyzedText(passage.text, passage.markup);
  const tokens = index.analyzer.tokens(text);
  let nearest: { form: string; distance: number } | undefined;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [first, second] = [tokens[i]!, tokens[i + 1]!];
    if (first.term !== headTerm || second.term !== tailTerm || !joinsWords(text.slice(first.end, second.start))) continue;
    const form = text.slice(first.start, second.end).replace(/\s+/gu, ' ').toLowerCase();
    const distance = editDistance(typed, normalizeWord(text.slice(first.start, first.end)) + normalizeWord(text.slice(second.start, second.end)), MAX_CORRECTED_LENGTH);
    if (!nearest || distance < nearest.distance) nearest = { form, distance };
  }
  return nearest?.form;
}
