/**
 * `npm run -s eval -- --dataset DIR [--split test] [--json] [--k1 X --b X --title-boost X --coverage X --document-weight X --feedback-weight X --file-weight X --document-file-weight X --name-weight X --rarity-weight X] [--without typos,shorthand,joined,lemmas]`
 * (`--json` adds `answeredRate` and `answeredCorrectRate`: how often `ask` answers, and answers with a
 * relevant document in its top 3)
 * Retrieval quality on a BEIR-format collection, through Verbatim's own chunker, analyzer
 * and ranking. The ranking flags exist for tuning on training splits.
 */
import path from 'node:path';
import { loadBeir } from '../eval/beir.ts';
import { evaluate, indexDataset, type EvalResult } from '../eval/evaluate.ts';
import { DEFAULT_RANKING, type RankingOptions } from '../core/ranking.ts';
import { parseCliArgs, runCli, UsageError } from './run.ts';

/** What `--without` can switch off. */
const TECHNIQUES = ['typos', 'shorthand', 'joined', 'lemmas'];

/** The ranking flags (tuning on training splits only), each an option of `RankingOptions`. */
const RANKING_FLAGS = {
  k1: 'k1',
  b: 'b',
  'title-boost': 'titleBoost',
  coverage: 'coverageExponent',
  'document-weight': 'documentWeight',
  'feedback-weight': 'feedbackWeight',
  'file-weight': 'fileWeight',
  'document-file-weight': 'documentFileWeight',
  'name-weight': 'nameWeight',
  'rarity-weight': 'rarityWeight',
} as const satisfies Record<string, keyof RankingOptions>;

function floatFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number ≥ 0`);
  return n;
}

function rankingFrom(values: Record<string, unknown>): RankingOptions {
  const ranking: RankingOptions = { ...DEFAULT_RANKING };
  for (const [flag, option] of Object.entries(RANKING_FLAGS)) ranking[option] = floatFlag(flag, values[flag] as string | undefined, DEFAULT_RANKING[option]);
  return ranking;
}

const round = (n: number) => Math.round(n * 10000) / 10000;

function report(result: EvalResult, documents: number, passages: number, indexMs: number, ranking: RankingOptions, json: boolean): string {
  if (json) {
    return JSON.stringify({
      dataset: result.dataset,
      split: result.split,
      queries: result.queries,
      'ndcg@10': round(result['ndcg@10']),
      'recall@100': round(result['recall@100']),
      'mrr@10': round(result['mrr@10']),
      answeredRate: round(result.answeredRate),
      answeredCorrectRate: round(result.answeredCorrectRate),
      qps: Math.round(result.qps * 10) / 10,
    });
  }
  return [
    `${result.dataset} ${result.split}: ${result.queries} queries, ${documents} documents → ${passages} passages (indexed in ${Math.round(indexMs)} ms)`,
    `  nDCG@10    ${round(result['ndcg@10']).toFixed(4)}`,
    `  Recall@100 ${round(result['recall@100']).toFixed(4)}`,
    `  MRR@10     ${round(result['mrr@10']).toFixed(4)}`,
    `  answered   ${round(result.answeredRate).toFixed(4)} (with a relevant document in the top 3: ${round(result.answeredCorrectRate).toFixed(4)})`,
    `  queries/s  ${result.qps.toFixed(1)}`,
    `  ranking    ${JSON.stringify(ranking)}`,
  ].join('\n');
}

await runCli(async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    dataset: { type: 'string' },
    split: { type: 'string', default: 'test' },
    json: { type: 'boolean' },
    without: { type: 'string' },
    ...Object.fromEntries(Object.keys(RANKING_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
  });
  if (typeof values.dataset !== 'string' || positionals.length) throw new UsageError('usage: npm run -s eval -- --dataset DIR [--split test] [--json]');
  const ranking = rankingFrom(values);
  // `--without typos,shorthand` switches techniques off, to measure what each adds.
  const without = new Set(String(values.without ?? '').split(',').filter(Boolean));
  for (const name of without) if (!TECHNIQUES.includes(name)) throw new UsageError(`--without takes ${TECHNIQUES.join(', ')}, not "${name}"`);
  const terms = { correct: !without.has('typos'), expand: !without.has('shorthand'), join: !without.has('joined'), lemmatize: !without.has('lemmas') };
  const split = String(values.split);
  const dataset = await loadBeir(path.resolve(values.dataset), split);
  const started = performance.now();
  const index = indexDataset(dataset.documents, ranking);
  const indexMs = performance.now() - started;
  const result = evaluate(dataset, split, index, undefined, terms);
  process.stdout.write(report(result, dataset.documents.length, index.passageCount, indexMs, ranking, values.json === true) + '\n');
});
