/**
 * Whether a passage answers the question at all ("Not found in the corpus" otherwise): a
 * tiny logistic model over signals that separate an answer from a passage that merely shares
 * words with the question. Its coefficients are fitted by `npm run -s fit-answerability`
 * on SQuAD2-dev-subset (questions against their own corpus: answerable; against the news
 * corpus: not) and SciFact **train** claims against the news corpus (not), and written here.
 *
 * The old rule asked for half of the question's IDF weight, a word absent from the corpus
 * weighing the most: a paraphrase ("describe", "announcement") sank below it. Here words
 * the corpus has never seen count separately (`outOfVocabulary`), beside what was matched:
 * its share of the weight, its share of the words, and how much rare evidence it is.
 */

/** What the model reads about one passage for one question. */
export interface AnswerSignals {
  /** Share of the question's IDF weight matched, a word absent from the corpus weighing the most (the old rule). */
  coverage: number;
  /** Share of the question's words that never occur in the corpus and are not English (names, jargon). */
  outOfVocabulary: number;
  /** Share of the question's words that never occur in the corpus but are English words. */
  absentEnglish: number;
  /** Share of the question's words matched. */
  matchedShare: number;
  /** Matched IDF in units of the largest IDF: how much rare evidence the passage has. */
  matchedEvidence: number;
  /** Share of the question's words matched that are not English words: names and jargon the corpus shares. */
  matchedNames: number;
}

export const SIGNAL_NAMES = ['coverage', 'outOfVocabulary', 'absentEnglish', 'matchedShare', 'matchedEvidence', 'matchedNames'] as const satisfies ReadonlyArray<keyof AnswerSignals>;

export interface AnswerModel {
  intercept: number;
  weights: Record<keyof AnswerSignals, number>;
  /** A passage is an answer when its probability is at least this. */
  threshold: number;
}

/** Term statistics of one question against the index. */
export interface QuestionTerm {
  term: string;
  /** Passages containing it (0: out of vocabulary). */
  df: number;
  idf: number;
  /** An English word (`lexicon.ts`), not a name or jargon. */
  english?: boolean;
}

/**
 * The signals of a passage that matched `matched` of the question's `terms`. `maxIdf` is
 * the IDF of a word in no passage (the weight an out-of-vocabulary word gets).
 */
export function answerSignals(terms: readonly QuestionTerm[], matched: ReadonlySet<string>, maxIdf: number): AnswerSignals {
  let total = 0;
  let matchedWeight = 0;
  let matchedInVocabulary = 0;
  let outOfVocabulary = 0;
  let absentEnglish = 0;
  let matchedCount = 0;
  let matchedNames = 0;
  for (const { term, df, idf, english } of terms) {
    const weight = df === 0 ? maxIdf : idf;
    total += weight;
    if (df === 0 && english) absentEnglish++;
    else if (df === 0) outOfVocabulary++;
    if (!matched.has(term)) continue;
    matchedCount++;
    matchedWeight += weight;
    if (df > 0) matchedInVocabulary += idf;
    if (df > 0 && !english) matchedNames++;
  }
  const n = terms.length;
  return {
    coverage: total > 0 ? matchedWeight / total : 0,
    outOfVocabulary: n > 0 ? outOfVocabulary / n : 0,
    absentEnglish: n > 0 ? absentEnglish / n : 0,
    matchedShare: n > 0 ? matchedCount / n : 0,
    matchedEvidence: maxIdf > 0 ? matchedInVocabulary / maxIdf : 0,
    matchedNames: n > 0 ? matchedNames / n : 0,
  };
}

export function answerProbability(signals: AnswerSignals, model: AnswerModel = ANSWER_MODEL): number {
  let z = model.intercept;
  for (const name of SIGNAL_NAMES) z += model.weights[name] * signals[name];
  return 1 / (1 + Math.exp(-z));
}

export function isAnswer(signals: AnswerSignals, model: AnswerModel = ANSWER_MODEL): boolean {
  return answerProbability(signals, model) >= model.threshold;
}

/**
 * Fitted by `npm run -s fit-answerability` (class-balanced logistic regression, raw signals),
 * on the terms `ask` judges (misspellings corrected, `search-terms.ts`). On its training
 * questions: SQuAD2-dev-subset against its own corpus 683/705 answered (the old rule: 567);
 * against the news corpus 1/705; SciFact train claims against the news corpus 0/809. The
 * threshold is the lowest at which at most 0.1% of the wrong-corpus questions are answered.
 * Every weight has the sign its signal calls for, so matching one more word of the question
 * never makes a passage less of an answer. A word the corpus lacks weighs less against an
 * answer when it is English (-7.3: the question may say it in other words) than when it is
 * not (-10.6: a name or term the corpus has never heard of); a name or term the corpus does
 * have, matched, is evidence of its own (+2.2: "How did Peskov describe the United States?"
 * went from 0.86 to 0.91). (Four more signals were tried — coverage of the in-vocabulary
 * words, rarest word matched and missed, question length, and how close together the matched
 * words stand: they fitted with signs that made the model non-monotone, and added less than
 * 2% answered.)
 */
export const ANSWER_MODEL: AnswerModel = {
  intercept: -2.127,
  weights: { coverage: 4.303, outOfVocabulary: -10.55, absentEnglish: -7.342, matchedShare: 6.321, matchedEvidence: 1.305, matchedNames: 2.207 },
  threshold: 0.88,
};
