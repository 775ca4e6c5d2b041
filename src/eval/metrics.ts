/**
 * Retrieval metrics, computed as trec_eval does: a ranked list of document ids against
 * graded judgments (gain > 0 is relevant). Pure functions.
 */

/** nDCG@k with linear gains (the gain is the judgment's grade), log2 discount. */
export function ndcgAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranking.length); i++) {
    const gain = judged.get(ranking[i]!) ?? 0;
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i]! / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Share of the relevant documents found in the first k. */
export function recallAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  const relevant = [...judged.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranking.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** Reciprocal rank of the first relevant document within the first k, else 0. */
export function mrrAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  for (let i = 0; i < Math.min(k, ranking.length); i++) {
    if ((judged.get(ranking[i]!) ?? 0) > 0) return 1 / (i + 1);
  }
  return 0;
}

export interface RunMetrics {
  queries: number;
  'ndcg@10': number;
  'recall@100': number;
  'mrr@10': number;
}

/** Averages the metrics over every judged query (a query with no ranking scores 0). */
export function evaluateRun(run: ReadonlyMap<string, readonly string[]>, qrels: ReadonlyMap<string, ReadonlyMap<string, number>>): RunMetrics {
  let ndcg = 0;
  let recall = 0;
  let mrr = 0;
  for (const [queryId, judged] of qrels) {
    const ranking = run.get(queryId) ?? [];
    ndcg += ndcgAt(ranking, judged, 10);
    recall += recallAt(ranking, judged, 100);
    mrr += mrrAt(ranking, judged, 10);
  }
  const n = qrels.size || 1;
  return { queries: qrels.size, 'ndcg@10': ndcg / n, 'recall@100': recall / n, 'mrr@10': mrr / n };
}
