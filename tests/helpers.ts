/** Shared test helpers: temp folders and a copy of the bundled corpus. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { DEFAULT_CORPUS_DIR } from '../src/config.ts';

export const BUNDLED_CORPUS = DEFAULT_CORPUS_DIR;

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'verbatim-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
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
