/**
 * Questions answered on a worker thread, so that a slow search never holds up the thread
 * that talks to the Discord gateway (heartbeats, acknowledgements, every other member's
 * question). The index's arrays are `SharedArrayBuffer`s: the worker reads the same copy
 * the serving thread holds; a new generation is posted once, as a handful of buffers and
 * three strings.
 *
 * Where it pays, measured on 2 cores: below `fromPassages` (default
 * `SEARCH_THREAD_FROM_PASSAGES`) questions are answered in place. At 100,000 passages a
 * question takes p99 ~5 ms, and under a burst of 1,000 (`npm run bench:discord`) the round
 * trips and the deferrals they cause cost more than they save: acknowledgement p99 2.44 s in
 * place, 2.94 s through this thread. At a million passages the heaviest questions take
 * 25 ms alone and 40–100 ms beside a reindex; asked in place, they stalled the event loop
 * 69–138 ms during a reindex (`npm run bench`), asked here 26–38 ms.
 *
 * Nothing is lost when the worker fails: the questions it held are answered here, and
 * after `MAX_WORKER_FAILURES` the thread is no longer started.
 */
import { Worker } from 'node:worker_threads';
import { ask, type Answer, type AskOptions } from '../../core/answer.ts';
import { fromPosted, postable, type PostedGeneration } from '../../engine/generation-post.ts';
import type { Logger } from '../../logger.ts';
import { QueryError } from '../../core/query.ts';
import { DEFAULT_RANKING } from '../../core/ranking.ts';
import { loadLexicon } from '../../core/lexicon.ts';
import { loadWordFrequencies } from '../../core/word-frequency.ts';
import { VerbatimIndex, type IndexSnapshot } from '../../engine/verbatim-index.ts';

/** Indexes at least this large are searched on the worker thread. */
export const SEARCH_THREAD_FROM_PASSAGES = 250_000;
const MAX_WORKER_FAILURES = 3;

/** To the worker: a generation to answer from (until the next one), or a question. */
export type SearchRequest =
  | { type: 'generation'; state: PostedGeneration }
  | { type: 'ask'; id: number; question: string; options: AskOptions };

/** From the worker. */
export type SearchReply =
  | { id: number; answer: Answer }
  | { id: number; error: { name: string; message: string; stack?: string } };

interface Pending {
  index: VerbatimIndex;
  question: string;
  options: AskOptions;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

export interface SearchThreadOptions {
  /** Indexes with fewer passages are searched in place. Default `SEARCH_THREAD_FROM_PASSAGES`; `0` always uses the worker. */
  fromPassages?: number;
  logger?: Logger;
}

export class SearchThread {
  private readonly fromPassages: number;
  private readonly logger: Logger | undefined;
  private worker: Worker | undefined;
  /** The generation the worker answers from (weak: a replaced index is not kept alive here). */
  private posted: WeakRef<IndexSnapshot> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failures = 0;
  private closed = false;

  constructor(options: SearchThreadOptions = {}) {
    this.fromPassages = options.fromPassages ?? SEARCH_THREAD_FROM_PASSAGES;
    this.logger = options.logger;
  }

  /** Whether questions on `index` are answered on the worker (else in place, synchronously). */
  offThread(index: VerbatimIndex): boolean {
    // The worker opens generations with the default analyzer and ranking, as the index store does.
    return index.passageCount >= this.fromPassages && index.ranking === DEFAULT_RANKING && !this.closed && this.failures < MAX_WORKER_FAILURES;
  }

  /**
   * Readies an index that starts serving for typo-tolerant questions (the English lexicon,
   * the fuzzy term dictionary) and for judging answers (the word frequencies) without
   * blocking: in steps on this thread when its questions are answered here; the worker reads
   * the lexicon and the frequencies when the generation is posted and builds its dictionary
   * on the first question that needs it.
   */
  async prepare(index: VerbatimIndex): Promise<void> {
    try {
      await loadLexicon();
      if (!this.offThread(index)) await Promise.all([loadWordFrequencies(index.analyzer), index.prepareFuzzyLookups()]);
    } catch (error) {
      this.logger?.warn({ err: error }, 'typo tolerance and word counts not readied ahead of questions');
    }
  }

  /** Answers as `ask(index, question, options)` does, on the worker when the index is large. Rejects with `QueryError` as `ask` throws it. */
  async ask(index: VerbatimIndex, question: string, options: AskOptions = {}): Promise<Answer> {
    if (!this.offThread(index)) return ask(index, question, options);
    const worker = this.start();
    const state = index.snapshot();
    if (this.posted?.deref() !== state) {
      worker.postMessage({ type: 'generation', state: postable(state) } satisfies SearchRequest);
      this.posted = new WeakRef(state);
    }
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { index, question, options, resolve, reject });
      // Held questions keep the process up; an idle worker does not.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ type: 'ask', id, question, options } satisfies SearchRequest);
    });
  }

  /** Stops the worker; questions it held are answered here. Later questions are answered in place. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    this.detach(worker);
    await worker.terminate();
  }

  /** The worker, started when first needed (`offThread` has said it may be). */
  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./search-worker-boot.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (reply: SearchReply) => this.settle(reply));
    worker.on('error', (error) => {
      this.failures++;
      this.logger?.error({ err: error }, 'search thread failed; answering on the main thread');
      this.detach(worker);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.failures++;
      this.logger?.error({ code }, 'search thread exited; answering on the main thread');
      this.detach(worker);
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: SearchReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('answer' in reply) return waiting.resolve(reply.answer);
    const { name, message, stack } = reply.error;
    if (name === 'QueryError') return waiting.reject(new QueryError(message));
    this.logger?.error({ err: { name, message, stack } }, 'search failed on the search thread');
    waiting.reject(new Error(message));
  }

  /** Forgets a worker that failed or was closed, and answers what it held in place. */
  private detach(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.posted = undefined;
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const { index, question, options, resolve, reject } of held) {
      try {
        resolve(ask(index, question, options));
      } catch (error) {
        reject(error as Error);
      }
    }
  }
}

/** The worker's side: one generation at a time, questions answered in order. */
export function serveSearches(port: { on(event: 'message', listener: (request: SearchRequest) => void): unknown; postMessage(reply: SearchReply): void }): void {
  let index: VerbatimIndex | undefined;
  port.on('message', (request) => {
    if (request.type === 'generation') {
      index = VerbatimIndex.fromSnapshot(fromPosted(request.state));
      // The fuzzy dictionary is built here by the first question that needs it: readied in
      // steps beside the questions, it was built twice at a million passages (the steps, and
      // a question that came before they ended), and questions queued behind both.
      void loadLexicon();
      void loadWordFrequencies(index.analyzer);
      return;
    }
    try {
      if (!index) throw new Error('no generation posted before a question');
      port.postMessage({ id: request.id, answer: ask(index, request.question, request.options) });
    } catch (error) {
      const { name, message, stack } = error as Error;
      port.postMessage({ id: request.id, error: { name, message, stack } });
    }
  });
}
