/**
 * Segment building on every core. Analysis (tokenize, stem) is the cost of a build, and
 * passages are independent, so a large batch is cut into contiguous parts, built by one
 * worker thread per core; each part becomes its own segment (`SegmentBuilder`), posted back
 * as a shared buffer — no copy on the way back. Small batches (one changed file)
 * are built on the calling thread: starting a worker costs more than they do.
 */
import type { Result } from '../core/result.ts';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Analyzer, STOPWORDS } from '../core/analyzer.ts';
import { SegmentBuilder } from './postings.ts';
import { Segment, type SegmentHeader } from './segment-format.ts';
import { dedupHash } from './dedup.ts';
import { newSegmentName } from './merge-policy.ts';
import type { PassageBatch } from './writer.ts';
import type { Markup } from '../core/passage.ts';

/** Below this many passages a batch is built on the calling thread. */
export const PARALLEL_MIN_PASSAGES = 20_000;

/**
 * Passages per segment a build worker inverts at most; a larger batch is cut into more
 * parts than threads, and each thread builds its parts one after another. A builder's
 * tables grow with its part and two large ones outgrow the shared cache: 1M passages on two
 * threads took 23.7 s (median of 3) as two 500k parts, 20.6 s as four of 250k. Four segments
 * at a million passages leave the merge policy room (`MAX_SEGMENTS`).
 */
export const MAX_SEGMENT_BUILD = 250_000;

/** Worker threads for a build: one per core, at most 4 (more only adds merge work). */
export function defaultBuildThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * What a build worker receives: texts as one shared UTF-8 buffer (no string per passage
 * to serialize on this side or to keep alive on the other), titles by index.
 */
export interface BuildRequest {
  name: string;
  analyzer: { stopwords: string[]; stem: boolean };
  ids: Uint32Array;
  text: Uint8Array;
  /** n+1 byte offsets into `text`. */
  textStarts: Float64Array;
  titles: string[];
  titleOf: Uint32Array;
  /** Absent: the worker hashes the texts itself. */
  hashes?: Uint32Array;
  /** Passages with markup: `[position in this request, its markup]`. */
  markup: Array<[number, Markup]>;
}

export type BuildReply = Result<{ header: SegmentHeader; buffer: SharedArrayBuffer }>;

/** Adds the passages of a batch, hashing their texts when the batch has no hashes. */
function addAll(builder: SegmentBuilder, batch: PassageBatch): void {
  const own = new Uint32Array(4);
  for (let i = 0; i < batch.ids.length; i++) {
    const markup = batch.markup?.get(i);
    if (batch.hashes) builder.add(batch.ids[i]!, batch.texts[i]!, batch.titles[i]!, batch.hashes, 4 * i, undefined, markup);
    else {
      dedupHash(batch.texts[i]!, own, 0);
      builder.add(batch.ids[i]!, batch.texts[i]!, batch.titles[i]!, own, 0, undefined, markup);
    }
  }
}

/** Builds a batch into one segment on this thread. */
export function buildSegmentsSync(batch: PassageBatch, analyzer: Analyzer): Segment[] {
  if (batch.ids.length === 0) return [];
  const builder = new SegmentBuilder(analyzer);
  addAll(builder, batch);
  return [builder.finish(newSegmentName())];
}

/** How a batch is spread over worker threads; the defaults are the measured ones above. */
export interface BuildOptions {
  /** Worker threads. Default `defaultBuildThreads()`; 1 builds on the calling thread. */
  threads?: number;
  /** Default `MAX_SEGMENT_BUILD`. */
  maxPassagesPerSegment?: number;
  /** Smaller batches are built on the calling thread. Default `PARALLEL_MIN_PASSAGES`. */
  minPassagesForWorkers?: number;
}

