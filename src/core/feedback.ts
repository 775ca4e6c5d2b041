/**
 * Pseudo-relevance feedback (RM3: Lavrenko & Croft's relevance model, as Anserini applies
 * it), here as a re-ranking of the best `DOCUMENT_POOL` passages: the words those passages
 * share say what the question is about beyond its own words, so the passages that use them
 * most rise. Each gains `feedbackWeight` × the best score × its BM25 score on the feedback
 * words ÷ the highest such score. Its matched question words do not change, so whether the
 * corpus answers is judged as before.
 *
 * Chosen on SciFact train and SQuAD (README "Quality"). Feeding back from and reordering
 * the best 20 passages gained more there (+0.006 / +0.002 nDCG@10 against +0.004 / +0.001)
 * but cost ~2.5 ms a question at a million passages (p50 4.9 ms, p99 28 ms); reordering
 * the pool the file evidence already fetches costs ~0.5 ms.
 */
import type { Analyzer } from './analyzer.ts';
import { analyzedText, type Markup } from './passage.ts';
import { DOCUMENT_POOL, FEEDBACK_NEAR_DUPLICATE, FEEDBACK_TERMS, FEEDBACK_TEXT_CHARS } from './options.ts';
import type { RankingOptions } from './ranking.ts';

interface Scored {
  score: number;
  passage: { text: string; markup?: Markup };
}

/** What feedback needs from the index (a `VerbatimIndex` has it). */
export interface FeedbackIndex {
  analyzer: Analyzer;
  idf(term: string): number;
  /** Average passage length in distinct terms (as BM25 counts a field's length here). */
  averagePassageLength: number;
  ranking: FeedbackRanking;
}

type FeedbackRanking = Pick<RankingOptions, 'k1' | 'b' | 'feedbackWeight'>;

/**
 * `hits` (best first) with the first `DOCUMENT_POOL` reordered by the words they share;
 * the rest follow as they were. `asked` are the terms searched, never feedback words.
 * `ranking` overrides the index's own parameters (evaluation, tuning).
 */
export function rerankWithFeedback<T extends Scored>(index: FeedbackIndex, hits: readonly T[], asked: ReadonlySet<string>, ranking: FeedbackRanking = index.ranking): T[] {
  const { k1, b, feedbackWeight } = ranking;
  if (feedbackWeight <= 0 || hits.length < 2) return [...hits];
  const pool = hits.slice(0, DOCUMENT_POOL);
  const counts = pool.map((hit) => termCounts(index.analyzer, analyzedText(hit.passage.text, hit.passage.markup)));
  const feedback = relevanceModel(pool, counts, asked);
  if (feedback.size === 0) return [...hits];
  const idf = new Map([...feedback.keys()].map((term) => [term, index.idf(term)]));
  const feedbackScores = counts.map((tf) => {
    const norm = k1 * (1 - b + (b * tf.size) / Math.max(index.averagePassageLength, 1));
    let sum = 0;
    for (const [term, weight] of feedback) {
      const f = tf.get(term);
      if (f) sum += (weight * idf.get(term)! * f * (k1 + 1)) / (f + norm);
    }
    return sum;
  });
  const highest = Math.max(...feedbackScores);
  if (highest <= 0) return [...hits];
  const scale = (feedbackWeight * pool[0]!.score) / highest;
  const reordered = pool
    .map((hit, rank) => ({ hit, rank, score: hit.score + scale * feedbackScores[rank]! }))
    .sort((x, y) => y.score - x.score || x.rank - y.rank)
    .map(({ hit, score }) => ({ ...hit, score }));
  return [...reordered, ...hits.slice(DOCUMENT_POOL)];
}

/**
 * The relevance model: each term's share of a passage, weighted by that passage's share of
 * the pool's scores, shared among its near-copies in the pool (`nearlySame`: documentation
 * repeats a snippet on several pages, and two copies would otherwise lift each other over the
 * page that answers); the `FEEDBACK_TERMS` most probable terms not asked, their weights
 * scaled to average 1.
 */
function relevanceModel(pool: readonly Scored[], counts: readonly Map<string, number>[], asked: ReadonlySet<string>): Map<string, number> {
  const total = pool.reduce((sum, hit) => sum + hit.score, 0);
  if (total <= 0) return new Map();
  const model = new Map<string, number>();
  const copies = counts.map((tf) => counts.filter((other) => nearlySame(tf, other)).length);
  pool.forEach((hit, i) => {
    const tf = counts[i]!;
    let length = 0;
    for (const n of tf.values()) length += n;
    const share = hit.score / total / copies[i]!;
    for (const [term, n] of tf) if (!asked.has(term)) model.set(term, (model.get(term) ?? 0) + share * (n / length));
  });
  const top = [...model].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, FEEDBACK_TERMS);
  const sum = top.reduce((s, [, p]) => s + p, 0);
  return new Map(top.map(([term, p]) => [term, (p / sum) * top.length]));
}

/** Whether two passages share at least `FEEDBACK_NEAR_DUPLICATE` of their distinct terms (Jaccard). */
function nearlySame(x: ReadonlyMap<string, number>, y: ReadonlyMap<string, number>): boolean {
  if (x === y) return true;
  let shared = 0;
  for (const term of x.keys()) if (y.has(term)) shared++;
  return shared >= FEEDBACK_NEAR_DUPLICATE * (x.size + y.size - shared);
}

/**
 * A passage's terms, from at most its first `FEEDBACK_TEXT_CHARS` characters: passages are
 * ~700 characters, but a code block with no line break to cut at stays whole, and a question
 * must not pay for reading a megabyte of it.
 */
function termCounts(analyzer: Analyzer, text: string): Map<string, number> {
  const tf = new Map<string, number>();
  analyzer.scanWords(text.length > FEEDBACK_TEXT_CHARS ? text.slice(0, FEEDBACK_TEXT_CHARS) : text, (word) => {
    const term = analyzer.term(word);
    if (term) tf.set(term, (tf.get(term) ?? 0) + 1);
  });
  return tf;
}
