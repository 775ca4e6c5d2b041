/**
 * `npm run -s fit-answerability`: fits the answerability model of `src/core/answerability.ts`
 * and prints it, with the training figures, for pasting there. Training data, never a test
 * split: SQuAD2-dev-subset questions against their own corpus (answerable); the same
 * questions and SciFact **train** claims against the bundled news corpus, and the claims
 * against SQuAD's corpus (not answerable): wrong corpora of two sizes and topics. It also
 * reports, never fits, SQuAD's questions against SciFact's abstracts: a large wrong corpus.
 * The feature of each question is its best passage's signals (no passage: all zero).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerProbability, answerSignals, SIGNAL_NAMES, type AnswerModel, type AnswerSignals } from '../core/answerability.ts';
import { DEFAULT_CORPUS_DIR, PROJECT_ROOT } from '../config.ts';
import { loadBeir } from '../eval/beir.ts';
import { indexDataset } from '../eval/evaluate.ts';
import { openIndex } from '../library/indexer.ts';
import { parseQuery, QueryError, type ParsedQuery } from '../core/query.ts';
import { answerJudge, searchTermsFor } from '../core/search-terms.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { runCli } from './run.ts';

const EVAL_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'eval');

/** The signals of the best passage for a question (all zero when nothing matches). */
export function bestSignals(index: VerbatimIndex, question: string): AnswerSignals {
  let parsed: ParsedQuery;
  try {
    parsed = parseQuery(question, index.analyzer);
  } catch (error) {
    if (error instanceof QueryError) return answerSignals([], new Set(), index.maxIdf());
    throw error;
  }
  // The terms `ask` searches and judges (misspellings corrected: search-terms.ts).
  const terms = searchTermsFor(index, parsed);
  const [best] = terms.searchTerms.length ? index.search({ terms: terms.searchTerms, termFrequency: terms.termFrequency, limit: 1 }) : [];
  return answerJudge(index, terms)(best?.matched ?? []);
}

function fit(rows: Array<{ x: number[]; y: number }>): { intercept: number; weights: number[] } {
  const d = rows[0]!.x.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r.x[j]!, 0) / rows.length);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r.x[j]! - mean[j]!) ** 2, 0) / rows.length) || 1);
  const z = rows.map((r) => ({ x: r.x.map((v, j) => (v - mean[j]!) / sd[j]!), y: r.y }));
  // Classes weighted to count equally; a little L2 keeps the weights readable.
  const positives = rows.filter((r) => r.y === 1).length;
  const weightOf = (y: number) => (y === 1 ? rows.length / (2 * positives) : rows.length / (2 * (rows.length - positives)));
  let b = 0;
  const w = new Array<number>(d).fill(0);
  const lambda = 1e-3;
  for (let iteration = 0; iteration < 5000; iteration++) {
    let gb = 0;
    const gw = new Array<number>(d).fill(0);
    for (const { x, y } of z) {
      const p = 1 / (1 + Math.exp(-(b + x.reduce((s, v, j) => s + v * w[j]!, 0))));
      const g = (p - y) * weightOf(y);
      gb += g;
      for (let j = 0; j < d; j++) gw[j]! += g * x[j]!;
    }
    b -= (0.5 * gb) / z.length;
    for (let j = 0; j < d; j++) w[j]! -= 0.5 * (gw[j]! / z.length + lambda * w[j]!);
  }
  // Back to raw signals: w·(x−m)/s + b.
  const weights = w.map((v, j) => v / sd[j]!);
  const intercept = b - w.reduce((s, v, j) => s + (v * mean[j]!) / sd[j]!, 0);
  return { intercept, weights };
}

