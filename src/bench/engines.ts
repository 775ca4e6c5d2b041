/**
 * The two engines under test, measured the same way: Verbatim's real pipeline (chunker,
 * `VerbatimIndex`, index store, `ask`) and plain MiniSearch with default options over the
 * same passages. Each build runs in its own function so that only what the caller keeps
 * stays reachable; the heap is measured while the built index is still alive.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { ask } from '../core/answer.ts';
import { chunkDocument } from '../core/chunk.ts';
import { readManifest, readSnapshot, saveSnapshot } from '../library/index-store.ts';
import { QueryError } from '../core/query.ts';
import { VerbatimIndex, type NewFileRecord } from '../engine/verbatim-index.ts';
import { loadLexicon } from '../core/lexicon.ts';
import { loadWordFrequencies } from '../core/word-frequency.ts';
import { dirBytes, heapUsedAfterGc, measureQueries, round, type GcFunction } from './measure.ts';
import { measureReindex } from './reindex-figures.ts';
import { renderFile, writeCorpus, type SyntheticFile } from './synthetic-corpus.ts';

export interface BenchCorpus {
  passages: string[];
  files: SyntheticFile[];
  queries: string[];
  /** Run untimed before `queries` (JIT, caches); other queries, so none is timed warm. */
  warmupQueries: string[];
}

export interface EngineFigures {
  buildMs: number;
  passagesPerSec: number;
  heapBytesPerPassage: number;
  /** `null` when the index is too large to serialize (see `tooLongToSave`). */
  persistedBytes: number | null;
  loadMs: number | null;
  p50Ms: number;
  p99Ms: number;
  /**
   * Verbatim only: bytes per passage of the shared buffers the index lives in, outside the
   * JS heap (segments with the passage text, chunk table, lookups). `heapBytesPerPassage`
   * alone would flatter it.
   */
  bufferBytesPerPassage?: number;
  /** Verbatim only: see `reindex-figures.ts`. */
  reindexStallMs?: number | null;
  oneFileReindexMs?: number | null;
}

export interface BenchContext {
  /** Empty folder this engine may write to (removed by the caller). */
  dir: string;
  gc: GcFunction;
  log: (message: string) => void;
}

const TOP = 3;

/**
 * Chunks every synthetic file and applies them in one batch, as a full reindex does: the
 * segments are built on worker threads, one per core (`applyAsync`).
 */
export async function buildVerbatimIndex(files: readonly SyntheticFile[], passages: readonly string[], threads?: number): Promise<{ index: VerbatimIndex; buildMs: number }> {
  // Rendering stands in for reading the files from disk, so it stays outside the timer.
  const rendered = files.map((file) => renderFile(file, passages));
  const started = performance.now();
  const index = new VerbatimIndex();
  const upserts = files.map((file, i): NewFileRecord => {
    const { text, size, sha256 } = rendered[i]!;
    const { title, chunks } = chunkDocument(text);
    // Line 1 is the file's title: it names the file and is not one of the N passages.
    if (chunks[0]?.text !== file.title) throw new Error(`${file.source}: first chunk is not the title line`);
    return { source: file.source, size, mtimeMs: 0, sha256, title, chunks: chunks.slice(1) };
  });
  await index.applyAsync(upserts, [], { threads });
  const buildMs = performance.now() - started;
  if (index.passageCount !== passages.length) {
    throw new Error(`Verbatim indexed ${index.passageCount} passages, expected ${passages.length}`);
  }
  return { index, buildMs };
}

export async function benchVerbatim(corpus: BenchCorpus, ctx: BenchContext): Promise<EngineFigures> {
  const n = corpus.passages.length;
  ctx.log(`verbatim: building ${n} passages…`);
  const built = await buildAndSaveVerbatim(corpus, ctx);
  let index = built.unsaved;
  let loadMs: number | null = null;
  if (!index) {
    ctx.log('verbatim: loading…');
    ctx.gc();
    const started = performance.now();
    const manifest = await readManifest(ctx.dir);
    if ('error' in manifest) throw new Error(`cannot load the saved index: ${manifest.error}`);
    index = VerbatimIndex.fromSnapshot(await readSnapshot(ctx.dir, manifest));
    loadMs = performance.now() - started;
  }
  const loaded = index; // a const, so the closure below knows it is set
  // As a served index is readied (SearchThread.prepare): the lexicon and the fuzzy term
  // dictionary that typo tolerance reads are built before questions come, not by the first.
  const readying = performance.now();
  const heapBeforeTree = heapUsedAfterGc(ctx.gc);
  await Promise.all([loadLexicon(), loadWordFrequencies(loaded.analyzer), loaded.prepareFuzzyLookups()]);
  const treeMb = (heapUsedAfterGc(ctx.gc) - heapBeforeTree) / 1e6;
  ctx.log(`verbatim: typo tolerance and word counts readied in ${Math.round(performance.now() - readying)} ms (fuzzy dictionary and word counts: ${treeMb.toFixed(0)} MB of heap)`);

  ctx.log(`verbatim: ${corpus.queries.length} queries…`);
  let unsearchable = 0;
  const latency = measureQueries(corpus.queries, corpus.warmupQueries, (query) => {
    try {
      ask(loaded, query, { top: TOP });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      unsearchable++;
    }
  });
  if (unsearchable) ctx.log(`verbatim: ${unsearchable} query runs rejected as unsearchable (timed anyway)`);
  const measured = figures(n, built, loadMs, latency);
  if (built.unsaved) return { ...measured, reindexStallMs: null, oneFileReindexMs: null };

  // The saved index names `dir/corpus`; write the same files there, outside every timer.
  const location = { corpusDir: path.join(ctx.dir, 'corpus'), indexDir: ctx.dir };
  ctx.log('verbatim: writing the corpus files…');
  writeCorpus(location.corpusDir, corpus.files, corpus.passages);
  // The bench's own garbage (built and written corpus text) is collected now, not during
  // the stall measurement: a bot's serving thread never holds its corpus as strings.
  // The bot serves a fresh index and readies it through its SearchThread: from 250,000
  // passages its questions go to the search thread, and the fuzzy dictionary lives there,
  // not on the serving thread (whose garbage collections it would lengthen).
  const serving = VerbatimIndex.fromSnapshot(loaded.snapshot());
  ctx.gc();
  return { ...measured, ...(await measureReindex(location, serving, corpus.queries, corpus.files[0]!, ctx.log)) };
}

