/**
 * `npm run -s audit -- [--questions 3000] [--interactions 1000] [--kills 20] [--pairs 10]
 *   [--invocations N] [--seed 1] [--only cli,discord,corpus,kills,pairs] [--spec openapi.json] [--json]`
 * (`npm run audit` passes `--spec ../shared/discord-api-spec/openapi.json`: the local Discord
 * checks every request body against Discord's OpenAPI spec)
 *
 * The hostile-input audit of the hardening issue, reproducible by seed: hostile questions
 * through the command line, hostile interactions against the real bot on the local
 * Discord, a corpus of odd files, SIGKILLs during saves and concurrent writers. Prints what
 * was tried and what failed (a table, or one JSON object with `--json`); exits 1 when
 * anything failed.
 *
 * Each part runs in its own process with a time limit (so a hang is reported, not waited
 * for), with TMPDIR pointing at a folder of this run that is removed at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnvironment, PROJECT_ROOT } from '../config.ts';
import { cliAudit } from '../audit/cli-audit.ts';
import { corpusAudit } from '../audit/corpus-audit.ts';
import { killAudit, pairAudit } from '../audit/crash-audit.ts';
import { discordAudit } from '../audit/discord-audit.ts';
import { intFlag, parseCliArgs, runCli, UsageError } from './run.ts';

const PARTS = ['cli', 'discord', 'corpus', 'kills', 'pairs'] as const;
type Part = (typeof PARTS)[number];

interface Counts {
  /** Discord's OpenAPI spec for the local Discord ('' for none). */
  spec: string;
  seed: number;
  questions: number;
  invocations: number;
  interactions: number;
  kills: number;
  pairs: number;
}

type PartReport = Record<string, unknown> & { failures: number; failuresSample?: string[] };

/** Hostile questions asked of the odd corpus: a few hundred in the full audit. */
const corpusQuestions = (counts: Counts) => Math.min(300, Math.max(50, Math.round(counts.questions / 10)));

/** How long a part may take before it is killed and reported as hung. */
function budgetMs(part: Part, counts: Counts): number {
  switch (part) {
    case 'cli':
      return 180_000 + counts.questions * 200 + counts.invocations * 4_000;
    case 'discord':
      return 180_000 + counts.interactions * 500;
    case 'corpus':
      return 900_000;
    case 'kills':
      return 120_000 + counts.kills * 120_000;
    case 'pairs':
      return 120_000 + counts.pairs * 240_000;
  }
}

async function runPart(part: Part, counts: Counts, log: (line: string) => void): Promise<PartReport> {
  switch (part) {
    case 'cli':
      return { ...(await cliAudit({ seed: counts.seed, questions: counts.questions, invocations: counts.invocations, log })) };
    case 'discord':
      return { ...(await discordAudit({ seed: counts.seed, interactions: counts.interactions, log, ...(counts.spec ? { spec: counts.spec } : {}) })) };
    case 'corpus':
      return { ...(await corpusAudit({ seed: counts.seed, questions: corpusQuestions(counts), log })) };
    case 'kills':
      return { ...(await killAudit({ seed: counts.seed, kills: counts.kills, pairs: 0, log })) };
    case 'pairs':
      return { ...(await pairAudit({ seed: counts.seed, kills: 0, pairs: counts.pairs, log })) };
  }
}

/** The process group of the part running now, ended with the audit on Ctrl-C. */
let running: number | undefined;

/** Runs one part as `audit.ts --part NAME --json` in its own process group, killed past its budget. */
function runPartInChild(part: Part, counts: Counts, tmp: string): Promise<PartReport> {
  const started = performance.now();
  const args = [
    '--import',
    'tsx',
    path.join(PROJECT_ROOT, 'src', 'cli', 'audit.ts'),
    '--part',
    part,
    ...Object.entries(counts).flatMap(([key, value]) => [`--${key}`, String(value)]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...childEnvironment({}), TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  running = child.pid;
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const budget = budgetMs(part, counts);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The part and every process it started (one process group).
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, budget);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const ms = Math.round(performance.now() - started);
      if (timedOut) {
        resolve({ failures: 1, ms, failuresSample: [`the ${part} part did not finish within ${Math.round(budget / 1000)} s and was killed (a hang)`] });
        return;
      }
      try {
        const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PartReport;
        resolve({ ...report, ms });
      } catch {
        resolve({ failures: 1, ms, failuresSample: [`the ${part} part ended (code ${code}, signal ${signal}) without a report`] });
      }
    });
  });
}

