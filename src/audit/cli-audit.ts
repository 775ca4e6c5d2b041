/**
 * Audit part 1: hostile questions through the real command line (`src/cli/ask.ts` as a
 * child process). One run answers every question of a file (`--json --top 5 --file F`);
 * about a hundred more runs each get hostile argv. Nothing may crash with a stack trace,
 * exit codes are 0, 1 or 2, every `--json` line has the documented shape, and every quote
 * is verbatim at the lines it cites.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnvironment, DEFAULT_CORPUS_DIR, PROJECT_ROOT } from '../config.ts';
import { openIndex } from '../library/indexer.ts';
import { hostileArgv, hostileQuestions, Rng } from './hostile-text.ts';

// ---------------------------------------------------------------- shared helpers

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs `src/cli/<script>.ts` under tsx with Verbatim's settings replaced by `settings`; killed after `timeoutMs`. */
export function runScript(script: string, args: string[], settings: Record<string, string>, timeoutMs: number): Promise<ChildResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', `${script}.ts`), ...args], {
    cwd: PROJECT_ROOT,
    env: childEnvironment(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - started, timedOut });
    });
  });
}

/** Problems with how a CLI run ended: crash, stack trace, unexpected error, odd exit code. */
export function exitProblems(result: ChildResult, allowedCodes: readonly number[] = [0, 1, 2]): string[] {
  const out: string[] = [];
  if (result.timedOut) out.push(`timed out after ${Math.round(result.ms)} ms`);
  else if (result.signal) out.push(`killed by ${result.signal}`);
  else if (result.code === null || !allowedCodes.includes(result.code)) out.push(`exit code ${result.code}`);
  if (/\n\s+at \S/.test(result.stderr) || /^\s+at \S.*:\d+:\d+\)?$/m.test(result.stderr)) out.push(`stack trace on stderr: ${firstLines(result.stderr)}`);
  if (/unexpected error/i.test(result.stderr)) out.push(`"unexpected error" on stderr: ${firstLines(result.stderr)}`);
  if (/\bENOENT\b/.test(result.stderr)) out.push(`ENOENT on stderr: ${firstLines(result.stderr)}`);
  return out;
}

export function firstLines(text: string, lines = 3): string {
  return text.split('\n').slice(0, lines).join(' ⏎ ').slice(0, 300);
}

/** A temp copy of the bundled corpus and an index folder beside it. */
export function tempCorpus(prefix: string): { root: string; corpusDir: string; indexDir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const corpusDir = path.join(root, 'corpus');
  cpSync(DEFAULT_CORPUS_DIR, corpusDir, { recursive: true });
  return { root, corpusDir, indexDir: path.join(root, 'index') };
}

