/**
 * `npm run -s bench -- [--passages N] [--queries Q] [--seed S] [--engines verbatim,minisearch] [--json]`
 *
 * Builds a reproducible synthetic corpus from SciFact and measures, side by side, Verbatim's
 * pipeline and plain MiniSearch: build time, heap per passage, bytes on disk, load time and
 * query latency; for Verbatim also the longest main-thread stall during a background
 * reindex and the cost of reindexing one changed file. `--engines` picks which run (plain
 * MiniSearch at a million passages takes a quarter of an hour and cannot save). Results go
 * to stdout (a table, or one JSON line with a key per engine run); progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMiniSearch, benchVerbatim, type EngineFigures } from '../bench/engines.ts';
import type { GcFunction } from '../bench/measure.ts';
import { intFlag, parseCliArgs, UsageError } from './run.ts';
import { WARMUP_QUERIES } from '../bench/measure.ts';
import { generatePassages, generateQueries, groupIntoFiles, loadSciFact } from '../bench/synthetic-corpus.ts';

const USAGE =
  'usage: npm run -s bench -- [--passages N (100–2000000, default 100000)] [--queries Q (default 1000)] [--seed S (default 42)] [--engines verbatim,minisearch (default both)] [--json]';

const ENGINES = ['verbatim', 'minisearch'] as const;
type Engine = (typeof ENGINES)[number];

interface BenchArgs {
  passages: number;
  queries: number;
  seed: number;
  engines: Engine[];
  json: boolean;
}

function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  const { values, positionals } = parseCliArgs(argv, {
    passages: { type: 'string' },
    queries: { type: 'string' },
    seed: { type: 'string' },
    engines: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (values.help) return 'help';
  return {
    passages: intFlag('passages', values.passages, 100_000, 100, 2_000_000),
    queries: intFlag('queries', values.queries, 1000, 1, 1_000_000),
    seed: intFlag('seed', values.seed, 42, 0, 0xffffffff),
    engines: enginesFlag(values.engines),
    json: values.json ?? false,
  };
}

function enginesFlag(value: string | undefined): Engine[] {
  if (value === undefined) return [...ENGINES];
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.find((name) => !(ENGINES as readonly string[]).includes(name));
  if (unknown !== undefined || names.length === 0) throw new UsageError(`--engines takes a comma-separated list of ${ENGINES.join(', ')}`);
  return ENGINES.filter((engine) => names.includes(engine));
}

/**
 * Heap figures need `global.gc`: run this file again in a child with `--expose-gc` (keeping
 * tsx's loader flags) and pass its exit code on. The heap limit is raised for large corpora.
 */
function rerunWithGc(argv: string[]): void {
  const heapFlag = process.execArgv.some((flag) => flag.startsWith('--max-old-space-size'))
    ? []
    : [`--max-old-space-size=${Math.floor((os.totalmem() / 2 ** 20) * 0.75)}`];
  const child = spawn(process.execPath, ['--expose-gc', ...heapFlag, ...process.execArgv, fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail(`cannot start a child with --expose-gc: ${error.message}`, 1));
  child.on('exit', (code, signal) => process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1)));
}

function fail(message: string, code: number): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

async function run(args: BenchArgs, gc: GcFunction): Promise<void> {
  const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-'));
  // `finally` does not run when a signal ends the process, so clean up there too.
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    removeWorkDir();
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    log('reading SciFact…');
    const scifact = loadSciFact();
    log(`generating ${args.passages} passages and ${args.queries} queries (seed ${args.seed})…`);
    const passages = generatePassages(scifact.sentences, args.passages, args.seed);
    const corpus = {
      passages,
      files: groupIntoFiles(passages.length),
      queries: generateQueries(scifact.claims, passages, args.queries, args.seed),
      warmupQueries: generateQueries(scifact.claims, passages, WARMUP_QUERIES, args.seed + 1),
    };

    const ctx = async (name: Engine) => {
      const dir = path.join(workDir, name);
      await fs.mkdir(dir);
      return { dir, gc, log };
    };
    // One engine at a time, so neither one's index is in the other's heap figure.
    const measured: Partial<Record<Engine, EngineFigures>> = {};
    if (args.engines.includes('verbatim')) measured.verbatim = await benchVerbatim(corpus, await ctx('verbatim'));
    if (args.engines.includes('minisearch')) measured.minisearch = await benchMiniSearch(corpus, await ctx('minisearch'));

    const result = { passages: args.passages, queries: args.queries, seed: args.seed, ...measured, node: process.version };
    process.stdout.write(args.json ? JSON.stringify(result) + '\n' : table(result, corpus.files.length));
  } finally {
    removeWorkDir();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const ROWS: Array<[label: string, key: keyof EngineFigures, digits: number]> = [
  ['build (ms)', 'buildMs', 1],
  ['passages/s', 'passagesPerSec', 0],
  ['heap bytes/passage', 'heapBytesPerPassage', 0],
  ['buffer bytes/passage', 'bufferBytesPerPassage', 0],
  ['persisted bytes', 'persistedBytes', 0],
  ['load (ms)', 'loadMs', 1],
  ['query p50 (ms)', 'p50Ms', 3],
  ['query p99 (ms)', 'p99Ms', 3],
  ['reindex stall (ms)', 'reindexStallMs', 1],
  ['one-file reindex (ms)', 'oneFileReindexMs', 1],
];

function table(
  result: { passages: number; queries: number; seed: number; verbatim?: EngineFigures; minisearch?: EngineFigures; node: string },
  files: number,
): string {
  const num = (value: number, digits: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lines = [
    `${num(result.passages, 0)} passages in ${num(files, 0)} file${files === 1 ? '' : 's'}, ${num(result.queries, 0)} queries, seed ${result.seed}, node ${result.node}`,
    '',
    `${''.padEnd(22)}${'Verbatim'.padStart(14)}${'MiniSearch'.padStart(14)}${'ratio'.padStart(9)}`,
  ];
  for (const [label, key, digits] of ROWS) {
    const v = result.verbatim?.[key] ?? null;
    const m = result.minisearch?.[key] ?? null;
    const cell = (value: number | null, ran: boolean) => (!ran ? '–' : value === null ? 'n/a' : num(value, digits)).padStart(14);
    const ratio = v !== null && m ? `${(v / m).toFixed(2)}×` : '–';
    lines.push(`${label.padEnd(22)}${cell(v, result.verbatim !== undefined)}${cell(m, result.minisearch !== undefined && key in result.minisearch)}${ratio.padStart(9)}`);
  }
  lines.push('', 'Verbatim: chunkDocument + VerbatimIndex.applyAsync (segments built on worker threads), saveSnapshot, ask(top 3) with quotes; reindexes through the bot\'s worker path.');
  lines.push('MiniSearch: default options over the same passages, JSON.stringify, search() top 3.');
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  let args: BenchArgs | 'help';
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message.replace(/\s*\n\s*/g, ' ')} (see --help)`, 2);
    throw error;
  }
  if (args === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const gc = globalThis.gc;
  if (typeof gc !== 'function') {
    if (process.execArgv.includes('--expose-gc')) fail('global.gc is missing even with --expose-gc', 1);
    rerunWithGc(process.argv.slice(2));
    return;
  }
  await run(args, () => void gc());
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
