/**
 * Unusable folders and start-up failures: each is one line on stderr naming the setting or
 * flag (`CORPUS_DIR`, `INDEX_DIR`, `--corpus`, `--index`) and what is wrong, exit 1 — for
 * every entry point — and `npm start` ends instead of hanging after a start-up error.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.ts';
import { checkCorpusDir, checkIndexDir, StorageError } from '../../src/library/storage-check.ts';
import { corpusCopy, tempDir } from '../helpers.ts';

const run = promisify(execFile);
const location = corpusCopy();
const root = tempDir();
const aFile = path.join(root, 'a-file.txt');
writeFileSync(aFile, 'not a folder\n');
const underAFile = path.join(aFile, 'sub');

/** Settings Verbatim reads, removed from the inherited environment so only ours count. */
const OURS = /^(DISCORD_|CORPUS_DIR$|INDEX_DIR$|LOG_LEVEL$|COOLDOWN$|MODERATOR_ROLE_IDS$|SOURCE_BASE_URL$)/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  killed?: boolean;
}

/** Runs an entry point as `npm run -s` / `npm start` do, killed after 40 s if it hangs. */
async function cli(script: string, args: string[], env: Record<string, string> = {}, options: { uid?: number; gid?: number } = {}): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !OURS.test(key)));
  const fullEnv = { ...inherited, CORPUS_DIR: location.corpusDir, INDEX_DIR: location.indexDir, LOG_LEVEL: 'error', ...env };
  const target = script.includes('/') ? script : path.join(PROJECT_ROOT, 'src', 'cli', `${script}.ts`);
  try {
    const child = run(process.execPath, ['--import', 'tsx', target, ...args], { env: fullEnv, cwd: PROJECT_ROOT, timeout: 40_000, ...options });
    child.child.stdin?.end();
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number | null; stdout: string; stderr: string; killed?: boolean };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, killed: failed.killed };
  }
}

/** One line on stderr, matching `message`, no stack, exit 1. */
function expectOneLine(result: Run, message: RegExp): void {
  expect(result.killed, 'the process hung and was killed').toBeFalsy();
  expect(result.stderr.trim()).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected error|EEXIST/);
  expect(result.code).toBe(1);
}

describe('storage checks', () => {
  it('the corpus folder: missing, a file, under a file', async () => {
    await expect(checkCorpusDir(location.corpusDir, 'CORPUS_DIR')).resolves.toBeUndefined();
    await expect(checkCorpusDir(path.join(root, 'nope'), 'CORPUS_DIR')).rejects.toThrow(/^CORPUS_DIR \S+nope: corpus folder not found$/);
    await expect(checkCorpusDir(aFile, '--corpus')).rejects.toThrow(/^--corpus \S+a-file\.txt is a file, not a folder$/);
    await expect(checkCorpusDir(underAFile, 'CORPUS_DIR')).rejects.toThrow(/corpus folder not found \(a part of its path is a file, not a folder\)/);
    await expect(checkCorpusDir('/dev/null', 'CORPUS_DIR')).rejects.toThrow(/^CORPUS_DIR \/dev\/null is not a folder$/);
    await expect(checkCorpusDir(aFile, 'CORPUS_DIR')).rejects.toThrow(StorageError);
  });

  it('the index folder: created when missing; a file, /dev/null, under a file are refused', async () => {
    const fresh = path.join(root, 'new', 'index');
    await expect(checkIndexDir(fresh, 'INDEX_DIR')).resolves.toBeUndefined();
    await expect(checkIndexDir(fresh, 'INDEX_DIR')).resolves.toBeUndefined();
    await expect(checkIndexDir(aFile, 'INDEX_DIR')).rejects.toThrow(/^INDEX_DIR \S+a-file\.txt is a file, not a folder$/);
    await expect(checkIndexDir('/dev/null', '--index')).rejects.toThrow(/^--index \/dev\/null is not a folder$/);
    await expect(checkIndexDir(underAFile, 'INDEX_DIR')).rejects.toThrow(/index folder cannot be created \(a part of its path is a file, not a folder\)/);
    await expect(checkIndexDir(aFile, 'INDEX_DIR')).rejects.toThrow(StorageError);
  });
});

