/**
 * Runs a BEIR collection through Verbatim's own pipeline: every document is cut by the
 * same chunker and analyzed by the same analyzer as a corpus file, and documents are
 * ranked by their best passage.
 */
import { ask, type Answer } from '../core/answer.ts';
import { chunkDocument } from '../core/chunk.ts';
import { parseQuery, QueryError, type ParsedQuery } from '../core/query.ts';
import { rerankWithFeedback } from '../core/feedback.ts';
import { withFileScores, type RankingOptions } from '../core/ranking.ts';
import { VerbatimIndex, type NewFileRecord } from '../engine/verbatim-index.ts';
import { searchTermsFor, type SearchTermOptions } from '../core/search-terms.ts';
import type { BeirDataset, BeirDocument } from './beir.ts';
import { evaluateRun, type RunMetrics } from './metrics.ts';

/** Passages fetched per query before grouping by document (enough for Recall@100). */
const PASSAGES_PER_QUERY = 1000;
export const DOCUMENTS_PER_QUERY = 100;

export function indexDataset(documents: readonly BeirDocument[], ranking?: RankingOptions): VerbatimIndex {
  const index = new VerbatimIndex(ranking ? { ranking } : {});
  const files: NewFileRecord[] = documents.map((doc) => {
    // The title is the title field; the body is chunked (a title-only document is its own body).
    const { chunks } = chunkDocument(doc.text.trim() ? doc.text : doc.title);
    return { source: doc.id, size: doc.text.length, mtimeMs: 0, sha256: '', title: doc.title, chunks };
  });
  index.apply(files, []);
  return index;
}

/**
 * Document ids ranked by their best passage's score plus `documentWeight` × their second
 * best's (over every passage retrieved), after feedback has reordered the best passages as
 * in `ask` (`rerankWithFeedback`), then with their whole-file BM25 as `rerankByFile` weighs it.
 */
export function rankDocuments(index: VerbatimIndex, question: string, limit = DOCUMENTS_PER_QUERY, ranking?: RankingOptions, terms?: SearchTermOptions): string[] {
  let parsed: ParsedQuery;
  try {
    parsed = parseQuery(question, index.analyzer);
  } catch (error) {
    if (error instanceof QueryError) return [];
    throw error;
  }
  // Each document's best and second best passage scores (hits come best first).
  const scores = new Map<string, [number, number]>();
  // The terms `ask` searches: misspellings and English words the corpus lacks replaced.
  const { searchTerms, termFrequency } = searchTermsFor(index, parsed, terms);
  const hits = index.search({ terms: searchTerms, termFrequency, limit: PASSAGES_PER_QUERY, ranking });
  for (const hit of rerankWithFeedback(index, hits, new Set(searchTerms), ranking)) {
    for (const source of new Set([hit.passage.source, ...hit.passage.also.map((loc) => loc.source)])) {
      const known = scores.get(source);
      if (!known) scores.set(source, [hit.score, 0]);
      else if (known[1] === 0) known[1] = hit.score;
    }
  }
  const { documentWeight, documentFileWeight: fileWeight } = ranking ?? index.ranking;
  const sources = [...scores.keys()];
  const passageScores = [...scores.values()].map(([best, second]) => best + documentWeight * second);
  // As `rerankByFile`: each file's passage evidence and its whole-file BM25, each relative to the best.
  const fileScores = fileWeight > 0 ? index.fileScores(termFrequency, sources, ranking) : sources.map(() => 0);
  const weighed = withFileScores(passageScores, fileScores, fileWeight);
  return sources
    .map((source, rank) => ({ source, rank, score: weighed[rank]! }))
    .sort((a, b) => b.score - a.score || a.rank - b.rank)
    .slice(0, limit)
    .map(({ source }) => source);
}

export interface EvalResult extends RunMetrics {
  dataset: string;
  split: string;
  qps: number;
  /** Share of queries `ask` answers (the "not in the corpus" decision, `answerability.ts`). */
  answeredRate: number;
  /** Share of queries answered with a relevant document among the top 3 results. */
  answeredCorrectRate: number;
}

export function evaluate(dataset: BeirDataset, split: string, index: VerbatimIndex, ranking?: RankingOptions, terms?: SearchTermOptions): EvalResult {
  const run = new Map<string, string[]>();
  const started = performance.now();
  for (const query of dataset.queries) run.set(query.id, rankDocuments(index, query.text, DOCUMENTS_PER_QUERY, ranking, terms));
  const seconds = (performance.now() - started) / 1000;
  const metrics = evaluateRun(run, dataset.qrels);
  let answered = 0;
  let answeredCorrect = 0;
  for (const query of dataset.queries) {
    let answer: Answer;
    try {
      answer = ask(index, query.text);
    } catch (error) {
      if (error instanceof QueryError) continue;
      throw error;
    }
    if (!answer.answered) continue;
    answered++;
    const relevant = dataset.qrels.get(query.id);
    if (answer.results.slice(0, 3).some((result) => (relevant?.get(result.source) ?? 0) > 0)) answeredCorrect++;
  }
  const n = Math.max(1, dataset.queries.length);
  return { dataset: dataset.name, split, ...metrics, qps: dataset.queries.length / Math.max(seconds, 1e-9), answeredRate: answered / n, answeredCorrectRate: answeredCorrect / n };
}
