/**
 * Audit part 4: the index on disk under crashes and concurrent writers.
 *
 * (a) SIGKILLs during saves: the corpus changes (bulk files rewritten, added, removed), a
 * `reindex` child starts, and it is killed with SIGKILL either the moment a new generation
 * file or a temp file appears in the index folder, or at a random moment (0–400 ms) after it
 * takes the write lock. Afterwards the manifest must name a complete, loadable generation,
 * and the next `openIndex` must succeed, bring the index up to date and release the lock.
 *
 * (b) Concurrent writers: two `reindex` (some `--full`) or two `ask` on a stale index,
 * started at the same moment on the same INDEX_DIR. Both must exit 0 without a stack trace
 * or ENOENT, and the folder must then hold a complete generation named by the manifest,
 * loadable and up to date, with no `write.lock` and no temp file left behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ask } from '../core/answer.ts';
import { childEnvironment, PROJECT_ROOT } from '../config.ts';
import { readManifest, readSnapshot } from '../library/index-store.ts';
import { openIndex, reindex } from '../library/indexer.ts';
import { VerbatimIndex } from '../engine/verbatim-index.ts';
import { exitProblems, Failures, firstLines, runScript, tempCorpus, type ChildResult } from './cli-audit.ts';
import { Rng } from './hostile-text.ts';

export interface CrashAuditOptions {
  seed: number;
  kills: number;
  pairs: number;
  log: (line: string) => void;
}

export interface KillsReport {
  tried: number;
  /** Killed while a new generation or a temp file was in the folder. */
  duringWrite: number;
  /** Killed before any new file appeared (while reading or indexing). */
  beforeWrite: number;
  /** The child had finished before the kill landed. */
  finishedFirst: number;
  /** The manifest named the previous generation after the kill (not the new one). */
  previousGenerationKept: number;
  failures: number;
  failuresSample: string[];
}

export interface PairsReport {
  tried: number;
  kinds: Record<string, number>;
  failures: number;
  failuresSample: string[];
}

const LOCK_FILE = 'write.lock';
const BULK_FILES = 60;
const PARAGRAPHS = 60;

/** Rewrites some bulk files with this round's words; sometimes adds or removes one. Returns a word and the file that holds it. */
function changeCorpus(corpusDir: string, rng: Rng, round: number): { word: string; source: string } {
  const rewrite = rng.int(3, 15);
  let probe = { word: '', source: '' };
  for (let k = 0; k < rewrite; k++) {
    const f = rng.int(0, BULK_FILES - 1);
    const paragraphs = Array.from({ length: PARAGRAPHS }, (_, p) => `Paragraph ${p} of file ${f} in round ${round} mentions zebra${round}x${f}x${p} and quokka${p} in a sentence about nothing much.`);
    writeFileSync(path.join(corpusDir, `bulk-${f}.txt`), `Bulk ${f} round ${round}\n\n${paragraphs.join('\n\n')}\n`);
    probe = { word: `zebra${round}x${f}x${rng.int(0, PARAGRAPHS - 1)}`, source: `bulk-${f}.txt` };
  }
  if (rng.chance(0.2)) rmSync(path.join(corpusDir, `extra-${rng.int(0, 4)}.txt`), { force: true });
  if (rng.chance(0.3)) writeFileSync(path.join(corpusDir, `extra-${rng.int(0, 4)}.txt`), `Extra round ${round}\n\nThe ibex${round} note.\n`);
  return probe;
}

/** New generation or temp files in the index folder (other than those of `generation`). */
function writingNow(indexDir: string, generation: string | undefined): string[] {
  let names: string[];
  try {
    names = readdirSync(indexDir);
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith('.tmp') || (/^(store|minisearch)-/.test(name) && (generation === undefined || !name.includes(generation))));
}

/** Problems with the generation the manifest names: missing, unreadable, or not loadable. */
async function generationProblems(indexDir: string): Promise<{ problems: string[]; generation?: string; index?: VerbatimIndex }> {
  const manifest = await readManifest(indexDir);
  if ('error' in manifest) return { problems: [`manifest: ${manifest.error}`] };
  try {
    const index = VerbatimIndex.fromSnapshot(await readSnapshot(indexDir, manifest));
    const problems: string[] = [];
    if (index.passageCount !== manifest.counts.passages) problems.push(`generation ${manifest.generation} has ${index.passageCount} passages, the manifest says ${manifest.counts.passages}`);
    if (index.fileCount !== manifest.counts.files) problems.push(`generation ${manifest.generation} has ${index.fileCount} files, the manifest says ${manifest.counts.files}`);
    return { problems, generation: manifest.generation, index };
  } catch (error) {
    return { problems: [`generation ${manifest.generation} named by the manifest does not load: ${(error as Error).message.slice(0, 200)}`], generation: manifest.generation };
  }
}