await runCli(async () => {
  const squad = await loadBeir(path.join(EVAL_DIR, 'squad2-dev-subset'), 'test');
  const scifact = await loadBeir(path.join(EVAL_DIR, 'scifact'), 'train');
  const squadIndex = indexDataset(squad.documents);
  const indexDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-fit-'));
  try {
    const news = (await openIndex({ corpusDir: DEFAULT_CORPUS_DIR, indexDir })).index;
    const sets = [
      { name: 'SQuAD2-dev-subset → own corpus', y: 1, texts: squad.queries.map((q) => q.text), rows: squad.queries.map((q) => bestSignals(squadIndex, q.text)) },
      { name: 'SQuAD2-dev-subset → news corpus', y: 0, texts: squad.queries.map((q) => q.text), rows: squad.queries.map((q) => bestSignals(news, q.text)) },
      { name: 'SciFact train → SQuAD corpus', y: 0, texts: scifact.queries.map((q) => q.text), rows: scifact.queries.map((q) => bestSignals(squadIndex, q.text)) },
      { name: 'SciFact train → news corpus', y: 0, texts: scifact.queries.map((q) => q.text), rows: scifact.queries.map((q) => bestSignals(news, q.text)) },
    ];
    // Reported, never fitted: a large wrong corpus of broad vocabulary, where a few shared words
    // come easily (README "Large corpora answer too readily").
    const scifactIndex = indexDataset(scifact.documents);
    const reported = [
      { name: "SQuAD2-dev-subset → SciFact's corpus (reported, not fitted)", texts: squad.queries.map((q) => q.text), rows: squad.queries.map((q) => bestSignals(scifactIndex, q.text)) },
    ];
    const rows = sets.flatMap((set) => set.rows.map((signals) => ({ x: SIGNAL_NAMES.map((name) => signals[name]), y: set.y })));
    const { intercept, weights } = fit(rows);
    const fitted: AnswerModel = { intercept, weights: Object.fromEntries(SIGNAL_NAMES.map((name, j) => [name, weights[j]!])) as AnswerModel['weights'], threshold: 0 };
    const probability = (signals: AnswerSignals) => answerProbability(signals, fitted);
    // The threshold: the lowest (in steps of 0.01) at which at most 0.1% of the training
    // questions asked of the wrong corpus are answered. Demanding none at all lets one odd
    // question decide for everyone: it refused a tenth of the answerable ones.
    const negatives = sets.filter((set) => set.y === 0).flatMap((set) => set.rows.map(probability)).sort((a, b) => b - a);
    const allowed = Math.floor(negatives.length * 0.001);
    const threshold = Math.min(0.99, Math.floor(negatives[allowed]! * 100 + 1) / 100);
    const model: AnswerModel = {
      intercept: round(intercept),
      weights: Object.fromEntries(SIGNAL_NAMES.map((name) => [name, round(fitted.weights[name])])) as AnswerModel['weights'],
      threshold,
    };
    for (const set of [...sets, ...reported]) {
      const answered = set.rows.filter((signals) => probability(signals) >= threshold).length;
      process.stdout.write(`${set.name}: ${answered}/${set.rows.length} answered\n`);
    }
    // The trade-off, for choosing and for the README.
    for (const t of [0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99]) {
      const counts = sets.map((set) => set.rows.filter((signals) => probability(signals) >= t).length);
      process.stdout.write(`  at ${t}: ${counts.join(' / ')}\n`);
    }
    const hardest = sets
      .filter((set) => set.y === 0)
      .flatMap((set) => set.rows.map((signals, i) => ({ p: probability(signals), text: set.texts[i]!, signals })))
      .sort((a, b) => b.p - a.p)
      .slice(0, 8);
    for (const { p, text, signals } of hardest) process.stdout.write(`  negative ${p.toFixed(3)} ${JSON.stringify(text)} ${JSON.stringify(signals)}\n`);
    const oldRule = sets.map((set) => `${set.name}: ${set.rows.filter((s) => s.coverage >= 0.5).length}/${set.rows.length}`);
    process.stdout.write(`old rule (coverage ≥ 0.5): ${oldRule.join('; ')}\n`);
    process.stdout.write(`export const ANSWER_MODEL: AnswerModel = ${JSON.stringify(model, null, 2)};\n`);
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
});

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
