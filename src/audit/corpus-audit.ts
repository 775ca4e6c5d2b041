/**
 * Audit part 3: a corpus folder holding every odd file the hardening issue lists, beside
 * the bundled articles. It must build without a crash, load on the next open (an
 * unreadable file must not make the index rebuild every time), leave an incremental
 * reindex with nothing to do, list each odd file as indexed or skipped with a reason, and
 * answer hostile questions with verbatim quotes, throwing nothing but `QueryError`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ask } from '../core/answer.ts';
import { DEFAULT_CORPUS_DIR } from '../config.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { readManifest, type Manifest } from '../library/index-store.ts';
import { openIndex, reindex } from '../library/indexer.ts';
import { QueryError } from '../core/query.ts';
import { exitProblems, Failures, firstLines, runScript, SourceLines, verbatimProblem } from './cli-audit.ts';
import { hostileQuestions, Rng } from './hostile-text.ts';

export interface CorpusAuditOptions {
  seed: number;
  /** Hostile questions asked of the odd corpus. */
  questions: number;
  log: (line: string) => void;
}

export interface OddFileOutcome {
  file: string;
  expected: 'indexed' | 'skipped' | 'skipped or not listed';
  outcome: string;
}

export interface CorpusAuditReport {
  oddFiles: number;
  buildMs: number;
  secondOpenLoaded: boolean;
  secondOpenMs: number;
  incrementalReindexChanges: number;
  filesIndexed: number;
  passages: number;
  skipped: Array<{ file: string; reason: string }>;
  notes: string[];
  files: OddFileOutcome[];
  questions: number;
  refused: number;
  quotesChecked: number;
  slowestMs: number;
  slowestQuestion: string;
  failures: number;
  failuresSample: string[];
}

const MiB = 1024 * 1024;
/** A build of the odd corpus takes about a second here; five minutes means it never ends. */
const BUILD_TIMEOUT_MS = 300_000;

/** Stops the part early with one failure (the rest would only repeat it). */
class AbortPart extends Error {}