/** Builds a batch into segments: on worker threads when it is large, else on this thread. */
export async function buildSegments(batch: PassageBatch, analyzer: Analyzer, options: BuildOptions = {}): Promise<Segment[]> {
  const { threads = defaultBuildThreads(), maxPassagesPerSegment = MAX_SEGMENT_BUILD, minPassagesForWorkers = PARALLEL_MIN_PASSAGES } = options;
  const n = batch.ids.length;
  if (n === 0 || n < minPassagesForWorkers || threads <= 1) return buildSegmentsSync(batch, analyzer);
  const lanes = Math.min(threads, Math.ceil(n / Math.max(1, minPassagesForWorkers / 2)));
  const parts = lanes * Math.ceil(n / (lanes * maxPassagesPerSegment));
  const segments: Segment[] = new Array(parts);
  let next = 0;
  const lane = async () => {
    const thread = new BuildThread();
    try {
      for (let part = next++; part < parts; part = next++) {
        const from = Math.floor((n * part) / parts);
        const to = Math.floor((n * (part + 1)) / parts);
        segments[part] = await thread.build(request(batch, analyzer, from, to));
      }
    } catch (error) {
      next = parts; // the other lanes stop after their current part
      throw error;
    } finally {
      await thread.close();
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return segments;
}

/** Passages `[from, to)` of a batch as a `BuildRequest`. */
function request(batch: PassageBatch, analyzer: Analyzer, from: number, to: number): BuildRequest {
  const textStarts = new Float64Array(to - from + 1);
  let bytes = 0;
  for (let i = from; i < to; i++) {
    textStarts[i - from] = bytes;
    bytes += Buffer.byteLength(batch.texts[i]!, 'utf8');
  }
  textStarts[to - from] = bytes;
  const text = Buffer.from(new SharedArrayBuffer(bytes));
  for (let i = from; i < to; i++) text.write(batch.texts[i]!, textStarts[i - from]!, 'utf8');
  const titles: string[] = [];
  const titleIds = new Map<string, number>();
  const titleOf = new Uint32Array(to - from);
  for (let i = from; i < to; i++) {
    const title = batch.titles[i]!;
    let id = titleIds.get(title);
    if (id === undefined) titleIds.set(title, (id = titles.push(title) - 1));
    titleOf[i - from] = id;
  }
  return {
    name: newSegmentName(),
    analyzer: { stopwords: [...analyzer.stopwords], stem: analyzer.stem },
    ids: Uint32Array.from(batch.ids.slice(from, to)),
    text: new Uint8Array(text.buffer, text.byteOffset, text.length),
    textStarts,
    titles,
    titleOf,
    ...(batch.hashes ? { hashes: batch.hashes.slice(4 * from, 4 * to) } : {}),
    markup: [...(batch.markup ?? [])].filter(([i]) => i >= from && i < to).map(([i, markup]) => [i - from, markup]),
  };
}

/** Builds the segment of a `BuildRequest` (on a worker thread). */
export function buildFromRequest(request: BuildRequest): Segment {
  const builder = new SegmentBuilder(analyzerFrom(request.analyzer));
  const buffer = Buffer.from(request.text.buffer, request.text.byteOffset, request.text.length);
  const own = new Uint32Array(4);
  const markup = new Map(request.markup);
  for (let i = 0; i < request.ids.length; i++) {
    const start = request.textStarts[i]!;
    const end = request.textStarts[i + 1]!;
    const text = buffer.toString('utf8', start, end);
    const utf8 = request.text.subarray(start, end);
    let hashes: ArrayLike<number> = own;
    let at = 0;
    if (request.hashes) {
      hashes = request.hashes;
      at = 4 * i;
    } else dedupHash(text, own, 0, utf8);
    builder.add(request.ids[i]!, text, request.titles[request.titleOf[i]!]!, hashes, at, utf8, markup.get(i));
  }
  return builder.finish(request.name);
}

/**
 * One build thread: segments built one request at a time, in order. A thread is reused for
 * every part of a build (starting one loads the TypeScript entry again).
 */
class BuildThread {
  private readonly worker: Worker;
  private pending: { resolve: (segment: Segment) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor() {
    // A worker's default young generation is small: building allocates a string per word
    // and scavenges so often that two workers ran at half speed. Measured: 300k passages
    // built in 12.7 s with the default, 7.2–8.0 s with 64 MB (32 MB and 128 MB: 9.6–9.7 s).
    this.worker = new Worker(new URL('./build-worker-boot.mjs', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.worker.on('message', (reply: BuildReply) => {
      const pending = this.pending;
      this.pending = undefined;
      if ('error' in reply) pending?.reject(new Error(`segment build failed: ${reply.error}`));
      else pending?.resolve(new Segment(reply.header, reply.buffer));
    });
    this.worker.once('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => this.fail(new Error(`segment build worker exited with code ${code}`)));
  }

  build(request: BuildRequest): Promise<Segment> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(request);
    });
  }

  /** Ends the thread. Awaited: until it has exited, the requests posted to it stay in memory. */
  async close(): Promise<void> {
    this.failure ??= new Error('segment build worker closed');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

/** Rebuilds an analyzer from its posted options (the default one when they match). */
export function analyzerFrom(options: BuildRequest['analyzer']): Analyzer {
  const stopwords = options.stopwords.length === STOPWORDS.size && options.stopwords.every((word) => STOPWORDS.has(word)) ? STOPWORDS : new Set(options.stopwords);
  return new Analyzer({ stopwords, stem: options.stem });
}