export function fold(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Reads corpus files once per audit (lines split on `\n`, as the chunker counts them). */
export class SourceLines {
  private readonly cache = new Map<string, string[] | null>();
  constructor(private readonly corpusDir: string) {}
  lines(source: string): string[] | null {
    let lines = this.cache.get(source);
    if (lines === undefined) {
      // Only files inside the corpus folder are read: a citation leading out of it is a failure, never a read.
      const file = path.resolve(this.corpusDir, source);
      const inside = file.startsWith(path.resolve(this.corpusDir) + path.sep) && !source.includes('\0');
      try {
        lines = inside ? readFileSync(file, 'utf8').split('\n') : null;
      } catch {
        lines = null;
      }
      this.cache.set(source, lines);
    }
    return lines;
  }
}

/**
 * Why a quote is not verbatim at its cited lines (undefined when it is): each `…`-separated
 * piece must be a substring of the cited lines after whitespace folding. A code quote must
 * be the cited lines exactly, and so must a code example shown after a quote.
 */
export function verbatimProblem(sources: SourceLines, result: { source: unknown; lines: unknown; quote: unknown; code?: unknown; tableHeader?: unknown; example?: unknown }): string | undefined {
  const { source, lines, quote } = result;
  if (result.example !== undefined) {
    const example = result.example as { lines?: unknown; quote?: unknown; code?: unknown } | null;
    if (typeof example?.code !== 'string') return `example has no language: ${JSON.stringify(example)}`;
    const problem = verbatimProblem(sources, { source, lines: example.lines, quote: example.quote, code: example.code });
    if (problem) return `code example: ${problem}`;
  }
  if (result.tableHeader !== undefined) {
    // A table's header row shown above the quote is checked like a one-line quote.
    const header = result.tableHeader as { line?: unknown; text?: unknown } | null;
    const problem = verbatimProblem(sources, { source, lines: [header?.line, header?.line], quote: header?.text });
    if (problem) return `table header: ${problem}`;
  }
  if (typeof source !== 'string' || typeof quote !== 'string') return 'source or quote is not a string';
  if (!Array.isArray(lines) || lines.length !== 2 || !lines.every((n) => Number.isInteger(n))) return `lines is not [from, to]: ${JSON.stringify(lines)}`;
  const [from, to] = lines as [number, number];
  const fileLines = sources.lines(source);
  if (!fileLines) return `cites ${source}, which is not a readable corpus file`;
  if (from < 1 || to < from || to > fileLines.length) return `${source}:${from}-${to} is outside the file's ${fileLines.length} lines`;
  if (result.code !== undefined && result.code !== false) {
    // Line ends aside (Discord shows no \r), the lines as they are.
    const withoutCr = (text: string) => text.replace(/\r$/gm, '');
    const exact = fileLines.slice(from - 1, to).join('\n');
    return withoutCr(exact) === withoutCr(quote) ? undefined : `code quote is not exactly ${source}:${from}-${to}: ${JSON.stringify(quote.slice(0, 80))}`;
  }
  const cited = fold(fileLines.slice(from - 1, to).join('\n'));
  // Table rows and list items are a line each: folded, they are the cited lines folded.
  const pieces = quote.split('…').map(fold).filter(Boolean);
  if (pieces.length === 0) return `empty quote at ${source}:${from}-${to}`;
  for (const piece of pieces) {
    if (!cited.includes(piece)) return `quote piece not at ${source}:${from}-${to}: ${JSON.stringify(piece.slice(0, 80))}`;
  }
  return undefined;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

/** Keeps the first few failures for the report, counts them all. */
export class Failures {
  count = 0;
  readonly sample: string[] = [];
  constructor(private readonly keep = 20) {}
  add(what: string): void {
    this.count++;
    this.note(what);
  }
  /** Shown in the sample without counting (details of a failure already counted). */
  note(what: string): void {
    // Control characters (NUL, escapes) of hostile input are shown escaped, never raw.
    const shown = what.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (this.sample.length < this.keep) this.sample.push(shown.length > 400 ? `${shown.slice(0, 400)}…` : shown);
  }
}

// ---------------------------------------------------------------- the CLI audit

export interface CliAuditOptions {
  seed: number;
  questions: number;
  invocations: number;
  log: (line: string) => void;
}

export interface CliAuditReport {
  questions: number;
  /** Lines the CLI searched (one JSON line per non-empty line of the file)… */
  searched: number;
  /** …of which answered with quotes (`"answered": true`). */
  answered: number;
  /** Lines it refused as unsearchable (`"error"` in the JSON line). */
  refused: number;
  quotesChecked: number;
  invocations: number;
  exitCodes: Record<string, number>;
  failures: number;
  slowestMs: number;
  slowestQuestion: string;
  failuresSample: string[];
}

/**
 * In this order; `corrected` only when a misspelling was searched as a corpus word
 * (`spelling.ts`), `unmatchedPhrases` only when a `"phrase"` no passage has was searched as its
 * words, `unansweredPhrases` when one that passages have was (none of them answering), `lacking`
 * only when a refusal is for want of an age, a sum or a count (`answer-type.ts`).
 */
const JSON_KEYS = ['query', 'answered', 'corrected', 'unmatchedPhrases', 'unansweredPhrases', 'lacking', 'results', 'tookMs'];
const OPTIONAL_JSON_KEYS = new Set(['corrected', 'unmatchedPhrases', 'unansweredPhrases', 'lacking']);
const ERROR_KEYS = ['query', 'answered', 'results', 'error'];

/** Problems with one `--json` line (shape, quotes). */
function jsonLineProblems(line: string, sources: SourceLines, counts: { quotes: number }): { problems: string[]; tookMs?: number; error?: boolean; answered?: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problems: [`not JSON: ${line.slice(0, 120)}`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: ['not a JSON object'] };
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  const isError = 'error' in o;
  const expected = isError ? ERROR_KEYS : JSON_KEYS.filter((key) => !OPTIONAL_JSON_KEYS.has(key) || key in o);
  const problems: string[] = [];
  if (keys.join() !== expected.join()) problems.push(`keys ${keys.join(',')} are not ${expected.join(',')}`);
  if (typeof o.query !== 'string') problems.push('query is not a string');
  if (typeof o.answered !== 'boolean') problems.push('answered is not a boolean');
  if (!Array.isArray(o.results)) problems.push('results is not an array');
  if (isError) {
    if (typeof o.error !== 'string' || !o.error) problems.push('error is not a message');
    if (o.answered !== false || (Array.isArray(o.results) && o.results.length)) problems.push('an error line has results');
    return { problems, error: true };
  }
  if (typeof o.tookMs !== 'number' || !Number.isFinite(o.tookMs) || o.tookMs < 0) problems.push(`tookMs is ${JSON.stringify(o.tookMs)}`);
  if ('corrected' in o) {
    const pairs = typeof o.corrected === 'object' && o.corrected !== null ? Object.entries(o.corrected) : [];
    if (!pairs.length || !pairs.every(([typed, shown]) => typed && typeof shown === 'string' && shown && typed !== shown)) problems.push(`corrected is ${JSON.stringify(o.corrected)}`);
  }
  for (const key of ['unmatchedPhrases', 'unansweredPhrases']) {
    const phrases = o[key];
    if (key in o && !(Array.isArray(phrases) && phrases.length && phrases.every((phrase) => typeof phrase === 'string' && phrase))) problems.push(`${key} is ${JSON.stringify(phrases)}`);
  }
  const results = Array.isArray(o.results) ? (o.results as unknown[]) : [];
  if (o.answered === false && results.length) problems.push('not answered, yet results');
  if (o.answered === true && !results.length) problems.push('answered without results');
  if (results.length > 5) problems.push(`${results.length} results for --top 5`);
  for (const r of results) {
    if (typeof r !== 'object' || r === null) {
      problems.push('a result is not an object');
      continue;
    }
    const result = r as Record<string, unknown>;
    if (!/^source,lines,(?:section,)?(?:tableHeader,)?quote,(?:code,)?(?:example,)?score$/.test(Object.keys(result).join())) problems.push(`result keys ${Object.keys(result).join(',')}`);
    if (typeof result.score !== 'number' || !Number.isFinite(result.score)) problems.push(`score is ${JSON.stringify(result.score)}`);
    counts.quotes++;
    const problem = verbatimProblem(sources, { source: result.source, lines: result.lines, quote: result.quote, code: result.code, tableHeader: result.tableHeader, example: result.example });
    if (problem) problems.push(`non-verbatim quote: ${problem}`);
  }
  return { problems, tookMs: typeof o.tookMs === 'number' ? o.tookMs : undefined, answered: o.answered === true };
}

export async function cliAudit(options: CliAuditOptions): Promise<CliAuditReport> {
  const { root, corpusDir, indexDir } = tempCorpus('verbatim-audit-cli-');
  try {
    // Build the index once here, so every child loads it.
    await openIndex({ corpusDir, indexDir });
    const run = new CliAuditRun({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, LOG_LEVEL: 'warn' }, new SourceLines(corpusDir));
    // 1. Every question in one run, from a file.
    const questions = hostileQuestions(options.seed, options.questions);
    await run.fileRun(root, questions.map((q) => q.text), options);
    // 2. Separate runs with hostile argv.
    const rng = new Rng(options.seed).fork('argv');
    const paths = hostilePaths(root, questions.slice(0, 30).map((q) => q.text), options.seed);
    const argvs = Array.from({ length: options.invocations }, (_, n) => hostileArgv(rng, paths, n));
    options.log(`cli: ${argvs.length} separate invocations with hostile argv`);
    await pool(argvs, 2, (argv) => run.argvRun(argv));
    return { ...run.report(), questions: questions.length, invocations: argvs.length + 1 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The files hostile argv points at: missing, not a folder, a few questions, binary, empty. */
function hostilePaths(root: string, fewQuestions: readonly string[], seed: number) {
  const paths = {
    missing: path.join(root, 'missing', 'nothing-here'),
    notAFolder: path.join(root, 'plain-file.txt'),
    file: path.join(root, 'few-questions.txt'),
    binaryFile: path.join(root, 'binary.bin'),
    emptyFile: path.join(root, 'empty.txt'),
  };
  writeFileSync(paths.notAFolder, 'just a file\n');
  writeFileSync(paths.file, fewQuestions.join('\r\n'));
  writeFileSync(paths.binaryFile, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + seed) & 0xff)));
  writeFileSync(paths.emptyFile, '');
  mkdirSync(path.join(root, 'missing'), { recursive: true });
  return paths;
}

/** What the CLI audit found so far: failures, exit codes, answers, the slowest question. */
class CliAuditRun {
  readonly failures = new Failures();
  private readonly exitCodes: Record<string, number> = {};
  private readonly counts = { quotes: 0 };
  private searched = 0;
  private answered = 0;
  private refused = 0;
  private slowestMs = 0;
  private slowestQuestion = '';

  constructor(
    private readonly settings: Record<string, string>,
    private readonly sources: SourceLines,
  ) {}

  /** `ask --json --top 5 --file` over every question: one line each, exact quotes, the right exit code. */
  async fileRun(root: string, questions: readonly string[], options: CliAuditOptions): Promise<void> {
    const file = path.join(root, 'questions.txt');
    writeFileSync(file, questions.join('\n') + '\n');
    const expected = readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim());
    options.log(`cli: ${questions.length} questions (${expected.length} non-empty lines) through ask --json --top 5 --file`);
    const run = await runScript('ask', ['--json', '--top', '5', '--file', file], this.settings, Math.max(120_000, options.questions * 200));
    this.countExit(run);
    for (const problem of exitProblems(run, [0, 1])) this.failures.add(`--file run: ${problem}`);
    const lines = run.stdout.split('\n').filter(Boolean);
    if (lines.length !== expected.length) this.failures.add(`--file run printed ${lines.length} lines for ${expected.length} questions`);
    let anyError = false;
    lines.forEach((line, i) => {
      const { problems, tookMs, error, answered: withQuotes } = jsonLineProblems(line, this.sources, this.counts);
      if (error) {
        this.refused++;
        anyError = true;
      } else this.searched++;
      if (withQuotes) this.answered++;
      for (const problem of problems) this.failures.add(`question ${i + 1} ${JSON.stringify((expected[i] ?? '').slice(0, 80))}: ${problem}`);
      this.noteTime(tookMs, expected[i] ?? '');
    });
    if (!run.timedOut && run.code !== (anyError ? 1 : 0)) this.failures.add(`--file run exited ${run.code}, expected ${anyError ? 1 : 0} (${this.refused} refused lines)`);
  }

  /** One run with hostile argv: one "verbatim: …" line for a failure, valid JSON lines with exact quotes. */
  async argvRun(argv: string[]): Promise<void> {
    const r = await runScript('ask', argv, this.settings, 90_000);
    this.countExit(r);
    const label = `argv ${JSON.stringify(argv).slice(0, 160)}`;
    for (const problem of exitProblems(r)) this.failures.add(`${label}: ${problem}`);
    // With --file, unsearchable lines are reported on stdout (exit 1); an empty file prints nothing.
    const fileRun = argv.includes('--file');
    const reportedOnStdout = fileRun && r.code === 1 && /"error":/.test(r.stdout);
    if (r.code !== 0 && !r.timedOut && !r.signal && !reportedOnStdout) {
      const last = r.stderr.trimEnd().split('\n').at(-1) ?? '';
      if (!last.startsWith('verbatim: ')) this.failures.add(`${label}: exit ${r.code} without a "verbatim: …" line on stderr (${firstLines(r.stderr)})`);
    }
    if (r.code === 0 && !r.stdout.trim() && !fileRun) this.failures.add(`${label}: exit 0 with nothing printed`);
    if (!argv.includes('--json') || (r.code !== 0 && r.code !== 1)) return;
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const { problems, tookMs } = jsonLineProblems(line, this.sources, this.counts);
      for (const problem of problems) this.failures.add(`${label}: ${problem}`);
      this.noteTime(tookMs, argv.join(' '));
    }
  }

  report(): Omit<CliAuditReport, 'questions' | 'invocations'> {
    const { failures } = this;
    return {
      searched: this.searched,
      answered: this.answered,
      refused: this.refused,
      quotesChecked: this.counts.quotes,
      exitCodes: this.exitCodes,
      failures: failures.count,
      slowestMs: this.slowestMs,
      slowestQuestion: this.slowestQuestion,
      failuresSample: failures.sample,
    };
  }

  private countExit(r: ChildResult): void {
    const key = r.timedOut ? 'timeout' : r.signal ? r.signal : String(r.code);
    this.exitCodes[key] = (this.exitCodes[key] ?? 0) + 1;
  }

  private noteTime(tookMs: number | undefined, question: string): void {
    if (tookMs === undefined || tookMs <= this.slowestMs) return;
    this.slowestMs = tookMs;
    this.slowestQuestion = question.slice(0, 120);
  }
}