/** Writes the odd files; returns what each should become and notes on what could not be made. */
export function buildOddCorpus(corpusDir: string, outside: string, seed: number): { expected: Array<Omit<OddFileOutcome, 'outcome'>>; notes: string[] } {
  const rng = new Rng(seed).fork('corpus');
  const expected: Array<Omit<OddFileOutcome, 'outcome'>> = [];
  const notes: string[] = [];
  const put = (name: string, content: string | Buffer, expect: OddFileOutcome['expected']) => {
    const file = path.join(corpusDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    expected.push({ file: name, expected: expect });
  };

  const elf = Buffer.alloc(16 * 1024);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(elf);
  for (let i = 8; i < elf.length; i++) elf[i] = rng.int(0, 255);
  put('binary-elf.txt', elf, 'skipped');
  put('latin1.txt', Buffer.from('Café Müller naïve résumé: Putin and the troll farm, señor.\n', 'latin1'), 'skipped');
  put('latin1.md', Buffer.from('# Überschrift\n\nGrüße aus Köln über Mueller.\n', 'latin1'), 'skipped');
  put('empty.txt', '', 'indexed');
  // 16 MB of letters without a space or a sentence end.
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  put('long-line.txt', Buffer.from(Array.from({ length: 16 * 1000 * 1000 }, (_, i) => letters.charCodeAt((i * 7) % 26))), 'indexed');
  put('dots.txt', '.'.repeat(2 * 1000 * 1000), 'indexed');
  put('heading.md', `#${' '.repeat(50_000)}x\n\nA paragraph under a very wide heading mentions the quokka ambassador.\n`, 'indexed');
  put(
    'unicode.txt',
    '\ufeffTitle with a BOM\r\n\r\n' +
      'Zero\u200bwidth\u200bspaces and soft\u00adhyphen\u00adated words about Pu\u00adtin.\r\n\r\n' +
      'Combining: Z\u0335\u0321a\u0334l\u0337g\u0338o and e\u0301\u0301\u0301 marks.\r\n\r\n' +
      "NFD: chargé d'affaires, café, naïve.".normalize('NFD') +
      '\r\n\r\nRTL \u202eesrever\u202c and emoji 👩‍👩‍👧‍👦 🏳️‍🌈 in a sentence about the walrus committee.\r\n',
    'indexed',
  );
  put('backslashes.txt', `${'\\'.repeat(10_000)}\n\nAfter the backslashes, a sentence about the narwhal treaty.\n`, 'indexed');
  put('weird ] ( ) # % é 日本 name.md', '# Weird name\n\nThe zyzzyva report names this file oddly.\n', 'indexed');
  put('folder.txt/inside.md', '# Inside a folder named folder.txt\n\nThe axolotl accord was signed here.\n', 'indexed');
  put(`${Array.from({ length: 30 }, (_, i) => `level${i}`).join('/')}/deep.txt`, 'Thirty folders down, the pangolin protocol.\n', 'indexed');
  put('nul-bytes.txt', 'Text with a NUL \u0000 byte and the okapi \u0000 statement.\n', 'indexed');
  put('markdown-mentions.md', '# Pings\n\n@everyone <@123456789012345678> <@&123456789012345678> **bold** ```fence``` [link](https://x.example) about the tapir.\n', 'indexed');
  put('crlf-only.txt', '\r\n\r\n\r\n', 'indexed');
  // Markdown micromark took quadratic time on: 20,000 setext headings (a minute), 20,000 list
  // items nested five deep, an `.mdx` page of Liquid tags MDX cannot parse; and our own reading
  // of 20,000 front matter keys and of a paragraph of 4,000 marker lines.
  put('setext.md', `${Array.from({ length: 20_000 }, (_, i) => `Part ${i}\n---\n`).join('')}\nThe ocelot charter closes the file.\n`, 'indexed');
  put('liquid-tags.mdx', `${Array.from({ length: 4_000 }, (_, i) => `{% tab title="npm ${i}" %}\nInstall it with { braces }.\n{% endtab %}`).join('\n\n')}\n\nThe gecko accord ends the tabs.\n`, 'indexed');
  put('front-matter-keys.md', `---\n${Array.from({ length: 20_000 }, (_, i) => `key${i}: value`).join('\n')}\ntitle: Many keys\n---\n\nThe heron pact sits under the keys.\n`, 'indexed');
  put('marker-lines.mdx', `${Array.from({ length: 4_000 }, (_, i) => `:::{note}\nNote ${i}.`).join('\n')}\n\nThe lemur treaty closes the notes.\n`, 'indexed');
  put('nested-items.md', `${Array.from({ length: 20_000 }, (_, i) => `${'  '.repeat(i % 5)}- item ${i}`).join('\n')}\n\nThe ibex covenant follows the list.\n`, 'indexed');

  // Over the 64 MiB cap: a sparse file, so it costs no disk.
  put('huge.txt', 'start\n', 'skipped');
  truncateSync(path.join(corpusDir, 'huge.txt'), 65 * MiB);

  writeFileSync(outside, 'OUTSIDE_THE_CORPUS secret text\n');
  symlinkSync(outside, path.join(corpusDir, 'link-out.txt'));
  expected.push({ file: 'link-out.txt', expected: 'skipped' });
  symlinkSync(path.join(corpusDir, 'does-not-exist.txt'), path.join(corpusDir, 'broken.txt'));
  expected.push({ file: 'broken.txt', expected: 'skipped' });
  try {
    execFileSync('mkfifo', [path.join(corpusDir, 'pipe.txt')], { stdio: 'ignore' });
    expected.push({ file: 'pipe.txt', expected: 'skipped or not listed' });
  } catch {
    notes.push('mkfifo is not available: no FIFO in the corpus');
  }
  return { expected, notes };
}

/** Questions aimed at the odd files, before the generated hostile ones. */
const TARGETED = [
  'zyzzyva report',
  'file:weird zyzzyva',
  'file:"weird ] ( ) # % é 日本 name.md" zyzzyva',
  'file:folder.txt/inside.md axolotl',
  'file:inside axolotl accord',
  'file:deep pangolin',
  'pangolin protocol',
  'quokka ambassador',
  'narwhal treaty',
  'walrus committee',
  'soft hyphenated Putin',
  'softhyphenated',
  'Zerowidth spaces',
  "chargé d'affaires café",
  'okapi statement',
  'tapir everyone',
  'abcdefghijklmnopqrstuvwxyz',
  'hovcjqxelszgnubipwdkryfmta',
  '...',
  'x',
  'file:long-line letters',
  'file:dots dots',
  'file:binary-elf elf',
  'file:latin1 Putin',
  'file:huge start',
  'file:link-out secret',
  'file:pipe anything',
  'OUTSIDE_THE_CORPUS',
  'file:empty nothing',
  'file:level0 pangolin',
  'ocelot charter',
  'ibex covenant',
  'gecko accord',
  'heron pact',
  'lemur treaty',
];

export async function corpusAudit(options: CorpusAuditOptions): Promise<CorpusAuditReport> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'verbatim-audit-corpus-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  const failures = new Failures();
  try {
    cpSync(DEFAULT_CORPUS_DIR, corpusDir, { recursive: true });
    const { expected, notes } = buildOddCorpus(corpusDir, path.join(root, 'outside.txt'), options.seed);
    options.log(`corpus: ${expected.length} odd files written; building the index`);
    const sources = new SourceLines(corpusDir);
    const buildMs = await firstOpen(corpusDir, indexDir, sources, failures, options.log);
    const { second, secondOpenMs, changes } = await openAgain(corpusDir, indexDir, failures, options.log);
    const { manifest, index } = second;
    const { skipped, files } = oddFileOutcomes(expected, index, manifest, failures);
    if (files.some((f) => f.file === 'pipe.txt' && f.outcome === 'not listed')) notes.push('pipe.txt (a FIFO) is neither indexed nor listed among the skipped files');
    // Hostile questions, with and without the relevance rule, on the odd corpus.
    const list = [...TARGETED, ...hostileQuestions(options.seed + 2, Math.max(0, options.questions - TARGETED.length)).map((q) => q.text)];
    options.log(`corpus: ${list.length} hostile questions`);
    const asked = askAll(index, list, sources, failures);
    return {
      ...EMPTY_REPORT,
      oddFiles: expected.length,
      buildMs: Math.round(buildMs),
      secondOpenLoaded: second.origin.loaded,
      secondOpenMs: Math.round(secondOpenMs),
      incrementalReindexChanges: changes,
      filesIndexed: manifest.counts.files,
      passages: manifest.counts.passages,
      skipped,
      notes,
      files,
      questions: list.length,
      ...asked,
      failures: failures.count,
      failuresSample: failures.sample,
    };
  } catch (error) {
    failures.add(error instanceof AbortPart ? error.message : `corpus audit crashed: ${(error as Error)?.stack ?? String(error)}`);
    return { ...EMPTY_REPORT, failures: failures.count, failuresSample: failures.sample };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const EMPTY_REPORT: CorpusAuditReport = {
  oddFiles: 0,
  buildMs: 0,
  secondOpenLoaded: false,
  secondOpenMs: 0,
  incrementalReindexChanges: 0,
  filesIndexed: 0,
  passages: 0,
  skipped: [],
  notes: [],
  files: [],
  questions: 0,
  refused: 0,
  quotesChecked: 0,
  slowestMs: 0,
  slowestQuestion: '',
  failures: 0,
  failuresSample: [],
};

/**
 * The first open builds; it runs in a child (`ask`, which opens the index with openIndex)
 * so that a build that never ends is reported instead of hanging the audit. Returns the build time.
 */
async function firstOpen(corpusDir: string, indexDir: string, sources: SourceLines, failures: Failures, log: (line: string) => void): Promise<number> {
  const build = await runScript('ask', ['--json', '--top', '5', 'Putin troll farm zyzzyva'], { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, LOG_LEVEL: 'warn' }, BUILD_TIMEOUT_MS);
  const buildProblems = exitProblems(build, [0]);
  if (build.code !== 0) throw new AbortPart(`the first open (build, in \`ask\`) failed: ${buildProblems.join('; ') || firstLines(build.stderr)}`);
  for (const problem of buildProblems) failures.add(`first open (build, in \`ask\`): ${problem}`);
  try {
    const answer = JSON.parse(build.stdout.trim()) as { results: Array<{ source: string; lines: [number, number]; quote: string }> };
    for (const result of answer.results) {
      const problem = verbatimProblem(sources, result);
      if (problem) failures.add(`first open's answer: non-verbatim quote: ${problem}`);
    }
  } catch {
    failures.add(`first open: ask --json printed ${JSON.stringify(build.stdout.slice(0, 120))}`);
  }
  const built = await readManifest(indexDir);
  if ('error' in built) throw new AbortPart(`after the build: ${built.error}`);
  log(`corpus: built in ${built.buildMs} ms (${Math.round(build.ms)} ms with the process; ${built.counts.files} files, ${built.counts.passages} passages); opening again`);
  return built.buildMs;
}

/** A second open must load, an incremental reindex right after must find nothing, a third open must load. */
async function openAgain(corpusDir: string, indexDir: string, failures: Failures, log: (line: string) => void) {
  const started = performance.now();
  const second = await openIndex({ corpusDir, indexDir });
  const secondOpenMs = performance.now() - started;
  if (!second.origin.loaded) failures.add(`the second open rebuilt instead of loading: ${second.origin.reason}`);
  log(`corpus: second open ${second.origin.loaded ? 'loaded' : 'rebuilt'} in ${Math.round(secondOpenMs)} ms; incremental reindex`);
  const again = await reindex({ corpusDir, indexDir });
  const changes = again.report.filesAdded.length + again.report.filesChanged.length + again.report.filesRemoved.length + again.report.skipped.length;
  if (changes) failures.add(`an incremental reindex right after the build found changes: ${JSON.stringify({ ...again.report, durationMs: undefined }).slice(0, 300)}`);
  const third = await openIndex({ corpusDir, indexDir });
  if (!third.origin.loaded) failures.add(`the open after an incremental reindex rebuilt: ${third.origin.reason}`);
  return { second, secondOpenMs, changes };
}

/** What became of each odd file, against what was expected of it. */
function oddFileOutcomes(expected: ReadonlyArray<Omit<OddFileOutcome, 'outcome'>>, index: VerbatimIndex, manifest: Manifest, failures: Failures) {
  const skipped = [...manifest.unreadable.map((f) => ({ file: f.source, reason: f.reason })), ...manifest.ignored.map((f) => ({ file: f.source, reason: f.reason }))].sort((a, b) =>
    a.file < b.file ? -1 : 1,
  );
  const files: OddFileOutcome[] = expected.map((e) => {
    const record = index.file(e.file);
    const skip = skipped.find((s) => s.file === e.file);
    const outcome = record ? `indexed (${record.chunks.length} chunks)` : skip ? `skipped: ${skip.reason}` : 'not listed';
    const ok = e.expected === 'indexed' ? Boolean(record) : e.expected === 'skipped' ? Boolean(skip) : !record;
    if (!ok) failures.add(`${e.file}: expected ${e.expected}, got ${outcome}`);
    return { ...e, outcome };
  });
  // Things listed by neither: the bundled files are indexed, everything else was written above.
  for (const source of index.sources()) {
    if (!expected.some((e) => e.file === source) && !/^00\d_/.test(source)) failures.add(`unexpected indexed source ${source}`);
  }
  return { skipped, files };
}

/** Every question with and without the relevance rule (every fifth also paged): quotes exact, nothing from outside. */
function askAll(index: VerbatimIndex, list: readonly string[], sources: SourceLines, failures: Failures) {
  const counts = { refused: 0, quotesChecked: 0, slowestMs: 0, slowestQuestion: '' };
  for (const [i, question] of list.entries()) {
    const variants = [{ top: 5 }, { top: 5, requireRelevance: false }, ...(i % 5 === 0 ? [{ top: 50, offset: 3, requireRelevance: false }] : [])];
    for (const askOptions of variants) {
      const t0 = performance.now();
      try {
        const answer = ask(index, question, askOptions);
        for (const result of answer.results) {
          counts.quotesChecked++;
          const problem = verbatimProblem(sources, result);
          if (problem) failures.add(`${JSON.stringify(question.slice(0, 60))}: non-verbatim quote: ${problem}`);
          if (result.source === 'link-out.txt' || result.quote.includes('OUTSIDE_THE_CORPUS')) failures.add(`${JSON.stringify(question.slice(0, 60))}: quoted a file outside the corpus`);
        }
      } catch (error) {
        if (error instanceof QueryError) counts.refused++;
        else failures.add(`${JSON.stringify(question.slice(0, 60))}: threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      }
      const ms = performance.now() - t0;
      if (ms > counts.slowestMs) {
        counts.slowestMs = ms;
        counts.slowestQuestion = question.slice(0, 120);
      }
    }
  }
  return { ...counts, slowestMs: Math.round(counts.slowestMs * 10) / 10 };
}
