/**
 * Reindex off the main thread: a worker thread reads, chunks, indexes and saves (holding
 * the index folder's lock), then sends the built index back in small pieces. The caller
 * keeps answering from the old index meanwhile and swaps in the new one at the end; it
 * never lists the corpus, reads index files or rebuilds anything itself. One at a time.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { CorpusGitError } from '../corpus-git.ts';
import { CorpusError } from '../corpus.ts';
import { IndexLockedError } from '../index-lock.ts';
import type { Manifest } from '../index-store.ts';
import type { IndexLocation, OpenedIndex, ReindexProgress, ReindexReport } from '../indexer.ts';
import type { Logger } from '../../logger.ts';
import { defaultBuildThreads } from '../../engine/build-pool.ts';
import { fromPostedInSteps, postable, type PostedGeneration } from '../../engine/generation-post.ts';
import { VerbatimIndex } from '../../engine/verbatim-index.ts';
import { VerbatimError } from '../../core/errors.ts';

export class ReindexBusyError extends VerbatimError {
  override name = 'ReindexBusyError';
  constructor(readonly startedBy: string | undefined) {
    super('A reindex is already running.');
  }
}

export interface BackgroundReindexOptions {
  full: boolean;
  /** The index being served, and its manifest: an incremental reindex starts from it (shared, not reloaded). */
  served?: { index: VerbatimIndex; manifest: Manifest };
  requestedBy?: string;
  /** `git pull --ff-only` in the corpus first (`CORPUS_GIT_PULL`). */
  gitPull?: boolean;
  onProgress?: (progress: ReindexProgress) => void;
}

/** What the worker is asked to do (one reindex). */
export interface ReindexRequest extends IndexLocation {
  full: boolean;
  requestedBy?: string;
  gitPull?: boolean;
  lockWaitMs: number;
  buildThreads: number;
  served?: { generation: string; state: PostedGeneration };
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'progress'; progress: ReindexProgress }
  | { type: 'done'; report: ReindexReport; manifest: Omit<Manifest, 'files'>; generation: PostedGeneration }
  | { type: 'error'; name: string; message: string; stack?: string };

/**
 * A bot's reindex does not queue behind another process's: it says so at once (the
 * moderator can try again), rather than holding the interaction for minutes.
 */
const LOCK_WAIT_MS = 2000;

export class BackgroundReindexer {
  private running: { requestedBy?: string } | undefined;

  constructor(
    private readonly location: IndexLocation,
    private readonly logger?: Logger,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Runs the reindex in a worker and returns the index it built. Throws `ReindexBusyError`
   * when one is already running here, `IndexLockedError` when another process is writing
   * the same index folder.
   */
  async run(options: BackgroundReindexOptions): Promise<{ report: ReindexReport; opened: OpenedIndex }> {
    if (this.running) throw new ReindexBusyError(this.running.requestedBy);
    this.running = { requestedBy: options.requestedBy };
    try {
      const { report, manifest: summary, generation } = await this.runWorker(options);
      // The index's arrays are shared with the worker: nothing to copy or rebuild here. What
      // is made (one object per file) is made in steps, so that questions keep being answered.
      const state = await fromPostedInSteps(generation);
      await nextTurn();
      const index = VerbatimIndex.fromSnapshot(state);
      // The manifest's file list is the generation's own (a generation file is a manifest file
      // with more): the worker has saved it, this thread only reads it.
      const manifest: Manifest = { ...summary, files: state.files };
      return { report, opened: { index, manifest, origin: { loaded: false, reason: 'reindex', report } } };
    } finally {
      this.running = undefined;
    }
  }

  /**
   * The worker stays alive between reindexes (unref'd: it never keeps the process up).
   * A worker that has just built a large index ends with a large heap to free, and a
   * thread's exit is joined by this one: measured at a million passages, letting it exit
   * after each reindex blocked the serving thread ~110 ms right when the new index arrived.
   */
  private worker: Worker | undefined;

  private startWorker(): Worker {
    const worker = new Worker(new URL('./reindex-worker-boot.mjs', import.meta.url), {
      // A worker's default young generation is small; a build allocates fast (see build-pool.ts).
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    worker.unref();
    const forget = () => {
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', forget);
    worker.on('exit', forget);
    return worker;
  }

  private runWorker(options: BackgroundReindexOptions): Promise<{ report: ReindexReport; manifest: Omit<Manifest, 'files'>; generation: PostedGeneration }> {
    const worker = (this.worker ??= this.startWorker());
    const request: ReindexRequest = {
      ...this.location,
      full: options.full,
      requestedBy: options.requestedBy,
      ...(options.gitPull ? { gitPull: true } : {}),
      lockWaitMs: LOCK_WAIT_MS,
      // One core stays with this thread: it answers questions while the reindex runs.
      buildThreads: Math.max(1, defaultBuildThreads() - 1),
      ...(options.served && !options.full ? { served: { generation: options.served.manifest.generation, state: postable(options.served.index.snapshot()) } } : {}),
    };
    return new Promise((resolve, reject) => {
      const stop = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'progress') return options.onProgress?.(message.progress);
        stop();
        if (message.type === 'done') resolve({ report: message.report, manifest: message.manifest, generation: message.generation });
        else {
          this.logger?.error({ err: { name: message.name, message: message.message, stack: message.stack } }, 'reindex worker failed');
          reject(reviveError(message, this.location.indexDir));
        }
      };
      const onError = (error: Error) => {
        stop();
        reject(error);
      };
      const onExit = (code: number) => {
        stop();
        reject(new Error(`reindex worker exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(request);
    });
  }
}

/** Errors cross the thread boundary as plain data; the ones callers recognise get their class back. */
function reviveError(message: { name: string; message: string }, indexDir: string): Error {
  if (message.name === 'IndexLockedError') {
    const error = new IndexLockedError(indexDir, undefined);
    error.message = message.message;
    return error;
  }
  if (message.name === 'CorpusError') return new CorpusError(message.message);
  if (message.name === 'CorpusGitError') return new CorpusGitError(message.message);
  return new Error(message.message);
}
