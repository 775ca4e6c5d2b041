/**
 * Writer: the next generation from the current one and a set of changed files.
 *
 * Lucene's shape: segments are never rewritten in place. Applying changes (1) hashes the
 * new chunks (SHA-256 of the whitespace-folded text, the dedup key), (2) reuses the
 * passage of any chunk whose text is already indexed, (3) collects the passages that are
 * really new into one batch, which `build-pool.ts` inverts into new segments (on worker
 * threads when it is large), and (4) marks passages no chunk refers to any more as
 * deleted, in a copy of their segment's deletion bitmap. Changing one file of a
 * million-passage index therefore costs that file's passages plus a few linear passes
 * over compact arrays — never a rebuild. The merge policy at the end keeps the number of
 * segments and the share of deleted passages bounded (`merger.ts`).
 *
 * Dedup: identical texts (after whitespace folding) are one passage, indexed with the
 * title of their first place in source order; the other places are its `also`.
 */
import type { Analyzer } from '../core/analyzer.ts';
import { dedupHash, hashKey, samePassageText } from './dedup.ts';
import { deleteDuplicates, deleteUnreferenced } from './deletions.ts';
import { contextAt, contextsOf, headingField, NO_DELETIONS, type Generation, type GenerationFile, type GenerationState } from './generation.ts';
import { applyMergePolicy } from './merge-policy.ts';
import type { Segment } from './segment-format.ts';
import type { Markup } from '../core/passage.ts';

/** A file with freshly cut passages. */
export interface NewFile {
  source: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  title: string;
  /** `section`, `code` and `markup` come from Markdown (`markdown.ts`). */
  chunks: Array<{ lines: [number, number]; text: string; section?: string; code?: { lang: string }; markup?: Markup }>;
}

/** Passages to invert into new segments: parallel columns. */
export interface PassageBatch {
  ids: number[];
  texts: string[];
  titles: string[];
  /** Four words per passage; when absent, the builder hashes the texts (`dedupHash`). */
  hashes?: Uint32Array;
  /** By position in the batch: the passage's markup (`Passage.markup`); most have none. */
  markup?: Map<number, Markup>;
}

export interface WritePlan {
  batch: PassageBatch;
  /** Builds the next generation's state once the batch's segments exist. */
  finish(built: Segment[]): { state: GenerationState; passagesAdded: number; passagesRemoved: number };
}

/** A new file's entry in the generation's file list: its chunks are `[chunkStart, chunkEnd)`. */
function generationFile({ chunks, ...meta }: NewFile, chunkStart: number, chunkEnd: number): GenerationFile {
  const contexts = contextsOf(chunks);
  return { ...meta, chunkStart, chunkEnd, ...(contexts ? { contexts } : {}) };
}

/** Plans the write of `upserts` (added or changed files) and `removals` over `base`. */
export function planWrite(base: Generation | undefined, upserts: readonly NewFile[], removals: readonly string[], analyzer: Analyzer): WritePlan {
  if (!base || base.files.length === 0) return planFullBuild(upserts, analyzer);
  // (1) Hash every new chunk; (2) find live passages with the same text.
  const hashed = hashChunks(upserts);
  const existing = liveByHash(base, hashed.firstWords);
  // (3) The next chunk table, file by file in source order; ids for new texts.
  const table = new ChunkTable(base, upserts, removals, hashed, existing);
  // (4) A reused passage whose first place now has another title is indexed again with it.
  table.retitle();
  const { chunks, files, batch } = table;
  const chunkCount = table.chunkAt;
  const nextId = table.nextId;
  return {
    batch,
    finish(built) {
      // (5) Passages no chunk refers to any more are deleted.
      const { segments, deleted, deletedStats, passagesRemoved } = deleteUnreferenced(base, chunks, chunkCount, nextId, analyzer);
      for (const segment of built) {
        segments.push(segment);
        deleted.push(undefined);
        deletedStats.push(NO_DELETIONS);
      }
      const state = applyMergePolicy({ nextId, files, chunks, segments, deleted, deletedStats });
      return { state, passagesAdded: batch.ids.length, passagesRemoved };
    },
  };
}

interface HashedChunks {
  /** Four words per new chunk, in upsert order. */
  hashes: Uint32Array;
  keys: string[];
  /** The first word of every hash: a cheap filter over the live passages. */
  firstWords: Set<number>;
}

function hashChunks(upserts: readonly NewFile[]): HashedChunks {
  const count = upserts.reduce((sum, file) => sum + file.chunks.length, 0);
  const hashes = new Uint32Array(4 * count);
  const keys: string[] = [];
  const firstWords = new Set<number>();
  let at = 0;
  for (const file of upserts) {
    for (const chunk of file.chunks) {
      // Text is stored as UTF-8; a lone surrogate (never in a file decoded as UTF-8) would not round-trip.
      if (!chunk.text.isWellFormed()) throw new Error(`${file.source}: passage text at lines ${chunk.lines[0]}–${chunk.lines[1]} is not well-formed Unicode`);
      dedupHash(chunk.text, hashes, 4 * at);
      keys.push(hashKey(hashes, 4 * at));
      firstWords.add(hashes[4 * at]!);
      at++;
    }
  }
  return { hashes, keys, firstWords };
}

