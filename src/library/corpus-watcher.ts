/**
 * `WATCH_CORPUS`: reindex by itself when files of the corpus change, so a bot whose folder
 * is synced by other means (a cron `git pull`, a shared drive) stays current without a
 * moderator. Changes are debounced (a sync writes many files: one reindex after it goes
 * quiet), reindexes run one at a time, and changes that arrive during one start another
 * after it. Hidden entries (`.git/`, editor droppings) are ignored, as the corpus listing
 * ignores them.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../logger.ts';

/** Quiet time after the last change before reindexing. */
export const WATCH_QUIET_MS = 3000;

export interface CorpusWatcherOptions {
  quietMs?: number;
  logger?: Logger;
}

export class CorpusWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private closed = false;
  private readonly quietMs: number;

  /** `reindex` should resolve when the new index is served; a rejection is logged and retried on the next change. */
  constructor(
    private readonly corpusDir: string,
    private readonly reindex: () => Promise<void>,
    private readonly options: CorpusWatcherOptions = {},
  ) {
    this.quietMs = options.quietMs ?? WATCH_QUIET_MS;
  }

  start(): void {
    this.watcher = watch(this.corpusDir, { recursive: true }, (_event, name) => {
      const changed = name?.toString() ?? '';
      if (changed.split(/[\\/]/u).some((part) => part.startsWith('.'))) return;
      this.changed();
    });
    this.watcher.on('error', (error) => this.options.logger?.warn({ err: error }, 'watching the corpus failed'));
    this.watcher.unref();
  }

  /** A change was seen: (re)start the quiet timer. */
  changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), this.quietMs);
    this.timer.unref();
  }

  /** Resolves when no reindex of the watcher's is running or waiting. */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      await (this.running ?? new Promise((resolve) => setTimeout(resolve, 50)));
    }
  }

  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    return this.running ?? Promise.resolve();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.options.logger?.info({ corpusDir: this.corpusDir }, 'corpus changed: reindexing');
    this.running = this.reindex()
      .catch((error: unknown) => this.options.logger?.warn({ err: error }, 'reindex after a corpus change failed; the current index keeps serving'))
      .finally(() => {
        this.running = undefined;
        if (this.pending && !this.closed) {
          this.pending = false;
          this.changed();
        }
      });
  }
}
