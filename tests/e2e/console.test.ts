/**
 * `npm start` without a token, as a child process with stdout and stderr written to one
 * file (so their order is kept): the first line comes before the index is built, building
 * it shows progress, and options the command definitions do not allow are refused by the
 * console with a readable line — no interaction the bot cannot handle, no stack trace.
 */
import { spawn } from 'node:child_process';
import { closeSync, cpSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.ts';
import { tempDir } from '../helpers.ts';

const OURS = /^(DISCORD_|CORPUS_DIR$|INDEX_DIR$|LOG_LEVEL$|COOLDOWN$|MODERATOR_ROLE_IDS$|SOURCE_BASE_URL$)/;

describe('the local console', () => {
  it('prints its first line before indexing, shows progress, and checks options like Discord does', async () => {
    const root = tempDir('verbatim-e2e-console-');
    cpSync(DEFAULT_CORPUS_DIR, path.join(root, 'corpus'), { recursive: true });
    const outputFile = path.join(root, 'output.txt');
    const fd = openSync(outputFile, 'w');
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !OURS.test(key)));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'start.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...env, CORPUS_DIR: path.join(root, 'corpus'), INDEX_DIR: path.join(root, 'index') },
      stdio: ['pipe', fd, fd],
    });
    closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin!.end(
      [
        '/ask results: 2',
        '/ask question: hello results: abc',
        '/ask question: Putin results: 9',
        `/ask question: ${'x'.repeat(400)}`,
        '/ask question: x private: maybe',
        '/search query: Putin limit: 2 nope: 3',
        '/ask question: Which filmmaker made a documentary series with Putin? results: 1',
        '/quit',
        '',
      ].join('\n'),
    );
    expect(await exited).toBe(0);
    const output = readFileSync(outputFile, 'utf8');
    const lines = output.split('\n');

    expect(lines[0]).toMatch(/^Local Discord at http:\/\/127\.0\.0\.1:\d+ \(no DISCORD_TOKEN set\)/);
    const progress = lines.findIndex((line) => line === 'Building the index: Scanning the corpus… 0/5');
    const connected = lines.findIndex((line) => line.startsWith('Verbatim is connected with 5 files'));
    expect(progress).toBeGreaterThan(0);
    expect(connected).toBeGreaterThan(progress);

    expect(output).toContain('/ask needs the option "question" (question: …)');
    expect(output).toContain('/ask results: "abc" is not a whole number');
    expect(output).toContain('/ask results: must be from 1 to 5 (got 9)');
    expect(output).toContain('/ask question: at most 300 characters (got 400)');
    expect(output).toContain('/ask private: must be true or false (got "maybe")');
    expect(output).toContain('/search has no option "nope" (it has: query, file, limit)');
    expect(output).toMatch(/Oliver Stone/);
    expect(output).not.toMatch(/handler failed|Something went wrong|\n\s+at |Discordjs/);
    expect(output).toMatch(/Bye\.\n$/);
  });
});