/**
 * The texts of one dedup key a write compares a new chunk with: more (code blocks that differ
 * only in whitespace, many times over) would make each chunk's lookup cost grow with them; a
 * chunk that matches none of these is a passage of its own, which is always right.
 */
const MAX_TEXTS_PER_KEY = 8;

/** Adds `id` to the ids of `key` once, while they are fewer than `MAX_TEXTS_PER_KEY`. */
function addToKey(byKey: Map<string, number[]>, key: string, id: number): void {
  const ids = byKey.get(key);
  if (!ids) byKey.set(key, [id]);
  else if (ids.length < MAX_TEXTS_PER_KEY && !ids.includes(id)) ids.push(id);
}

/** Live passages whose hash starts with one of `firstWords`: hash key → ids (at most `MAX_TEXTS_PER_KEY`). */
function liveByHash(base: Generation, firstWords: ReadonlySet<number>): Map<string, number[]> {
  const existing = new Map<string, number[]>();
  if (firstWords.size === 0) return existing;
  base.segments.forEach((segment, s) => {
    const { ids, hashes } = segment.arrays;
    const gone = base.state.deleted[s];
    for (let local = 0; local < segment.docCount; local++) {
      if (!firstWords.has(hashes[4 * local]!) || gone?.[local] === 1) continue;
      // Several live passages share a key when code differs only in whitespace (`samePassageText`).
      addToKey(existing, hashKey(hashes, 4 * local), ids[local]!);
    }
  });
  return existing;
}

/** The next generation's chunk table and file list, and the batch of passages to build. */
class ChunkTable {
  readonly chunks: Uint32Array;
  readonly files: GenerationFile[] = [];
  readonly batch: Required<PassageBatch> = { ids: [], texts: [], titles: [], hashes: new Uint32Array(0), markup: new Map() };
  chunkAt = 0;
  nextId: number;
  private readonly batchHashes: number[] = [];
  private readonly byKey = new Map<string, number[]>();
  private readonly newIds = new Set<number>();
  private readonly batchText = new Map<number, string>();
  /** Existing passages whose first place may have moved (their title must be checked). */
  private readonly affected = new Set<number>();

  constructor(
    private readonly base: Generation,
    upserts: readonly NewFile[],
    removals: readonly string[],
    private readonly hashed: HashedChunks,
    private readonly existing: ReadonlyMap<string, readonly number[]>,
  ) {
    this.nextId = base.nextId;
    const replaced = new Set([...removals, ...upserts.map((file) => file.source)]);
    const baseChunks = base.state.chunks;
    const upsertChunks = hashed.keys.length;
    const keptChunks = base.files.reduce((sum, file) => sum + (replaced.has(file.source) ? 0 : file.chunkEnd - file.chunkStart), 0);
    this.chunks = new Uint32Array(new SharedArrayBuffer(4 * 3 * (keptChunks + upsertChunks)));
    for (const file of base.files) {
      if (!replaced.has(file.source)) continue;
      for (let c = file.chunkStart; c < file.chunkEnd; c++) this.affected.add(baseChunks[3 * c]!);
    }
    const upsertBySource = new Map(upserts.map((file, i) => [file.source, i]));
    const upsertOffset: number[] = [];
    let at = 0;
    for (const file of upserts) {
      upsertOffset.push(at);
      at += file.chunks.length;
    }
    const sources = [...new Set([...base.files.filter((file) => !replaced.has(file.source)).map((file) => file.source), ...upserts.map((file) => file.source)])].sort();
    for (const source of sources) {
      const u = upsertBySource.get(source);
      if (u === undefined) this.keepFile(base.file(source)!);
      else this.addFile(upserts[u]!, upsertOffset[u]!);
    }
    this.batch.hashes = Uint32Array.from(this.batchHashes);
  }

  /** An unchanged file: its chunks as they were. */
  private keepFile(file: GenerationFile): void {
    const start = this.chunkAt;
    this.chunks.set(this.base.state.chunks.subarray(3 * file.chunkStart, 3 * file.chunkEnd), 3 * start);
    this.chunkAt += file.chunkEnd - file.chunkStart;
    this.files.push({ ...file, chunkStart: start, chunkEnd: this.chunkAt });
  }

