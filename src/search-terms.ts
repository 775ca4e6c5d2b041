/**
 * From a parsed question to the terms searched: the question's own terms, with each
 * misspelling the corpus has never seen replaced by the closest corpus word at a lower weight
 * (`spelling.ts`). Shared by `ask` and the evaluation, so what is measured is what is asked.
 *
 * Tried and left out: WordNet synonyms for English words the corpus lacks ("envoy" →
 * "emissary"). No effect on SciFact train or SQuAD (their questions' words are in their
 * corpora), and noisy where they act: "fins" became "five", "charged" "complaint".
 */
import { normalizeWord } from './analyzer.ts';
import type { ParsedQuery } from './query.ts';
import type { VerbatimIndex } from './search-index.ts';
import { isEnglishWord } from './lexicon.ts';
import { correctTerms, type Correction } from './spelling.ts';

export interface SearchTerms {
  /**
   * Distinct terms to rank by, and to judge whether the corpus answers on
   * (`answerability.ts`): the question's, misspellings corrected.
   */
  searchTerms: string[];
  /** Each search term's weight (query term frequency × the weight of a substitute). */
  termFrequency: Map<string, number>;
  corrections: Correction[];
  /** Search terms the corpus lacks whose words are English (`lexicon.ts`). */
  absentEnglish: Set<string>;
}

export interface SearchTermOptions {
  /** Search misspellings as corpus words. Default true; `false` measures what it adds. */
  correct?: boolean;
}

export function searchTermsFor(index: VerbatimIndex, query: ParsedQuery, options: SearchTermOptions = {}): SearchTerms {
  const phraseTerms = new Set(query.phrases.flat().map((word) => index.analyzer.term(word)).filter(Boolean));
  const asked = query.terms.length ? query.terms : [...phraseTerms];
  let words: Map<string, string[]> | undefined;
  const wordsOf = (term: string) => (words ??= questionWords(index, query.text)).get(term) ?? [];
  const corrections = options.correct === false ? [] : correctTerms(index, asked, wordsOf, phraseTerms);
  const correctionOf = new Map(corrections.map((correction) => [correction.term, correction]));
  const termFrequency = new Map<string, number>();
  for (const term of asked) {
    const correction = correctionOf.get(term);
    const key = correction?.corrected ?? term;
    const weight = (query.termFrequency.get(term) ?? 1) * (correction?.weight ?? 1);
    termFrequency.set(key, Math.max(termFrequency.get(key) ?? 0, weight));
  }
  const searchTerms = [...termFrequency.keys()];
  const absentEnglish = new Set(searchTerms.filter((term) => index.documentFrequency(term) === 0 && wordsOf(term).some(isEnglishWord)));
  return { searchTerms, termFrequency, corrections, absentEnglish };
}

/** Each term of a question with the normalized words it came from ("hacked" for `hack`). */
function questionWords(index: VerbatimIndex, question: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { term, start, end } of index.analyzer.tokens(question)) {
    const words = out.get(term) ?? [];
    words.push(normalizeWord(question.slice(start, end)));
    out.set(term, words);
  }
  return out;
}

