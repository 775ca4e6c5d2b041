/**
 * Reindex off the main thread: a worker thread reads, chunks, indexes and saves; the
 * caller keeps answering from the old index and swaps in the new one when it is saved.
 * One reindex at a time.
 */
import { Worker } from 'node:worker_threads';
import { openIndex, type IndexLocation, type OpenedIndex, type ReindexProgress, type ReindexReport } from './indexer.ts';
import type { Logger } from './logger.ts';

export class ReindexBusyError extends Error {
  override name = 'ReindexBusyError';
  constructor(readonly startedBy: string | undefined) {
    super('A reindex is already running.');
  }
}

export interface BackgroundReindexOptions {
  full: boolean;
  requestedBy?: string;
  onProgress?: (progress: ReindexProgress) => void;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'progress'; progress: ReindexProgress }
  | { type: 'done'; report: ReindexReport }
  | { type: 'error'; message: string };

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
   * Runs the reindex in a worker, then loads the saved index (on this thread, once the
   * work is done). Throws `ReindexBusyError` when one is already running.
   */
  async run(options: BackgroundReindexOptions): Promise<{ report: ReindexReport; opened: OpenedIndex }> {
    if (this.running) throw new ReindexBusyError(this.running.requestedBy);
    this.running = { requestedBy: options.requestedBy };
    try {
      const report = await this.runWorker(options);
      const opened = await openIndex({ ...this.location, logger: this.logger });
      return { report, opened };
    } finally {
      this.running = undefined;
    }
  }

  private runWorker(options: BackgroundReindexOptions): Promise<ReindexReport> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./reindex-worker-boot.mjs', import.meta.url), {
        workerData: { ...this.location, full: options.full, requestedBy: options.requestedBy },
      });
      let settled = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') options.onProgress?.(message.progress);
        else if (message.type === 'done') {
          settled = true;
          resolve(message.report);
        } else {
          settled = true;
          reject(new Error(message.message));
        }
      });
      worker.on('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`reindex worker exited with code ${code}`));
      });
    });
  }
}
