import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.ts';
import { corpusCopy, tempDir } from './helpers.ts';

const run = promisify(execFile);
const location = corpusCopy();

/** Runs a CLI script the way `npm run -s <name>` does, against a temp corpus and index. */
async function cli(script: string, args: string[], input?: string) {
  const env = { ...process.env, CORPUS_DIR: location.corpusDir, INDEX_DIR: location.indexDir, LOG_LEVEL: 'error' };
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
    [['--corpus', '/definitely/not/here', 'hello'], /Corpus folder not found/],
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
});
