/**
 * What a reindex costs the thread that serves questions, measured through the bot's own
 * path (`BackgroundReindexer`: a worker builds and saves, the serving thread swaps the new
 * index in):
 *
 * - `reindexStallMs`: the longest event-loop stall (`perf_hooks.monitorEventLoopDelay`) on
 *   this thread while a full background reindex of the corpus runs and a question is
 *   asked every 20 ms of the index being served, as the bot asks it (`SearchThread`: on the
 *   search thread for a large index, so a slow question delays its own answer, not the
 *   event loop; in place for a small one, where it would count as a stall);
 * - `oneFileReindexMs`: from one changed file to the updated index being served.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BackgroundReindexer } from '../library/worker/background-reindex.ts';
import { QueryError } from '../core/query.ts';
import type { Manifest } from '../library/index-store.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { SearchThread } from '../library/worker/search-thread.ts';
import { percentile, round } from './measure.ts';
import type { SyntheticFile } from './synthetic-corpus.ts';

export interface ReindexFigures {
  reindexStallMs: number | null;
  oneFileReindexMs: number | null;
}

const QUESTION_EVERY_MS = 20;

/**
 * Both figures for the index saved in `indexDir` from the corpus in `corpusDir` (written
 * with `writeCorpus` from `synthetic-corpus.ts`). `serving` answers questions meanwhile. A figure is `null` when its
 * reindex failed (logged): at a million passages today's index cannot be saved.
 */
export async function measureReindex(
  location: { corpusDir: string; indexDir: string },
  serving: VerbatimIndex,
  queries: readonly string[],
  firstFile: SyntheticFile,
  log: (message: string) => void,
): Promise<ReindexFigures> {
  const reindexer = new BackgroundReindexer(location);
  const searcher = new SearchThread();
  // Readied and started outside the measurement, as the bot's are (`createBot`, its first question).
  await searcher.prepare(serving);
  await searcher.ask(serving, queries[0]!, { top: 3 }).catch(() => {});
  log('verbatim: full background reindex while answering questions…');
  let reindexStallMs: number | null = null;
  let afterFull: { index: VerbatimIndex; manifest: Manifest } | undefined;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let asked = 0;
  let answered = 0;
  const answerMs: number[] = [];
  const questions = setInterval(() => {
    const started = performance.now();
    searcher.ask(serving, queries[asked++ % queries.length]!, { top: 3 }).then(
      () => {
        answered++;
        answerMs.push(performance.now() - started);
      },
      (error) => {
        if (!(error instanceof QueryError)) log(`verbatim: a question failed during the reindex (${(error as Error).message})`);
      },
    );
  }, QUESTION_EVERY_MS);
  delay.enable();
  try {
    const { opened } = await reindexer.run({ full: true });
    afterFull = { index: opened.index, manifest: opened.manifest };
    // A stall at the very end is only seen once a timer gets to run after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    reindexStallMs = round(delay.max / 1e6, 1);
    const p99 = answerMs.length ? round(percentile(answerMs.sort((a, b) => a - b), 99), 1) : 0;
    log(`verbatim: ${asked} questions asked during the reindex, ${answered} answered, answer p99 ${p99} ms`);
  } catch (error) {
    log(`verbatim: full background reindex failed (${(error as Error).message.slice(0, 160)})`);
  } finally {
    clearInterval(questions);
    delay.disable();
    await searcher.close();
  }
  if (reindexStallMs === null) return { reindexStallMs, oneFileReindexMs: null };

  return { reindexStallMs, oneFileReindexMs: await oneFileReindex(reindexer, location.corpusDir, firstFile, afterFull!, log) };
}

/** From one changed file to the updated index, started from the index being served (as the bot does). */
async function oneFileReindex(reindexer: BackgroundReindexer, corpusDir: string, firstFile: SyntheticFile, served: { index: VerbatimIndex; manifest: Manifest }, log: (message: string) => void): Promise<number | null> {
  log('verbatim: reindex after one changed file…');
  appendFileSync(path.join(corpusDir, firstFile.source), '\nOne more paragraph about zebrafish fins, added to see what one changed file costs.\n');
  const started = performance.now();
  try {
    // As the bot does: the worker starts from the index being served (shared memory).
    const { report } = await reindexer.run({ full: false, served });
    if (report.filesChanged.length !== 1) throw new Error(`expected one changed file, got ${report.filesChanged.length}`);
    return round(performance.now() - started, 1);
  } catch (error) {
    log(`verbatim: one-file reindex failed (${(error as Error).message.slice(0, 160)})`);
    return null;
  }
}