function num(value: unknown): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : String(value ?? '–');
}

/** The rows of each part's table. */
const ROWS: Record<Part, (r: PartReport) => Array<[string, unknown]>> = {
  cli: (r) => [
    ['questions (one --file run)', r.questions],
    ['  searched / refused as unsearchable', `${num(r.searched)} / ${num(r.refused)}`],
    ['  answered with quotes', r.answered],
    ['  quotes checked verbatim', r.quotesChecked],
    ['invocations (incl. the --file run)', r.invocations],
    ['  exit codes', JSON.stringify(r.exitCodes ?? {})],
    ['slowest question (tookMs)', `${num(r.slowestMs)} ms  ${JSON.stringify(String(r.slowestQuestion ?? '').slice(0, 60))}`],
  ],
  discord: (r) => [
    ['interactions tried', r.interactions],
    ['  by kind', JSON.stringify(r.byKind ?? {})],
    ['  refused by the client', r.refusedByClient],
    ['  forged button ids delivered raw', r.forgedDelivered],
    ['  mentions answered', r.mentionsAnswered],
    ['acknowledged exactly once', r.acknowledgedOnce],
    ['unacknowledged / duplicated', `${num(r.unacknowledged)} / ${num(r.duplicates)}`],
    ['late (> 3 s) / slowest ack', `${num(r.late)} / ${num(r.slowestAckMs)} ms`],
    ['spec or limit violations', r.violations],
    ['token leaks (messages, logs)', r.tokenLeaks],
    ['error refs shown / error logs', `${num(r.errorRefs)} / ${num(r.handlerErrorLogs)}`],
    ['messages that could ping', r.pings],
    ['quotes traced / not verbatim', `${num(r.quotesChecked)} / ${num(r.nonVerbatim)}`],
  ],
  corpus: (r) => [
    ['odd files', r.oddFiles],
    ['build', `${num(r.buildMs)} ms`],
    ['second open', `${r.secondOpenLoaded ? 'loaded' : 'REBUILT'} in ${num(r.secondOpenMs)} ms`],
    ['incremental reindex changes', r.incrementalReindexChanges],
    ['files indexed / passages', `${num(r.filesIndexed)} / ${num(r.passages)}`],
    ...((r.skipped as Array<{ file: string; reason: string }> | undefined) ?? []).map((s): [string, unknown] => [`  skipped ${s.file}`, s.reason]),
    ...((r.files as Array<{ file: string; outcome: string }> | undefined) ?? []).filter((f) => f.outcome.startsWith('indexed') || f.outcome === 'not listed').map((f): [string, unknown] => [`  ${f.file.length > 40 ? `${f.file.slice(0, 20)}…${f.file.slice(-19)}` : f.file}`, f.outcome]),
    ...((r.notes as string[] | undefined) ?? []).map((n): [string, unknown] => ['  note', n]),
    ['hostile questions / refused', `${num(r.questions)} / ${num(r.refused)}`],
    ['quotes checked verbatim', r.quotesChecked],
    ['slowest question', `${num(r.slowestMs)} ms  ${JSON.stringify(String(r.slowestQuestion ?? '').slice(0, 60))}`],
  ],
  kills: (r) => [
    ['SIGKILLs tried', r.tried],
    ['  during a write (new files present)', r.duringWrite],
    ['  before any write', r.beforeWrite],
    ['  reindex finished first', r.finishedFirst],
    ['  previous generation kept', r.previousGenerationKept],
  ],
  pairs: (r) => [
    ['concurrent pairs tried', r.tried],
    ['  kinds', JSON.stringify(r.kinds ?? {})],
  ],
};

