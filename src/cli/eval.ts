/**
 * `npm run -s eval -- --dataset DIR [--split test] [--json] [--k1 X --b X --title-boost X --coverage X --document-weight X --feedback-weight X --file-weight X --document-file-weight X] [--without typos,shorthand,joined]`
 * (`--json` adds `answeredRate` and `answeredCorrectRate`: how often `ask` answers, and answers with a
 * relevant document in its top 3)
 * Retrieval quality on a BEIR-format collection, through Verbatim's own chunker, analyzer
 * and ranking. The ranking flags exist for tuning on training splits.
 */
import path from 'node:path';
import { loadBeir } from '../eval/beir.ts';
import { evaluate, indexDataset } from '../eval/evaluate.ts';
import { DEFAULT_RANKING, type RankingOptions } from '../core/ranking.ts';
import { parseCliArgs, runCli, UsageError } from './run.ts';

/** What `--without` can switch off. */
const TECHNIQUES = ['typos', 'shorthand', 'joined'];

function floatFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number ≥ 0`);
  return n;
}

await runCli(async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    dataset: { type: 'string' },
    split: { type: 'string', default: 'test' },
    json: { type: 'boolean' },
    k1: { type: 'string' },
    b: { type: 'string' },
    'title-boost': { type: 'string' },
    coverage: { type: 'string' },
    'document-weight': { type: 'string' },
    'feedback-weight': { type: 'string' },
    'file-weight': { type: 'string' },
    'document-file-weight': { type: 'string' },
    without: { type: 'string' },
  });
  if (!values.dataset || positionals.length) throw new UsageError('usage: npm run -s eval -- --dataset DIR [--split test] [--json]');
  const ranking: RankingOptions = {
    ...DEFAULT_RANKING,
    k1: floatFlag('k1', values.k1, DEFAULT_RANKING.k1),
    b: floatFlag('b', values.b, DEFAULT_RANKING.b),
    titleBoost: floatFlag('title-boost', values['title-boost'], DEFAULT_RANKING.titleBoost),
    coverageExponent: floatFlag('coverage', values.coverage, DEFAULT_RANKING.coverageExponent),
    documentWeight: floatFlag('document-weight', values['document-weight'], DEFAULT_RANKING.documentWeight),
    feedbackWeight: floatFlag('feedback-weight', values['feedback-weight'], DEFAULT_RANKING.feedbackWeight),
    fileWeight: floatFlag('file-weight', values['file-weight'], DEFAULT_RANKING.fileWeight),
    documentFileWeight: floatFlag('document-file-weight', values['document-file-weight'], DEFAULT_RANKING.documentFileWeight),
  };
  // `--without typos,shorthand` switches techniques off, to measure what each adds.
  const without = new Set((values.without ?? '').split(',').filter(Boolean));
  for (const name of without) if (!TECHNIQUES.includes(name)) throw new UsageError(`--without takes ${TECHNIQUES.join(', ')}, not "${name}"`);
  const terms = { correct: !without.has('typos'), expand: !without.has('shorthand'), join: !without.has('joined') };
  const dataset = await loadBeir(path.resolve(values.dataset), values.split);
  const started = performance.now();
  const index = indexDataset(dataset.documents, ranking);
  const indexMs = performance.now() - started;
  const result = evaluate(dataset, values.split, index, undefined, terms);
  const round = (n: number) => Math.round(n * 10000) / 10000;
  if (values.json) {
    process.stdout.write(
      JSON.stringify({
        dataset: result.dataset,
        split: result.split,
        queries: result.queries,
        'ndcg@10': round(result['ndcg@10']),
        'recall@100': round(result['recall@100']),
        'mrr@10': round(result['mrr@10']),
        answeredRate: round(result.answeredRate),
        answeredCorrectRate: round(result.answeredCorrectRate),
        qps: Math.round(result.qps * 10) / 10,
      }) + '\n',
    );
    return;
  }
  process.stdout.write(
    [
      `${result.dataset} ${result.split}: ${result.queries} queries, ${dataset.documents.length} documents → ${index.passageCount} passages (indexed in ${Math.round(indexMs)} ms)`,
      `  nDCG@10    ${round(result['ndcg@10']).toFixed(4)}`,
      `  Recall@100 ${round(result['recall@100']).toFixed(4)}`,
      `  MRR@10     ${round(result['mrr@10']).toFixed(4)}`,
      `  answered   ${round(result.answeredRate).toFixed(4)} (with a relevant document in the top 3: ${round(result.answeredCorrectRate).toFixed(4)})`,
      `  queries/s  ${result.qps.toFixed(1)}`,
      `  ranking    ${JSON.stringify(ranking)}`,
    ].join('\n') + '\n',
  );
});