async function currentGeneration(indexDir: string): Promise<string | undefined> {
  const manifest = await readManifest(indexDir);
  return 'error' in manifest ? undefined : manifest.generation;
}

export async function killAudit(options: CrashAuditOptions): Promise<KillsReport> {
  const rng = new Rng(options.seed).fork('kills');
  const { root, corpusDir, indexDir } = tempCorpus('verbatim-audit-kills-');
  const failures = new Failures();
  const report = { tried: 0, duringWrite: 0, beforeWrite: 0, finishedFirst: 0, previousGenerationKept: 0 };
  try {
    for (let f = 0; f < BULK_FILES; f++) changeCorpus(corpusDir, new Rng(f + 1), 0);
    await openIndex({ corpusDir, indexDir });
    for (let round = 1; round <= options.kills; round++) {
      const probe = changeCorpus(corpusDir, rng, round);
      const before = await currentGeneration(indexDir);
      const plan = { full: rng.chance(0.3), onWrite: rng.chance(0.5), delay: rng.int(0, 400) };
      report.tried++;
      const label = `kill ${round} (${plan.full ? 'full' : 'incremental'}, ${plan.onWrite ? 'on first new file' : `${plan.delay} ms after the lock`})`;
      const { code, signal, seenAtKill, stderr } = await reindexAndKill({ corpusDir, indexDir }, before, plan, () => failures.add(`kill ${round}: the reindex neither wrote nor finished within 120 s`));
      if (signal === 'SIGKILL') {
        if (seenAtKill.length) report.duringWrite++;
        else report.beforeWrite++;
      } else {
        report.finishedFirst++;
        if (code !== 0) failures.add(`${label}: the reindex exited ${code} before the kill: ${firstLines(stderr)}`);
      }
      if (/\n\s+at \S/.test(stderr)) failures.add(`${label}: stack trace: ${firstLines(stderr)}`);

      // What the kill left: the manifest names a complete, loadable generation.
      const left = await generationProblems(indexDir);
      for (const problem of left.problems) failures.add(`${label}: after the kill, ${problem}`);
      if (signal === 'SIGKILL' && left.generation === before) report.previousGenerationKept++;
      if (left.index && !ask(left.index, 'Oliver Stone documentary').answered) failures.add(`${label}: the surviving generation does not answer a bundled question`);
      await checkRecovery({ corpusDir, indexDir }, probe, label, failures);
      if (round % 5 === 0) options.log(`kills: ${round}/${options.kills}`);
    }
  } catch (error) {
    failures.add(`kill audit crashed: ${(error as Error)?.stack ?? String(error)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { ...report, failures: failures.count, failuresSample: failures.sample };
}

/**
 * `npm run reindex` in a child, SIGKILLed when it writes its first new file (`onWrite`) or
 * `delay` ms after it takes the lock, unless it finishes first (watched for 120 s at most).
 */
async function reindexAndKill(location: { corpusDir: string; indexDir: string }, before: string | undefined, plan: { full: boolean; onWrite: boolean; delay: number }, onStuck: () => void) {
  const { corpusDir, indexDir } = location;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'reindex.ts'), ...(plan.full ? ['--full'] : [])], {
    cwd: PROJECT_ROOT,
    env: childEnvironment({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, LOG_LEVEL: 'silent' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  // Watch the folder until the moment to kill, or until the child is done by itself (bounded).
  let seenAtKill: string[] = [];
  const deadline = Date.now() + 120_000;
  let lockSeenAt: number | undefined;
  while (!exitedYet && Date.now() < deadline) {
    const fresh = writingNow(indexDir, before);
    if (lockSeenAt === undefined && existsSync(path.join(indexDir, LOCK_FILE))) lockSeenAt = Date.now();
    const now = plan.onWrite ? fresh.length > 0 : lockSeenAt !== undefined && Date.now() - lockSeenAt >= plan.delay;
    if (now) {
      seenAtKill = fresh;
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (!exitedYet && Date.now() >= deadline) {
    child.kill('SIGKILL');
    onStuck();
  }
  return { ...(await exited), seenAtKill, stderr };
}

/** The next open succeeds (recovering the dead writer's lock) and brings the index up to date. */
async function checkRecovery(location: { corpusDir: string; indexDir: string }, probe: { word: string; source: string }, label: string, failures: Failures): Promise<void> {
  const { corpusDir, indexDir } = location;
  try {
    const opened = await openIndex({ corpusDir, indexDir, lockWaitMs: 30_000 });
    const answer = ask(opened.index, probe.word, { top: 3 });
    if (answer.results[0]?.source !== probe.source) failures.add(`${label}: after the next open, "${probe.word}" is not found in ${probe.source} (got ${answer.results[0]?.source ?? 'nothing'})`);
    const again = await openIndex({ corpusDir, indexDir, lockWaitMs: 0 });
    if (!again.origin.loaded) failures.add(`${label}: the open after the recovery rebuilt again: ${again.origin.reason}`);
  } catch (error) {
    failures.add(`${label}: the next openIndex failed: ${(error as Error).name}: ${(error as Error).message}`);
  }
  // A writer killed after its manifest was written but before it released the lock leaves
  // `write.lock`, and an open that finds the index current does not write, so it stays:
  // readers never delete. It must then be recovered at once by the next writer.
  if (existsSync(path.join(indexDir, LOCK_FILE))) {
    try {
      await reindex({ corpusDir, indexDir, lockWaitMs: 0 });
      if (existsSync(path.join(indexDir, LOCK_FILE))) failures.add(`${label}: write.lock is still there after the next reindex`);
    } catch (error) {
      failures.add(`${label}: the dead writer's lock was not recovered: ${(error as Error).message}`);
    }
  }
  const after = await generationProblems(indexDir);
  for (const problem of after.problems) failures.add(`${label}: after the next open, ${problem}`);
}

