/**
 * Ranking parameters. Chosen on SciFact **train** and SQuAD2-dev-subset only (see
 * `npm run eval` and README "Quality"); SciFact test and Cranfield are for reporting.
 */
export interface RankingOptions {
  /** BM25 term-frequency saturation. Example: `0.9` (Lucene/Anserini default). */
  k1: number;
  /** BM25 length normalization, 0–1. Example: `0.4`. */
  b: number;
  /** BM25+ lower bound for a matching term, 0 for classic BM25. Example: `0.5`. */
  d: number;
  /** Weight of a match in the document title relative to the passage text. Example: `2`. */
  titleBoost: number;
  /**
   * Coordination: each score is multiplied by (matched share of the question's IDF
   * weight)^coverageExponent, so passages that match more of the question rank higher.
   * 0 turns it off. Example: `1`.
   */
  coverageExponent: number;
}

export const DEFAULT_RANKING: Readonly<RankingOptions> = Object.freeze({
  k1: 1.2,
  b: 0.6,
  d: 0,
  titleBoost: 0.5,
  coverageExponent: 2,
});
