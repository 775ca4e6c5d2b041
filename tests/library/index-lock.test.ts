/**
 * One writer per index folder: two processes writing one folder wait for each other
 * instead of deleting each other's files; a dead writer's lock is recovered at once;
 * readers never delete; a save removes only what no live process can still need.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { childEnvironment, PROJECT_ROOT } from '../../src/config.ts';
import { acquireIndexLock, IndexLockedError, LOCK_FILE } from '../../src/library/index-lock.ts';
import { readManifest } from '../../src/library/index-store.ts';
import { openIndex, reindex } from '../../src/library/indexer.ts';
import { corpusCopy, tempDir } from '../helpers.ts';

const run = promisify(execFile);

async function cli(script: string, args: string[], location: { corpusDir: string; indexDir: string }) {
  const env = childEnvironment({ CORPUS_DIR: location.corpusDir, INDEX_DIR: location.indexDir, LOG_LEVEL: 'error' });
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', `${script}.ts`), ...args], { env, cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Enough text that a build takes a moment, so two writers overlap. */
function addBulk(corpusDir: string, files: number, tag: string): void {
  for (let f = 0; f < files; f++) {
    const paragraphs = Array.from({ length: 40 }, (_, p) => `Paragraph ${p} of ${tag} file ${f} mentions marmot${tag}${f}x${p} and a sentence about nothing much.`);
    writeFileSync(path.join(corpusDir, `bulk-${tag}-${f}.txt`), `Bulk ${f}\n\n${paragraphs.join('\n\n')}\n`);
  }
}

/** The folder holds the manifest's generation, whole and loadable. */
async function expectConsistent(location: { corpusDir: string; indexDir: string }) {
  const manifest = await readManifest(location.indexDir);
  if ('error' in manifest) throw new Error(manifest.error);
  const names = readdirSync(location.indexDir);
  expect(names).toContain(`store-${manifest.generation}.json`);
  expect(names).toContain(`chunks-${manifest.generation}.bin`);
  for (const segment of manifest.segments) expect(names).toContain(`seg-${segment}.vseg`);
  expect(names).not.toContain(LOCK_FILE);
  const opened = await openIndex(location);
  expect(opened.origin.loaded).toBe(true);
  return opened;
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('two processes writing one index folder', () => {
  it('pairs of `reindex --full` both succeed and leave one complete generation', async () => {
    const location = corpusCopy();
    addBulk(location.corpusDir, 30, 'a');
    for (let pair = 0; pair < 3; pair++) {
      const [first, second] = await Promise.all([cli('reindex', ['--full'], location), cli('reindex', ['--full'], location)]);
      for (const result of [first, second]) {
        expect(result.stderr).not.toMatch(/ENOENT|unexpected error|\n\s+at /);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/Full rebuild done/);
      }
      const opened = await expectConsistent(location);
      expect(ask(opened.index, 'marmota7x3').results[0]?.source).toBe('bulk-a-7.txt');
    }
  }, 120_000);

  it('pairs of `ask` on a stale index both answer; one rebuilds, the other waits and loads', async () => {
    const location = corpusCopy();
    await openIndex(location);
    for (let pair = 0; pair < 3; pair++) {
      addBulk(location.corpusDir, 20, `s${pair}`);
      const [first, second] = await Promise.all([cli('ask', ['--json', `marmots${pair}3x5`], location), cli('ask', ['--json', `marmots${pair}3x5`], location)]);
      for (const result of [first, second]) {
        expect(result.stderr).not.toMatch(/ENOENT|unexpected error|\n\s+at /);
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout).results[0].source).toBe(`bulk-s${pair}-3.txt`);
      }
      await expectConsistent(location);
    }
  }, 120_000);
});

describe('the index folder lock', () => {
  it('a second writer waits for the first, then finds the work done', async () => {
    const location = corpusCopy();
    await openIndex(location);
    addBulk(location.corpusDir, 3, 'w');
    const held = await acquireIndexLock(location.indexDir);
    let waitedFor: number | undefined;
    const opening = openIndex({ ...location, lockWaitMs: 30_000, onLockWait: (owner) => (waitedFor = owner?.pid) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(waitedFor).toBe(process.pid);
    await held.release();
    const opened = await opening;
    expect(opened.origin.loaded).toBe(false); // it rebuilt once the lock was free
    expect(ask(opened.index, 'marmotw1x1').results[0]?.source).toBe('bulk-w-1.txt');
  });

  it('says clearly that another reindex is running when it may not wait', async () => {
    const location = corpusCopy();
    const held = await acquireIndexLock(location.indexDir);
    try {
      await expect(reindex({ ...location, lockWaitMs: 0 })).rejects.toThrow(IndexLockedError);
      await expect(reindex({ ...location, lockWaitMs: 0 })).rejects.toThrow(/Another reindex of .* is running \(pid \d+\)/);
    } finally {
      await held.release();
    }
  });

  it('recovers at once a lock left by a dead process, or by an earlier process with the same pid', async () => {
    const dir = tempDir();
    const lockPath = path.join(dir, LOCK_FILE);
    writeFileSync(lockPath, JSON.stringify({ host: os.hostname(), pid: deadPid(), started: '1', acquiredAt: new Date().toISOString() }));
    const first = await acquireIndexLock(dir);
    await first.release();
    expect(existsSync(lockPath)).toBe(false);
    // Our own pid, but another start time: a restarted container's pid 1.
    writeFileSync(lockPath, JSON.stringify({ host: os.hostname(), pid: process.pid, started: '1', acquiredAt: new Date().toISOString() }));
    const second = await acquireIndexLock(dir);
    await second.release();
  });

  it('keeps a lock whose owner is alive', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ host: os.hostname(), pid: process.ppid, started: null, acquiredAt: new Date().toISOString() }));
    await expect(acquireIndexLock(dir)).rejects.toThrow(IndexLockedError);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });

  it('a save removes old generations and dead writers’ temp files, never a live writer’s', async () => {
    const location = corpusCopy();
    const first = await openIndex(location);
    const live = path.join(location.indexDir, `.store-x.json.${process.ppid}.1.tmp`);
    const dead = path.join(location.indexDir, `.store-y.json.${deadPid()}.1.tmp`);
    writeFileSync(live, 'live');
    writeFileSync(dead, 'dead');
    const second = await reindex({ ...location, full: true });
    const third = await reindex({ ...location, full: true });
    const names = readdirSync(location.indexDir);
    expect(names).toContain(path.basename(live));
    expect(names).not.toContain(path.basename(dead));
    // The current generation and the one it replaced (a reader may be loading it) remain.
    const generations = new Set(names.filter((n) => /^store-/.test(n)).map((n) => n.slice(6, -5)));
    expect(generations).toEqual(new Set([second.manifest.generation, third.manifest.generation]));
    expect(generations.has(first.manifest.generation)).toBe(false);
  });
});
