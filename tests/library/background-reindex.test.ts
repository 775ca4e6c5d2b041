/**
 * After a background reindex, the serving thread swaps in the index the worker built: it
 * never lists the corpus, reads the index files or rebuilds anything itself (that once
 * blocked the bot for seconds after every /reindex).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { BACKGROUND_NICE } from '../../src/library/worker/background-priority.ts';
import { BackgroundReindexer } from '../../src/library/worker/background-reindex.ts';
import * as corpus from '../../src/library/corpus.ts';
import * as store from '../../src/library/index-store.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { fromPosted, postable } from '../../src/engine/generation-post.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { corpusCopy } from '../helpers.ts';

// Pass-through spies on this thread's modules (the worker loads its own copies).
vi.mock('../../src/library/corpus.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/library/corpus.ts')>();
  return { ...actual, listCorpus: vi.fn(actual.listCorpus), readCorpusFile: vi.fn(actual.readCorpusFile) };
});
vi.mock('../../src/library/index-store.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/library/index-store.ts')>();
  return { ...actual, readManifest: vi.fn(actual.readManifest), readSnapshot: vi.fn(actual.readSnapshot), saveSnapshot: vi.fn(actual.saveSnapshot) };
});

describe('BackgroundReindexer', () => {
  it('swaps in the worker’s index without listing, reading or saving on this thread', async () => {
    const location = corpusCopy();
    const before = await openIndex(location);
    writeFileSync(path.join(location.corpusDir, 'owls.txt'), 'Owls\n\nThe barn owl hunts voles at dusk over wet meadows.\n');
    vi.mocked(corpus.listCorpus).mockClear();
    vi.mocked(corpus.readCorpusFile).mockClear();
    vi.mocked(store.readManifest).mockClear();
    vi.mocked(store.readSnapshot).mockClear();
    vi.mocked(store.saveSnapshot).mockClear();

    const progress: string[] = [];
    const { report, opened } = await new BackgroundReindexer(location).run({ full: false, onProgress: (p) => progress.push(p.phase) });

    expect(corpus.listCorpus).not.toHaveBeenCalled();
    expect(corpus.readCorpusFile).not.toHaveBeenCalled();
    expect(store.readManifest).not.toHaveBeenCalled();
    expect(store.readSnapshot).not.toHaveBeenCalled();
    expect(store.saveSnapshot).not.toHaveBeenCalled();
    expect(progress).toContain('save');
    expect(report.filesAdded).toEqual(['owls.txt']);
    expect(opened.index.passageCount).toBe(before.index.passageCount + 2);
    expect(ask(opened.index, 'what do barn owls hunt?').results[0]?.source).toBe('owls.txt');

    // The same index as loading the saved generation from disk.
    const fromDisk = await openIndex(location);
    expect(fromDisk.origin.loaded).toBe(true);
    expect(fromDisk.manifest.generation).toBe(opened.manifest.generation);
    for (const question of ['Who is Putin’s chef?', 'barn owl voles', 'election interference "troll farm"']) {
      expect(ask(opened.index, question).results).toEqual(ask(fromDisk.index, question).results);
    }
  });

  it('posts an index to another thread by sharing its buffers, not copying them', async () => {
    const location = corpusCopy();
    const { index } = await openIndex(location);
    const posted = structuredClone(postable(index.snapshot()));
    const copy = VerbatimIndex.fromSnapshot(fromPosted(posted));
    expect(posted.segments.length).toBeGreaterThan(0);
    // Same memory on both sides: the clone holds the very same SharedArrayBuffers' contents, shared.
    const original = new Uint8Array(index.snapshot().segments[0]!.buffer);
    const shared = new Uint8Array(posted.segments[0]!.buffer);
    const before = shared[0]!;
    original[0] = before ^ 0xff;
    expect(shared[0]).toBe(before ^ 0xff);
    original[0] = before;
    expect(copy.passageCount).toBe(index.passageCount);
    expect(copy.sources()).toEqual(index.sources());
    expect(ask(copy, 'Mueller report troll farm').results).toEqual(ask(index, 'Mueller report troll farm').results);
  });
});

describe('background priority', () => {
  it.runIf(process.platform === 'linux')('lowers the nice value of the calling thread, not of the threads already running', () => {
    // In a child process, so this test's own threads keep their priority.
    const script = `
      import { readlinkSync } from 'node:fs';
      import os from 'node:os';
      import { Worker } from 'node:worker_threads';
      import { lowerThisThreadsPriority } from './src/library/worker/background-priority.ts';
      const worker = new Worker('import { parentPort } from "node:worker_threads"; import { readlinkSync } from "node:fs"; parentPort.postMessage(readlinkSync("/proc/thread-self"))', { eval: true });
      worker.once('message', (workerThread) => {
        const lowered = lowerThisThreadsPriority();
        const tid = (self) => Number(self.split('/').pop());
        console.log(JSON.stringify({ lowered, main: os.getPriority(tid(readlinkSync('/proc/thread-self'))), other: os.getPriority(tid(workerThread)) }));
        void worker.terminate();
      });`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.resolve(import.meta.dirname, '../..'), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ lowered: true, main: BACKGROUND_NICE, other: 0 });
  });
});
