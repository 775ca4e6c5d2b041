import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.ts';
import { progressReporter } from '../../src/terminal/render.ts';
import { corpusCopy, tempDir } from '../helpers.ts';

const run = promisify(execFile);
const location = corpusCopy();

/** Runs a CLI script the way `npm run -s <name>` does, against a temp corpus and index. */
async function cli(script: string, args: string[], input?: string, extraEnv: Record<string, string> = {}) {
  const env = { ...process.env, CORPUS_DIR: location.corpusDir, INDEX_DIR: location.indexDir, LOG_LEVEL: 'error', ...extraEnv };
  try {
    const child = run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', `${script}.ts`), ...args], { env, cwd: PROJECT_ROOT });
    if (input !== undefined) {
      child.child.stdin!.end(input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ask CLI', () => {
  it('--json prints exactly one line with the documented shape', async () => {
    const { code, stdout } = await cli('ask', ['--json', '--top', '2', "who is Putin's chef?"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!);
    expect(Object.keys(answer)).toEqual(['query', 'answered', 'results', 'tookMs']);
    expect(answer.answered).toBe(true);
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(2);
    expect(Object.keys(answer.results[0])).toEqual(['source', 'lines', 'quote', 'score']);
    expect(answer.results[0].source).toBe('000_0c2a6b0584480c89.txt');
    expect(answer.results[0].quote).toContain("Putin's chef");
  });

  it('--file answers one question per line, in order', async () => {
    const file = path.join(tempDir(), 'questions.txt');
    writeFileSync(file, 'Which filmmaker interviewed Putin?\n\nHow do I bake sourdough bread?\n?!?\n');
    const { stdout, code } = await cli('ask', ['--json', '--file', file]);
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers.map((a) => a.query)).toEqual(['Which filmmaker interviewed Putin?', 'How do I bake sourdough bread?', '?!?']);
    expect(answers.map((a) => a.answered)).toEqual([true, false, false]);
    expect(answers[2].error).toMatch(/no words/);
    expect(code).toBe(1);
  });

  it('prints readable blocks with source:Lstart-Lend (no ANSI when not a TTY)', async () => {
    const { stdout, code } = await cli('ask', ['Oliver Stone documentary']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/004_18fad831f6d1eeb5\.txt:L5-L5/);
    expect(stdout).not.toContain('\x1b[');
  });

  it.each([
    [['', ''], /empty/],
    [['?!?'], /no words/],
    [['x'.repeat(10_000)], /too long/],
    [['--bogus', 'x'], /Unknown option '--bogus'/],
    [['--top', 'zero', 'x'], /--top must be/],
    [['--corpus', '/definitely/not/here', 'hello'], /--corpus \/definitely\/not\/here: corpus folder not found/],
    [[], /usage/],
  ])('bad input %# gets one line on stderr and a non-zero exit', async (args, message) => {
    const { code, stderr, stdout } = await cli('ask', args as string[]);
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message as RegExp);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});

describe('reindex CLI and the prompt', () => {
  it('reindex prints the diff report', async () => {
    const { code, stdout } = await cli('reindex', ['--full']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Full rebuild done in \d+ ms: 5 files, \d+ passages/);
    const again = await cli('reindex', []);
    expect(again.stdout).toMatch(/files unchanged 5/);
  });

  it('npm run prompt answers typed questions and understands /help and /quit', async () => {
    const { code, stdout } = await cli('prompt', [], 'Which magazine reported Goldman apology?\n/help\n/quit\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Verbatim — 5 files/);
    expect(stdout).toMatch(/Wired/);
    expect(stdout).toMatch(/000_0c2a6b0584480c89\.txt:L27-L27/);
    expect(stdout).toMatch(/Query syntax/);
    expect(stdout).toMatch(/Bye\./);
  });

  it('npm run prompt reindexes through the library and answers from the new index', async () => {
    const own = corpusCopy();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'prompt.ts')], {
      env: { ...process.env, CORPUS_DIR: own.corpusDir, INDEX_DIR: own.indexDir, LOG_LEVEL: 'error' },
      cwd: PROJECT_ROOT,
    });
    let stdout = '';
    let onOutput = () => {};
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      onOutput();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const refused = new Promise<void>((resolve) => (onOutput = () => /Not found in the corpus/.test(stdout) && resolve()));
    child.stdin.write('where do red kites hunt\n');
    await refused;
    // The file arrives while the prompt runs: only /reindex can bring it in.
    writeFileSync(path.join(own.corpusDir, 'kites.txt'), 'Red kites hunt over open fields in winter.\n');
    child.stdin.end('/reindex\nwhere do red kites hunt\n/quit\n');
    expect(await exited).toBe(0);
    const [, after] = stdout.split(/Reindex done in \d+ ms/);
    expect(after).toMatch(/files added 1: kites\.txt/);
    expect(after).toMatch(/kites\.txt:L1-L1/);
  });
});

describe('a question word starting with - (item 12)', () => {
  const json = (stdout: string) => {
    const { tookMs: _tookMs, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
    return rest;
  };

  it('-word is a question word (an exclusion), in its place, with or without --', async () => {
    const bare = await cli('ask', ['--json', '-putin', 'chef']);
    expect(bare.stderr).not.toMatch(/Unknown option/);
    expect(bare.code).toBe(0);
    const separated = await cli('ask', ['--json', '--', '-putin', 'chef']);
    expect(json(bare.stdout)).toEqual(json(separated.stdout));
    expect(json(bare.stdout).query).toBe('-putin chef');
    const middle = await cli('ask', ['--json', '--top', '2', 'chef', '-putin', '-3']);
    expect(middle.code).toBe(0);
    expect(json(middle.stdout).query).toBe('chef -putin -3');
  });

  it('an unknown --flag is still a usage error (exit 2), and the usage line mentions --', async () => {
    const unknown = await cli('ask', ['--putin', 'chef']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^verbatim: Unknown option '--putin' \(a question starting with -- goes after --\)$/);
    const usage = await cli('ask', []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/\[--\] "question"/);
    expect(usage.stderr).toMatch(/-word excludes a word/);
  });
});

describe('indexing progress at start (item 15)', () => {
  it('ask shows a few plain progress lines on stderr when it builds the index, none when it loads it', async () => {
    const indexDir = path.join(tempDir(), 'fresh-index');
    const built = await cli('ask', ['--index', indexDir, 'Oliver Stone documentary']);
    expect(built.code).toBe(0);
    const lines = built.stderr.split('\n').filter((line) => line.startsWith('Building the index'));
    expect(lines[0]).toBe('Building the index: Scanning the corpus… 0/5');
    expect(lines).toContain('Building the index: Reading files… 0/5');
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(built.stderr).not.toContain('\r');
    expect(built.stdout).toMatch(/004_18fad831f6d1eeb5\.txt:L5-L5/);

    const loaded = await cli('ask', ['--index', indexDir, 'Oliver Stone documentary']);
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).not.toMatch(/Building the index/);
  });

  it('npm run prompt shows it too, before its first line', async () => {
    const indexDir = path.join(tempDir(), 'prompt-index');
    const { code, stdout, stderr } = await cli('prompt', [], '/quit\n', { INDEX_DIR: indexDir });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Building the index: Scanning the corpus… 0\/5$/m);
    expect(stdout).toMatch(/^Verbatim — 5 files/);
  });

  it('on a terminal the line is redrawn in place (at most every 100 ms or at a new phase) and cleared at the end', () => {
    const writes: string[] = [];
    let clock = 0;
    const reporter = progressReporter({ isTTY: true, write: (text: string) => writes.push(text) }, { now: () => clock });
    reporter.update({ phase: 'scan', done: 0, total: 3 });
    reporter.update({ phase: 'read', done: 0, total: 3 });
    clock = 50;
    reporter.update({ phase: 'read', done: 1, total: 3 });
    clock = 150;
    reporter.update({ phase: 'read', done: 2, total: 3 });
    reporter.finish();
    expect(writes).toEqual([
      '\rBuilding the index: Scanning the corpus… 0/3\x1b[K',
      '\rBuilding the index: Reading files… 0/3\x1b[K',
      '\rBuilding the index: Reading files… 2/3\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('elsewhere a plain line per phase (and one per 5 s within a long phase); nothing when nothing is reported', () => {
    const writes: string[] = [];
    let clock = 0;
    const reporter = progressReporter({ isTTY: false, write: (text: string) => writes.push(text) }, { now: () => clock });
    reporter.update({ phase: 'read', done: 0, total: 1000 });
    clock = 4000;
    reporter.update({ phase: 'read', done: 400, total: 1000 });
    clock = 5000;
    reporter.update({ phase: 'read', done: 500, total: 1000 });
    reporter.update({ phase: 'index', done: 0, total: 1000 });
    reporter.finish();
    expect(writes).toEqual([
      'Building the index: Reading files… 0/1000\n',
      'Building the index: Reading files… 500/1000\n',
      'Building the index: Indexing passages… 0/1000\n',
    ]);
    const silent: string[] = [];
    progressReporter({ isTTY: true, write: (text: string) => silent.push(text) }).finish();
    expect(silent).toEqual([]);
  });
});
