/** Shared test helpers: temp folders, a copy of the bundled corpus, in-memory file records. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { DEFAULT_CORPUS_DIR } from '../src/config.ts';
import { VerbatimIndex, type NewFileRecord } from '../src/engine/verbatim-index.ts';

export const BUNDLED_CORPUS = DEFAULT_CORPUS_DIR;

/** Discord's OpenAPI spec, which the local Discord checks every request body against in tests. */
export const DISCORD_SPEC = path.resolve(import.meta.dirname, '../../shared/discord-api-spec/openapi.json');

/** Every `.md` and `.mdx` file under `dir`, at any depth. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return /\.mdx?$/u.test(entry) ? [full] : [];
  });
}

/**
 * Temp folders made by this test file. One hook, registered while the file is collected:
 * an `afterAll` called from inside a test is never run, and such folders were left behind.
 */
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'verbatim-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A temp copy of the bundled corpus plus an index folder beside it. */
export function corpusCopy(): { corpusDir: string; indexDir: string } {
  const root = tempDir();
  const corpusDir = path.join(root, 'corpus');
  cpSync(BUNDLED_CORPUS, corpusDir, { recursive: true });
  return { corpusDir, indexDir: path.join(root, 'index') };
}

/** Folds whitespace runs (NBSP included) to one space, as quotes are compared. */
export function fold(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Runs git in `cwd` with a fixed identity (tests make their own local repositories; no network). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Verbatim Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Makes `dir` (already holding files) a Git work tree with one commit, cloned from a bare
 * "origin" beside it; returns a second clone to make upstream changes in and push.
 */
export function gitCorpus(dir: string): { upstream: string; commit: () => string } {
  const origin = `${dir}-origin.git`;
  const upstream = `${dir}-upstream`;
  git(path.dirname(dir), 'init', '--quiet', '--bare', origin);
  git(dir, 'init', '--quiet');
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'docs');
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'push', '--quiet', '-u', 'origin', 'main');
  git(path.dirname(dir), 'clone', '--quiet', origin, upstream);
  return { upstream, commit: () => git(dir, 'rev-parse', 'HEAD').trim() };
}

/** Commits `text` as `file` in the upstream clone and pushes it; returns the new commit. */
export function pushUpstream(upstream: string, file: string, text: string): string {
  writeFileSync(path.join(upstream, file), text);
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '--quiet', '-m', `edit ${file}`);
  git(upstream, 'push', '--quiet');
  return git(upstream, 'rev-parse', 'HEAD').trim();
}

/** A file record for `VerbatimIndex.apply` whose passages are `chunks`, one a line from line 1. */
export function fileRecord(source: string, title: string, chunks: ReadonlyArray<string | { text: string; section?: string }>): NewFileRecord {
  return { source, size: 1, mtimeMs: 0, sha256: source, title, chunks: chunks.map((chunk, i) => ({ ...(typeof chunk === 'string' ? { text: chunk } : chunk), lines: [i + 1, i + 1] as [number, number] })) };
}

/** An in-memory index of `files` (made with `fileRecord`). */
export function indexOf(...files: NewFileRecord[]): VerbatimIndex {
  const index = new VerbatimIndex();
  index.apply(files, []);
  return index;
}