/** A readable table of one part's report. */
function renderPart(part: Part, r: PartReport): string {
  const rows = ROWS[part](r);
  const width = Math.max(...rows.map(([label]) => label.length), 10);
  const lines = [`${part.toUpperCase()}  (${num(r.failures)} failures, ${num(Math.round(Number(r.ms ?? 0) / 1000))} s)`];
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${num(value)}`);
  for (const sample of r.failuresSample ?? []) lines.push(`  ✗ ${sample}`);
  if (r.failures > (r.failuresSample?.length ?? 0)) lines.push(`  … and ${r.failures - (r.failuresSample?.length ?? 0)} more`);
  if (part === 'discord') for (const v of (r.violationsSample as string[] | undefined) ?? []) lines.push(`  ✗ violation: ${v}`);
  return lines.join('\n');
}

/** How much of each part to run, from the flags. */
function countsFrom(values: { questions?: string; interactions?: string; kills?: string; pairs?: string; invocations?: string; seed?: string; spec?: string }): Counts {
  const questions = intFlag('questions', values.questions, 3000, 1, 1_000_000);
  return {
    spec: values.spec ? path.resolve(values.spec) : '',
    seed: intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1),
    questions,
    invocations: intFlag('invocations', values.invocations, Math.min(100, Math.max(10, Math.round(questions / 30))), 0, 10_000),
    interactions: intFlag('interactions', values.interactions, 1000, 1, 1_000_000),
    kills: intFlag('kills', values.kills, 20, 0, 10_000),
    pairs: intFlag('pairs', values.pairs, 10, 0, 10_000),
  };
}

/** Each part in a child process of its own, one after another, in a temp folder removed at the end (or on Ctrl-C). */
async function runParts(parts: readonly Part[], counts: Counts, log: (line: string) => void): Promise<Partial<Record<Part, PartReport>>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'verbatim-audit-'));
  // Interrupted: end the running part (its own process group) and remove this run's files.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (running !== undefined) {
        try {
          process.kill(-running, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const reports: Partial<Record<Part, PartReport>> = {};
  try {
    for (const part of parts) {
      if ((part === 'kills' && counts.kills === 0) || (part === 'pairs' && counts.pairs === 0)) continue;
      log(`${part}: starting (seed ${counts.seed})`);
      reports[part] = await runPartInChild(part, counts, tmp);
      log(`${part}: ${reports[part]!.failures} failures in ${Math.round(Number(reports[part]!.ms) / 1000)} s`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return reports;
}

await runCli(async () => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    questions: { type: 'string' },
    interactions: { type: 'string' },
    kills: { type: 'string' },
    pairs: { type: 'string' },
    invocations: { type: 'string' },
    seed: { type: 'string' },
    only: { type: 'string' },
    spec: { type: 'string' },
    json: { type: 'boolean' },
    /** internal: run one part in this process and print its JSON report */
    part: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const counts = countsFrom(values);
  const log = (line: string) => process.stderr.write(`audit: ${line}\n`);

  if (values.part !== undefined) {
    if (!(PARTS as readonly string[]).includes(values.part)) throw new UsageError(`--part must be one of ${PARTS.join(', ')}`);
    const report = await runPart(values.part as Part, counts, log).catch(
      (error: Error): PartReport => ({ failures: 1, failuresSample: [`the ${values.part} part crashed: ${error?.stack ?? String(error)}`] }),
    );
    process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  }

  const only = values.only === undefined ? [...PARTS] : values.only.split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of only) if (!(PARTS as readonly string[]).includes(part)) throw new UsageError(`--only takes parts among ${PARTS.join(', ')} (got "${part}")`);
  const parts = PARTS.filter((part) => only.includes(part));
  const started = performance.now();
  const reports = await runParts(parts, counts, log);
  const failures = Object.values(reports).reduce((sum, r) => sum + (r?.failures ?? 0), 0);
  const result = { seed: counts.seed, ...reports, failures, ms: Math.round(performance.now() - started) };
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const sections = (Object.keys(reports) as Part[]).map((part) => renderPart(part, reports[part]!));
    process.stdout.write(
      [
        `Hostile-input audit, seed ${counts.seed}: ${failures === 0 ? 'nothing failed' : `${failures} failures`} (${Math.round(result.ms / 1000)} s)`,
        '',
        sections.join('\n\n'),
        '',
      ].join('\n'),
    );
  }
  return failures === 0 ? 0 : 1;
});