  /** A new or changed file: each chunk reuses a passage with its text, or is a new one. */
  private addFile(file: NewFile, offset: number): void {
    const start = this.chunkAt;
    const { chunks, hashed } = this;
    file.chunks.forEach((chunk, i) => {
      const n = offset + i;
      const key = hashed.keys[n]!;
      // A hash match is checked against the text; a collision (or code with other whitespace) becomes a passage of its own.
      const matches = (candidate: number) => samePassageText(chunk.text, this.textOf(candidate), chunk.code !== undefined);
      let id = this.byKey.get(key)?.find(matches) ?? this.existing.get(key)?.find(matches);
      if (id === undefined) {
        id = this.nextId++;
        this.newIds.add(id);
        this.batchText.set(id, chunk.text);
        this.push(id, chunk.text, headingField(file.title, chunk.section), hashed.hashes, 4 * n, chunk.markup);
      } else if (!this.newIds.has(id)) this.affected.add(id);
      addToKey(this.byKey, key, id);
      chunks[3 * this.chunkAt] = id;
      chunks[3 * this.chunkAt + 1] = chunk.lines[0];
      chunks[3 * this.chunkAt + 2] = chunk.lines[1];
      this.chunkAt++;
    });
    this.files.push(generationFile(file, start, this.chunkAt));
  }

  private push(id: number, text: string, title: string, hashes: ArrayLike<number>, at: number, markup: Markup | undefined): void {
    if (markup) this.batch.markup.set(this.batch.ids.length, markup);
    this.batch.ids.push(id);
    this.batch.texts.push(text);
    this.batch.titles.push(title);
    for (let w = 0; w < 4; w++) this.batchHashes.push(hashes[at + w]!);
  }

  private textOf(id: number): string {
    const fresh = this.batchText.get(id);
    if (fresh !== undefined) return fresh;
    const at = this.base.locate(id)!;
    return this.base.segments[at.segment]!.text(at.local);
  }

  /** (4) A reused passage whose first place now has another title gets a new id with that title. */
  retitle(): void {
    const { chunks, base } = this;
    const firstTitle = new Map<number, string>();
    if (this.affected.size === 0) return;
    for (const file of this.files) {
      for (let c = file.chunkStart; c < file.chunkEnd; c++) {
        const id = chunks[3 * c]!;
        if (this.affected.has(id) && !firstTitle.has(id)) firstTitle.set(id, headingField(file.title, contextAt(file, c - file.chunkStart)?.section));
      }
    }
    const remap = new Map<number, number>();
    for (const [id, title] of firstTitle) {
      const at = base.locate(id);
      if (!at) continue;
      const segment = base.segments[at.segment]!;
      if (segment.title(at.local) === title) continue;
      const fresh = this.nextId++;
      remap.set(id, fresh);
      this.push(fresh, segment.text(at.local), title, segment.arrays.hashes, 4 * at.local, segment.markup(at.local));
    }
    if (remap.size === 0) return;
    for (let c = 0; c < this.chunkAt; c++) {
      const fresh = remap.get(chunks[3 * c]!);
      if (fresh !== undefined) chunks[3 * c] = fresh;
    }
    this.batch.hashes = Uint32Array.from(this.batchHashes);
  }
}

/**
 * A build from nothing: every chunk is a passage of its own in the batch, so the builders
 * (on every core) do all the per-passage work — hashing included — and nothing waits for
 * the calling thread. Duplicates are found afterwards from the segments' hashes: the
 * first place in source order keeps its passage, the later copies are marked deleted
 * (they are rare; their statistics are taken out as for any deletion).
 */
function planFullBuild(upserts: readonly NewFile[], analyzer: Analyzer): WritePlan {
  const files = [...upserts].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const batch: Required<Omit<PassageBatch, 'hashes'>> = { ids: [], texts: [], titles: [], markup: new Map() };
  const meta: GenerationFile[] = [];
  for (const file of files) {
    meta.push(generationFile(file, batch.ids.length, batch.ids.length + file.chunks.length));
    for (const chunk of file.chunks) {
      if (!chunk.text.isWellFormed()) throw new Error(`${file.source}: passage text at lines ${chunk.lines[0]}–${chunk.lines[1]} is not well-formed Unicode`);
      if (chunk.markup) batch.markup.set(batch.ids.length, chunk.markup);
      batch.ids.push(batch.ids.length + 1); // ids start at 1
      batch.texts.push(chunk.text);
      batch.titles.push(headingField(file.title, chunk.section));
    }
  }
  const count = batch.ids.length;
  return {
    batch,
    finish(built) {
      const chunks = new Uint32Array(new SharedArrayBuffer(4 * 3 * count));
      const code = new Uint8Array(count + 1); // by id: the chunk is code
      let c = 0;
      for (const file of files) {
        for (const chunk of file.chunks) {
          chunks[3 * c] = c + 1;
          chunks[3 * c + 1] = chunk.lines[0];
          chunks[3 * c + 2] = chunk.lines[1];
          code[c + 1] = chunk.code !== undefined ? 1 : 0;
          c++;
        }
      }
      const { deleted, deletedStats, removed } = deleteDuplicates(built, chunks, count, analyzer, (id) => code[id] === 1);
      const state = applyMergePolicy({ nextId: count + 1, files: meta, chunks, segments: [...built], deleted, deletedStats });
      return { state, passagesAdded: count - removed, passagesRemoved: 0 };
    },
  };
}

