/**
 * The one owner of the live index: which index answers now (`index`, `manifest`), how it is
 * replaced (`reindex`: one at a time, built on the reindex worker from the served one), how
 * questions reach it (`ask`: on the search thread when it is large), and the counts `/stats`
 * shows. Nothing else assigns the served index. Questions already running finish on the
 * index they started with.
 */
import type { Answer, AskOptions } from '../core/answer.ts';
import type { BackgroundReindexer, BackgroundReindexOptions } from './worker/background-reindex.ts';
import type { Manifest } from './index-store.ts';
import type { OpenedIndex, ReindexReport } from './indexer.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import type { SearchThread } from './worker/search-thread.ts';

export interface LibraryStats {
  startedAt: number;
  questionsAnswered: number;
  /** The last reindex since start (before one, `/stats` shows the manifest's build). */
  lastReindex?: { at: string; by?: string; durationMs: number };
}

export class Library {
  private served: { index: VerbatimIndex; manifest: Manifest };
  private readonly counts: LibraryStats = { startedAt: Date.now(), questionsAnswered: 0 };

  constructor(
    opened: Pick<OpenedIndex, 'index' | 'manifest'>,
    private readonly reindexer: BackgroundReindexer,
    private readonly searcher: SearchThread,
  ) {
    this.served = { index: opened.index, manifest: opened.manifest };
  }

  /** The index answering now. */
  get index(): VerbatimIndex {
    return this.served.index;
  }

  /** The served index's manifest (its build, its commit). */
  get manifest(): Manifest {
    return this.served.manifest;
  }

  /** A copy: the counts change only here. */
  get stats(): Readonly<LibraryStats> {
    return { ...this.counts, ...(this.counts.lastReindex ? { lastReindex: { ...this.counts.lastReindex } } : {}) };
  }

  /** True while a reindex runs (a second one is refused). */
  get reindexing(): boolean {
    return this.reindexer.busy;
  }

  /** Whether questions go to the search thread (a large index), so a slow one cannot stall the caller. */
  get offThread(): boolean {
    return this.searcher.offThread(this.served.index);
  }

  /** Readies the search thread for the served index. */
  prepare(): Promise<void> {
    return this.searcher.prepare(this.served.index);
  }

  /** Asks the served index. Throws `QueryError` for a question that cannot be searched. */
  async ask(question: string, options: AskOptions): Promise<Answer> {
    const answer = await this.searcher.ask(this.served.index, question, options);
    if (answer.answered) this.counts.questionsAnswered++;
    return answer;
  }

  /**
   * Rebuilds the index from the corpus (incrementally from the served one unless `full`) and
   * serves the result. Throws `ReindexBusyError` when one is running, `IndexLockedError` when
   * another process writes the index folder, `CorpusGitError` when the pull fails; the served
   * index is then unchanged.
   */
  async reindex(request: Omit<BackgroundReindexOptions, 'served'> & { requestedBy: string }): Promise<ReindexReport> {
    const { report, opened } = await this.reindexer.run({ ...request, served: this.served });
    this.served = { index: opened.index, manifest: opened.manifest };
    void this.searcher.prepare(opened.index);
    this.counts.lastReindex = { at: new Date().toISOString(), by: request.requestedBy, durationMs: report.durationMs };
    return report;
  }

  close(): Promise<void> {
    return this.searcher.close();
  }
}