const PAIR_KINDS: Array<{ name: string; a: string[]; b: string[] }> = [
  { name: 'reindex + reindex', a: ['reindex'], b: ['reindex'] },
  { name: 'reindex --full + reindex', a: ['reindex', '--full'], b: ['reindex'] },
  { name: 'ask + ask on a stale index', a: ['ask', '--json'], b: ['ask', '--json'] },
  { name: 'reindex --full + reindex --full', a: ['reindex', '--full'], b: ['reindex', '--full'] },
  { name: 'ask + reindex', a: ['ask', '--json'], b: ['reindex'] },
];

export async function pairAudit(options: CrashAuditOptions): Promise<PairsReport> {
  const rng = new Rng(options.seed).fork('pairs');
  const { root, corpusDir, indexDir } = tempCorpus('verbatim-audit-pairs-');
  const failures = new Failures();
  const kinds: Record<string, number> = {};
  let tried = 0;
  try {
    for (let f = 0; f < BULK_FILES; f++) changeCorpus(corpusDir, new Rng(f + 1), 0);
    await openIndex({ corpusDir, indexDir });
    for (let pair = 1; pair <= options.pairs; pair++) {
      const probe = changeCorpus(corpusDir, rng, 1000 + pair);
      const kind = PAIR_KINDS[(pair - 1) % PAIR_KINDS.length]!;
      kinds[kind.name] = (kinds[kind.name] ?? 0) + 1;
      tried++;
      const label = `pair ${pair} (${kind.name})`;
      const settings = { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, LOG_LEVEL: 'warn' };
      const run = (argv: string[]): Promise<ChildResult> => {
        const [script, ...args] = argv;
        return runScript(script!, script === 'ask' ? [...args, probe.word] : args, settings, 180_000);
      };
      const results = await Promise.all([run(kind.a), run(kind.b)]);
      results.forEach((result, i) => {
        const which = `${label} ${i === 0 ? 'first' : 'second'}`;
        for (const problem of exitProblems(result, [0])) failures.add(`${which}: ${problem}`);
        const argv = i === 0 ? kind.a : kind.b;
        if (argv[0] === 'ask' && result.code === 0) {
          try {
            const answer = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as { results?: Array<{ source: string }> };
            if (answer.results?.[0]?.source !== probe.source) failures.add(`${which}: "${probe.word}" not answered from ${probe.source} (got ${answer.results?.[0]?.source ?? 'nothing'})`);
          } catch {
            failures.add(`${which}: ask printed no JSON line: ${firstLines(result.stdout)}`);
          }
        }
      });
      const left = await generationProblems(indexDir);
      for (const problem of left.problems) failures.add(`${label}: ${problem}`);
      const names = readdirSync(indexDir);
      if (names.includes(LOCK_FILE)) failures.add(`${label}: write.lock left behind`);
      const temps = names.filter((name) => name.endsWith('.tmp'));
      if (temps.length) failures.add(`${label}: temp files left behind: ${temps.join(', ')}`);
      if (left.generation && !names.includes(`store-${left.generation}.json`)) failures.add(`${label}: the manifest's generation is missing`);
      try {
        const opened = await openIndex({ corpusDir, indexDir, lockWaitMs: 0 });
        if (!opened.origin.loaded) failures.add(`${label}: the index is not up to date after both finished: ${opened.origin.reason}`);
      } catch (error) {
        failures.add(`${label}: openIndex after the pair failed: ${(error as Error).name}: ${(error as Error).message}`);
      }
      if (pair % 5 === 0) options.log(`pairs: ${pair}/${options.pairs}`);
    }
  } catch (error) {
    failures.add(`pair audit crashed: ${(error as Error)?.stack ?? String(error)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { tried, kinds, failures: failures.count, failuresSample: failures.sample };
}
