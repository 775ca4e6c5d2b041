/**
 * Typo tolerance ("did you mean"): a question term the corpus has never seen is looked up in
 * the term dictionary by edit distance, and the closest corpus term takes its place in the
 * search at a lower weight. The answer says so: "Showing results for *kremlin*".
 *
 * - Only misspellings are corrected: a word of the English lexicon (`lexicon.ts`: WordNet's
 *   lemmas and their inflections, "hacked" is "hack") is a word the corpus lacks, not a
 *   typo — "cook" must not become "took". Numbers and code names with digits are meant as
 *   typed, and a word inside a `"phrase"` must match exactly.
 * - Distance is Damerau's (optimal string alignment): one letter wrong, missing, added or
 *   two letters swapped are one edit each. At most `maxEdits`: none below four letters (too
 *   many short words are one edit apart), one up to seven, two from eight — the shape of
 *   MiniSearch's `fuzzy: 0.2`, counting a swap as one edit. One edit is also tried in the word
 *   as typed, then stemmed, since the stem can hide it ("repyl" → "reply", term `repli`).
 * - Among the closest terms one with the typed first letter wins, then the most frequent;
 *   its weight in the search is 1 − `CORRECTION_COST` × distance / length, so a guessed
 *   word never outweighs a typed one.
 */
import { isEnglishWord } from './lexicon.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { CORRECTION_COST, MAX_CORRECTED_LENGTH, MAX_CORRECTIONS } from './options.ts';

export interface Correction {
  /** The analyzed question term that the corpus does not have. */
  term: string;
  /** The question's word it came from, normalized (`kremln`). */
  typed: string;
  /** The corpus term searched instead. */
  corrected: string;
  /**
   * An English word one edit from the typed one whose stem is `corrected` ("difference" for
   * "diffrence", term `differ`), when there is one: the word meant, which the passages may
   * only write in another form ("differs").
   */
  spelled?: string;
  distance: number;
  /** Its weight in the search (query term boost), below 1. */
  weight: number;
}

/** Edits allowed for a term of this many characters (see the file comment). */
export function maxEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/** A word of letters only: numbers and code names with digits are meant as typed. */
export const LETTERS_ONLY = /^\p{L}+$/u;

/**
 * Corrections for the question terms absent from the corpus. `wordsOf` gives a term's
 * normalized words in the question (asked only for terms the corpus lacks); `exact` terms are left alone. Each term
 * gets at most one correction. It may be a term the question already has: "ban permision but
 * missing permissions" misspells the word it asks again, and is not a question about "permit".
 */
export function correctTerms(
  index: VerbatimIndex,
  terms: readonly string[],
  wordsOf: (term: string) => readonly string[],
  exact: ReadonlySet<string> = new Set(),
): Correction[] {
  const out: Correction[] = [];
  let lookups = 0;
  for (const term of terms) {
    if (lookups >= MAX_CORRECTIONS) break;
    const length = [...term].length;
    const edits = maxEdits(length);
    if (edits === 0 || length > MAX_CORRECTED_LENGTH || exact.has(term) || !LETTERS_ONLY.test(term) || index.hasTerm(term)) continue;
    if (wordsOf(term).some(isEnglishWord)) continue;
    lookups++;
    // Levenshtein within `edits` on the tree, and one edit of the word as typed (below) by
    // exact lookups: a swap is two Levenshtein edits, and asking the tree for two on every
    // short word cost a million-passage index several ms per word.
    const typed = wordsOf(term);
    let best: { term: string; distance: number; documentFrequency: number; initial: boolean } | undefined;
    const consider = (candidate: string, documentFrequency: number, distance = editDistance(term, candidate, edits)) => {
      if (distance > edits) return;
      // Among equally close terms, one that keeps the typed first letter (typos rarely hit it), then the most frequent.
      const initial = typed.some((word) => word[0] === candidate[0]);
      if (!best || distance < best.distance || (distance === best.distance && (initial > best.initial || (initial === best.initial && documentFrequency > best.documentFrequency)))) {
        best = { term: candidate, distance, documentFrequency, initial };
      }
    };
    for (const candidate of index.similarTerms(term, edits)) consider(candidate.term, candidate.documentFrequency);
    // One edit in the word as typed, then stemmed: the stem can hide a typo's distance —
    // "repyl" is one swap from "reply" (term `repli`), "rgistered" one letter from
    // "registered" (`regist`, two edits from `rgister`).
    const stemmed = new Map<string, string[]>();
    for (const word of typed) {
      for (const edited of oneEdit(word)) {
        const candidate = index.analyzer.termOf(edited);
        if (candidate && candidate !== term) stemmed.set(candidate, [...(stemmed.get(candidate) ?? []), edited]);
      }
    }
    // Only through an English word ("address" for "adress"): the stemmer also makes corpus terms of
    // non-words one edit away ("adness" → `ad`), a match only a term this close may keep ("wbehook").
    for (const [candidate, df] of index.termFrequencies(stemmed.keys())) {
      if (stemmed.get(candidate)!.some(isEnglishWord) || editDistance(term, candidate, edits) <= edits) consider(candidate, df, 1);
    }
    if (!best) continue;
    const longest = Math.max(length, [...best.term].length);
    const spelled = stemmed.get(best.term)?.find(isEnglishWord);
    out.push({ term, typed: typed[0] ?? term, corrected: best.term, ...(spelled ? { spelled } : {}), distance: best.distance, weight: 1 - (CORRECTION_COST * best.distance) / longest });
  }
  return out;
}

const ALPHABET = [...'abcdefghijklmnopqrstuvwxyz'];

/**
 * The words one edit from `word` (by code point): a letter dropped, two neighbours swapped,
 * a letter replaced or added — Norvig's `edits1`, over a–z and the word's own letters.
 * About 54 per letter: a nine-letter word gives ~500, looked up in the term tree.
 */
function oneEdit(word: string): Set<string> {
  const chars = [...word];
  const letters = [...new Set([...ALPHABET, ...chars])];
  const out = new Set<string>(neighbourSwaps(word));
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i).join('');
    const after = chars.slice(i + 1).join(''); // the tail less its first letter
    if (i < chars.length) out.add(head + after);
    for (const letter of letters) {
      out.add(head + letter + tail);
      if (i < chars.length && letter !== chars[i]) out.add(head + letter + after);
    }
  }
  out.delete(word);
  return out;
}

/** The strings made by swapping two neighbouring characters of `term` (by code point). */
function neighbourSwaps(term: string): string[] {
  const chars = [...term];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] === chars[i + 1]) continue;
    const swapped = [...chars];
    [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    out.push(swapped.join(''));
  }
  return out;
}

/**
 * Optimal string alignment distance between `a` and `b` (by code point), or `limit + 1` as
 * soon as it must exceed `limit`. Words are short: a plain dynamic programme is enough.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  const width = y.length + 1;
  let before = new Array<number>(width).fill(0); // row i - 2
  let previous = Array.from({ length: width }, (_, j) => j); // row i - 1
  for (let i = 1; i <= x.length; i++) {
    const row = new Array<number>(width);
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return Math.min(previous[y.length]!, limit + 1);
}