/** Returns the built index only when it could not be saved; otherwise it dies here. */
async function buildAndSaveVerbatim(corpus: BenchCorpus, ctx: BenchContext) {
  const heapBefore = heapUsedAfterGc(ctx.gc);
  const { index, buildMs } = await buildVerbatimIndex(corpus.files, corpus.passages);
  const heapBytes = heapUsedAfterGc(ctx.gc) - heapBefore;
  const bufferBytes = index.bufferBytes;
  ctx.log('verbatim: saving…');
  try {
    await saveSnapshot(ctx.dir, index.snapshot(), { corpusDir: path.join(ctx.dir, 'corpus'), buildMs, passages: index.passageCount, unreadable: [], ignored: [] });
  } catch (error) {
    if (!tooLongToSave(error)) throw error;
    ctx.log(`verbatim: cannot save (${(error as Error).message}); querying the built index instead`);
    return { buildMs, heapBytes, bufferBytes, persistedBytes: null, unsaved: index };
  }
  return { buildMs, heapBytes, bufferBytes, persistedBytes: await dirBytes(ctx.dir), unsaved: undefined };
}

/**
 * Both engines save their index as one JSON string, and V8 caps a string at 2^29 − 24
 * characters (about 0.5 GB): around a million passages `JSON.stringify` throws this.
 */
function tooLongToSave(error: unknown): boolean {
  return error instanceof RangeError && /string length/i.test(error.message);
}

/** Plain MiniSearch: default tokenizer and term processing, nothing stored. */
const MINISEARCH_OPTIONS = { fields: ['text', 'title'], storeFields: [] as string[] };

interface MiniDocument {
  id: number;
  text: string;
  title: string;
}

export async function benchMiniSearch(corpus: BenchCorpus, ctx: BenchContext): Promise<EngineFigures> {
  const n = corpus.passages.length;
  const file = path.join(ctx.dir, 'minisearch.json');
  ctx.log(`minisearch: building ${n} passages…`);
  const built = await buildAndSaveMiniSearch(corpus, file, ctx);
  let mini = built.unsaved;
  let loadMs: number | null = null;
  if (!mini) {
    ctx.log('minisearch: loading…');
    ctx.gc();
    const started = performance.now();
    mini = MiniSearch.loadJSON<MiniDocument>(await fs.readFile(file, 'utf8'), MINISEARCH_OPTIONS);
    loadMs = performance.now() - started;
  }
  const loaded = mini; // a const, so the closure below knows it is set

  ctx.log(`minisearch: ${corpus.queries.length} queries…`);
  const latency = measureQueries(corpus.queries, corpus.warmupQueries, (query) => void loaded.search(query).slice(0, TOP));
  return figures(n, built, loadMs, latency);
}

async function buildAndSaveMiniSearch(corpus: BenchCorpus, file: string, ctx: BenchContext) {
  const heapBefore = heapUsedAfterGc(ctx.gc);
  const documents: MiniDocument[] = corpus.files.flatMap((f) =>
    corpus.passages.slice(f.from, f.to).map((text, i) => ({ id: f.from + i + 1, text, title: f.title })),
  );
  const started = performance.now();
  const mini = new MiniSearch<MiniDocument>(MINISEARCH_OPTIONS);
  mini.addAll(documents);
  const buildMs = performance.now() - started;
  documents.length = 0; // MiniSearch keeps no documents; don't count our input array.
  const heapBytes = heapUsedAfterGc(ctx.gc) - heapBefore;
  ctx.log('minisearch: saving…');
  let json: string;
  try {
    json = JSON.stringify(mini);
  } catch (error) {
    if (!tooLongToSave(error)) throw error;
    ctx.log(`minisearch: cannot save (${(error as Error).message}); querying the built index instead`);
    return { buildMs, heapBytes, persistedBytes: null, unsaved: mini };
  }
  await fs.writeFile(file, json);
  return { buildMs, heapBytes, persistedBytes: (await fs.stat(file)).size, unsaved: undefined };
}

function figures(
  n: number,
  built: { buildMs: number; heapBytes: number; bufferBytes?: number; persistedBytes: number | null },
  loadMs: number | null,
  latency: { p50Ms: number; p99Ms: number },
): EngineFigures {
  return {
    buildMs: round(built.buildMs, 1),
    passagesPerSec: Math.round(n / (built.buildMs / 1000)),
    heapBytesPerPassage: Math.round(built.heapBytes / n),
    ...(built.bufferBytes === undefined ? {} : { bufferBytesPerPassage: Math.round(built.bufferBytes / n) }),
    persistedBytes: built.persistedBytes,
    loadMs: loadMs === null ? null : round(loadMs, 1),
    p50Ms: round(latency.p50Ms, 3),
    p99Ms: round(latency.p99Ms, 3),
  };
}