describe('an unusable folder is one line naming the setting or flag, exit 1', () => {
  it.each([
    ['ask', ['hello'], { INDEX_DIR: aFile }, /^verbatim: INDEX_DIR \S+a-file\.txt is a file, not a folder$/],
    ['ask', ['hello'], { INDEX_DIR: '/dev/null' }, /^verbatim: INDEX_DIR \/dev\/null is not a folder$/],
    ['ask', ['--index', '/dev/null', 'hello'], {}, /^verbatim: --index \/dev\/null is not a folder$/],
    ['ask', ['--index', underAFile, 'hello'], {}, /^verbatim: --index \S+a-file\.txt\/sub: index folder cannot be created/],
    ['ask', ['hello'], { CORPUS_DIR: aFile }, /^verbatim: CORPUS_DIR \S+a-file\.txt is a file, not a folder$/],
    ['ask', ['--corpus', aFile, 'hello'], {}, /^verbatim: --corpus \S+a-file\.txt is a file, not a folder$/],
    ['ask', ['--corpus', underAFile, 'hello'], {}, /^verbatim: --corpus \S+: corpus folder not found/],
    ['reindex', [], { INDEX_DIR: '/dev/null' }, /^verbatim: INDEX_DIR \/dev\/null is not a folder$/],
    ['reindex', ['--index', aFile], {}, /^verbatim: --index \S+ is a file, not a folder$/],
    ['reindex', ['--corpus', aFile], {}, /^verbatim: --corpus \S+ is a file, not a folder$/],
    ['prompt', [], { INDEX_DIR: underAFile }, /^verbatim: INDEX_DIR \S+: index folder cannot be created/],
    ['prompt', [], { CORPUS_DIR: aFile }, /^verbatim: CORPUS_DIR \S+ is a file, not a folder$/],
  ])('%s %j with %j', async (script, args, env, message) => {
    expectOneLine(await cli(script, args, env), message);
  });

  // As root every folder is writable whatever its mode: the check is then tried as an
  // unprivileged user, which must be able to read the project (a clone in a private temp
  // folder is not readable to it; the other folder checks above still run there).
  const asRoot = process.getuid?.() === 0;
  const unprivilegedCanRun =
    !asRoot ||
    spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'package.json'))}, 4)`], { uid: 65534, gid: 65534 }).status === 0;
  it.skipIf(!unprivilegedCanRun)('a read-only index folder is refused (checked by writing, not by permission bits)', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const readOnly = path.join(parent, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    const result = await cli('reindex', ['--index', readOnly], { CORPUS_DIR: DEFAULT_CORPUS_DIR }, asRoot ? { uid: 65534, gid: 65534 } : {});
    expectOneLine(result, /^verbatim: --index \S+read-only: index folder is not writable \(permission denied\)$/);
  });
});

// A hang is killed by `cli` after 40 s; the tests wait longer than that, so it shows as a failure, not a timeout.
describe('npm start after a start-up error ends: one line, exit 1', { timeout: 60_000 }, () => {
  it.each([
    [{ CORPUS_DIR: aFile }, /^verbatim: CORPUS_DIR \S+ is a file, not a folder$/],
    [{ INDEX_DIR: underAFile }, /^verbatim: INDEX_DIR \S+: index folder cannot be created/],
    [{ INDEX_DIR: '/dev/null' }, /^verbatim: INDEX_DIR \/dev\/null is not a folder$/],
  ])('without a token, %j', async (env, message) => {
    const result = await cli('start', [], env);
    expectOneLine(result, message);
    expect(result.stdout).not.toMatch(/Verbatim is connected/);
  });

  it('with a token, INDEX_DIR=/dev/null', async () => {
    const result = await cli('start', [], { INDEX_DIR: '/dev/null', DISCORD_TOKEN: 'not.a.real-token', DISCORD_API_URL: 'http://127.0.0.1:9/api' });
    expectOneLine(result, /^verbatim: INDEX_DIR \/dev\/null is not a folder$/);
  });

  it('the local console closes the server it started when the bot cannot start', async () => {
    // runLocalConsole on its own (no check in front of it): the index cannot be opened.
    const script = path.join(tempDir(), 'console-fails.mts');
    const src = (file: string) => pathToFileURL(path.join(PROJECT_ROOT, 'src', file)).href;
    writeFileSync(
      script,
      [
        `import { parseConfig } from ${JSON.stringify(src('config.ts'))};`,
        `import { runCli } from ${JSON.stringify(src('cli/run.ts'))};`,
        `import { runLocalConsole } from ${JSON.stringify(src('console/console.ts'))};`,
        `await runCli(() => runLocalConsole(parseConfig({ CORPUS_DIR: ${JSON.stringify(aFile)}, INDEX_DIR: ${JSON.stringify(path.join(root, 'console-index'))}, LOG_LEVEL: 'error' })));`,
      ].join('\n'),
    );
    const result = await cli(script, []);
    expect(result.stdout).toMatch(/^Local Discord at http:\/\/127\.0\.0\.1:\d+/);
    expectOneLine(result, /^verbatim: Corpus folder is a file, not a folder: \S+a-file\.txt$/);
  });
});
