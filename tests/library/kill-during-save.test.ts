/**
 * A reindex killed (SIGKILL) while it writes the index leaves the previous index complete
 * and in use; the next start brings it up to date.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { childEnvironment, PROJECT_ROOT } from '../../src/config.ts';
import { readManifest, readSnapshot } from '../../src/library/index-store.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { corpusCopy } from '../helpers.ts';

describe('a reindex killed mid-save', () => {
  it('leaves the previous generation referenced and loadable', async () => {
    const location = corpusCopy();
    const before = await openIndex(location);
    // Enough new text that writing the index takes a while.
    for (let f = 0; f < 60; f++) {
      const paragraphs = Array.from({ length: 60 }, (_, p) => `Paragraph ${p} of file ${f} mentions zebra${f}x${p} and quokka${p} in a sentence about nothing.`);
      writeFileSync(path.join(location.corpusDir, `bulk-${f}.txt`), `Bulk ${f}\n\n${paragraphs.join('\n\n')}\n`);
    }
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'reindex.ts')], {
      cwd: PROJECT_ROOT,
      env: childEnvironment({ CORPUS_DIR: location.corpusDir, INDEX_DIR: location.indexDir, LOG_LEVEL: 'silent' }),
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Kill it the moment the new generation starts to appear (before its manifest can).
    const generation = before.manifest.generation;
    let killedWhileWriting = false;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const fresh = readdirSync(location.indexDir).filter((name) => name.endsWith('.tmp') || (/^(store|minisearch)-/.test(name) && !name.includes(generation)));
        if (fresh.length > 0) {
          killedWhileWriting = true;
          child.kill('SIGKILL');
        }
        if (fresh.length > 0 || child.exitCode !== null) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    expect(await exited).toBe('SIGKILL');
    expect(killedWhileWriting).toBe(true);

    const manifest = await readManifest(location.indexDir);
    if ('error' in manifest) throw new Error(manifest.error);
    expect(manifest.generation).toBe(generation);
    const survivor = VerbatimIndex.fromSnapshot(await readSnapshot(location.indexDir, manifest));
    expect(survivor.passageCount).toBe(before.index.passageCount);
    expect(ask(survivor, 'Oliver Stone documentary').answered).toBe(true);

    // The next start sees the corpus changed and brings the index up to date.
    const after = await openIndex(location);
    expect(after.origin.loaded).toBe(false);
    expect(ask(after.index, 'zebra7x12').results[0]?.source).toBe('bulk-7.txt');
  });
});
