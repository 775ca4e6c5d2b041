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
import { hash } from 'node:crypto';
import type { Analyzer } from '../core/analyzer.ts';
import { foldWhitespace } from '../core/text.ts';
import { contextAt, contextsOf, headingField, NO_DELETIONS, type DeletedStats, type Generation, type GenerationFile, type GenerationState } from './generation.ts';
import { mergeSegments } from './merger.ts';
import type { Segment } from './segment-format.ts';

/** A file with freshly cut passages. */
export interface NewFile {
  source: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  title: string;
  /** `section` and `code` come from Markdown (`markdown.ts`). */
  chunks: Array<{ lines: [number, number]; text: string; section?: string; code?: { lang: string } }>;
}

/** Passages to invert into new segments: parallel columns. */
export interface PassageBatch {
  ids: number[];
  texts: string[];
  titles: string[];
  /** Four words per passage; when absent, the builder hashes the texts (`dedupHash`). */
  hashes?: Uint32Array;
}

export interface WritePlan {
  batch: PassageBatch;
  /** Builds the next generation's state once the batch's segments exist. */
  finish(built: Segment[]): { state: GenerationState; passagesAdded: number; passagesRemoved: number };
}

/** Merge when there are more segments than this… */
export const MAX_SEGMENTS = 8;
/** …or rewrite a segment once this share of its passages is deleted. */
export const MAX_DELETED_SHARE = 0.5;

/**
 * The dedup key of a passage: the first 128 bits of the SHA-256 of its whitespace-folded
 * text, written as four words at `out[at..at+4]`. A match is still confirmed against the
 * texts before two places share a passage (`sameFoldedText`): cheap, and it keeps a quote
 * exact whatever the hash. (A 128-bit FNV in JavaScript, tried instead, was no faster:
 * ~4.7 µs a passage against ~5 µs for folding and hashing natively.) `utf8`: the text already
 * encoded, hashed as it is when folding leaves the text unchanged.
 */
export function dedupHash(text: string, out: Uint32Array, at: number, utf8?: Uint8Array): void {
  // Already folded text whose UTF-8 bytes are at hand is hashed as it is (no encoding again).
  const folded = foldWhitespace(text);
  const digest = hash('sha256', utf8 && folded === text ? utf8 : folded, 'buffer');
  for (let w = 0; w < 4; w++) out[at + w] = digest.readUInt32LE(4 * w);
}

/** Whether two texts are the same passage for dedup (equal after whitespace folding). */
export function sameFoldedText(x: string, y: string): boolean {
  return x === y || foldWhitespace(x) === foldWhitespace(y);
}

function hashKey(words: Uint32Array, at: number): string {
  return `${words[at]},${words[at + 1]},${words[at + 2]},${words[at + 3]}`;
}

/** A new file's entry in the generation's file list: its chunks are `[chunkStart, chunkEnd)`. */
function generationFile({ chunks, ...meta }: NewFile, chunkStart: number, chunkEnd: number): GenerationFile {
  const contexts = contextsOf(chunks);
  return { ...meta, chunkStart, chunkEnd, ...(contexts ? { contexts } : {}) };
}

/** Plans the write of `upserts` (added or changed files) and `removals` over `base`. */
export function planWrite(base: Generation | undefined, upserts: readonly NewFile[], removals: readonly string[], analyzer: Analyzer): WritePlan {
  if (!base || base.files.length === 0) return planFullBuild(upserts, analyzer);
  const replaced = new Set([...removals, ...upserts.map((file) => file.source)]);
  const baseFiles = base?.files ?? [];
  const baseChunks = base?.state.chunks ?? new Uint32Array(0);
  let nextId = base?.nextId ?? 0;

  // (1) Hash every new chunk.
  const upsertChunks = upserts.reduce((sum, file) => sum + file.chunks.length, 0);
  const newHashes = new Uint32Array(4 * upsertChunks);
  const newKeys: string[] = [];
  const firstWords = new Set<number>();
  let at = 0;
  for (const file of upserts) {
    for (const chunk of file.chunks) {
      // Text is stored as UTF-8; a lone surrogate (never in a file decoded as UTF-8) would not round-trip.
      if (!chunk.text.isWellFormed()) throw new Error(`${file.source}: passage text at lines ${chunk.lines[0]}–${chunk.lines[1]} is not well-formed Unicode`);
      dedupHash(chunk.text, newHashes, 4 * at);
      newKeys.push(hashKey(newHashes, 4 * at));
      if (base) firstWords.add(newHashes[4 * at]!);
      at++;
    }
  }

  // (2) Live passages with the same text as a new chunk.
  const existing = new Map<string, number>();
  if (base && upsertChunks > 0) {
    base.segments.forEach((segment, s) => {
      const { ids, hashes } = segment.arrays;
      const gone = base.state.deleted[s];
      for (let local = 0; local < segment.docCount; local++) {
        if (!firstWords.has(hashes[4 * local]!) || gone?.[local] === 1) continue;
        existing.set(hashKey(hashes, 4 * local), ids[local]!);
      }
    });
  }

  // (3) The next chunk table, file by file in source order; ids for new texts.
  const upsertBySource = new Map(upserts.map((file, i) => [file.source, i]));
  const upsertOffset: number[] = [];
  at = 0;
  for (const file of upserts) {
    upsertOffset.push(at);
    at += file.chunks.length;
  }
  const sources = [...new Set([...baseFiles.filter((file) => !replaced.has(file.source)).map((file) => file.source), ...upserts.map((file) => file.source)])].sort();
  const keptChunks = baseFiles.reduce((sum, file) => sum + (replaced.has(file.source) ? 0 : file.chunkEnd - file.chunkStart), 0);
  const chunks = new Uint32Array(new SharedArrayBuffer(4 * 3 * (keptChunks + upsertChunks)));
  const files: GenerationFile[] = [];
  const batch: Required<PassageBatch> = { ids: [], texts: [], titles: [], hashes: new Uint32Array(0) };
  const batchHashes: number[] = [];
  const byKey = new Map<string, number>();
  const newIds = new Set<number>();
  const batchText = new Map<number, string>();
  const textOf = (id: number): string => {
    const fresh = batchText.get(id);
    if (fresh !== undefined) return fresh;
    const at = base!.locate(id)!;
    return base!.segments[at.segment]!.text(at.local);
  };
  /** Existing passages whose first place may have moved (their title must be checked). */
  const affected = new Set<number>();
  for (const file of baseFiles) {
    if (!replaced.has(file.source)) continue;
    for (let c = file.chunkStart; c < file.chunkEnd; c++) affected.add(baseChunks[3 * c]!);
  }
  let chunkAt = 0;
  for (const source of sources) {
    const u = upsertBySource.get(source);
    const start = chunkAt;
    if (u === undefined) {
      const file = base!.file(source)!;
      chunks.set(baseChunks.subarray(3 * file.chunkStart, 3 * file.chunkEnd), 3 * chunkAt);
      chunkAt += file.chunkEnd - file.chunkStart;
      files.push({ ...file, chunkStart: start, chunkEnd: chunkAt });
      continue;
    }
    const file = upserts[u]!;
    file.chunks.forEach((chunk, i) => {
      const n = upsertOffset[u]! + i;
      const key = newKeys[n]!;
      let id = byKey.get(key) ?? existing.get(key);
      // A hash match is checked against the text; a collision becomes a passage of its own.
      if (id !== undefined && !sameFoldedText(chunk.text, textOf(id))) id = undefined;
      if (id === undefined) {
        id = nextId++;
        newIds.add(id);
        batch.ids.push(id);
        batch.texts.push(chunk.text);
        batchText.set(id, chunk.text);
        batch.titles.push(headingField(file.title, chunk.section));
        for (let w = 0; w < 4; w++) batchHashes.push(newHashes[4 * n + w]!);
      } else if (!newIds.has(id)) affected.add(id);
      if (!byKey.has(key)) byKey.set(key, id);
      chunks[3 * chunkAt] = id;
      chunks[3 * chunkAt + 1] = chunk.lines[0];
      chunks[3 * chunkAt + 2] = chunk.lines[1];
      chunkAt++;
    });
    files.push(generationFile(file, start, chunkAt));
  }

  // (4) A reused passage whose first place now has another title is indexed again with it.
  const firstTitle = new Map<number, string>();
  if (affected.size > 0) {
    for (const file of files) {
      for (let c = file.chunkStart; c < file.chunkEnd; c++) {
        const id = chunks[3 * c]!;
        if (affected.has(id) && !firstTitle.has(id)) firstTitle.set(id, headingField(file.title, contextAt(file, c - file.chunkStart)?.section));
      }
    }
  }
  const remap = new Map<number, number>();
  for (const [id, title] of firstTitle) {
    const at = base?.locate(id);
    if (!at) continue;
    const segment = base!.segments[at.segment]!;
    if (segment.title(at.local) === title) continue;
    const fresh = nextId++;
    remap.set(id, fresh);
    batch.ids.push(fresh);
    batch.texts.push(segment.text(at.local));
    batch.titles.push(title);
    for (let w = 0; w < 4; w++) batchHashes.push(segment.arrays.hashes[4 * at.local + w]!);
  }
  if (remap.size > 0) {
    for (let c = 0; c < chunkAt; c++) {
      const fresh = remap.get(chunks[3 * c]!);
      if (fresh !== undefined) chunks[3 * c] = fresh;
    }
  }
  batch.hashes = Uint32Array.from(batchHashes);
  const passages = batch;

  return {
    batch: passages,
    finish(built) {
      // (5) Passages no chunk refers to any more are deleted.
      const referenced = new Uint8Array(nextId);
      for (let c = 0; c < chunkAt; c++) referenced[chunks[3 * c]!] = 1;
      const segments = [...(base?.segments ?? [])];
      const deleted = [...(base?.state.deleted ?? [])];
      const deletedStats = [...(base?.state.deletedStats ?? [])];
      let passagesRemoved = 0;
      segments.forEach((segment, s) => {
        const { ids } = segment.arrays;
        let bitmap = deleted[s];
        let stats: MutableDeletedStats | undefined;
        for (let local = 0; local < segment.docCount; local++) {
          if (bitmap?.[local] === 1 || referenced[ids[local]!] === 1) continue;
          if (!stats) {
            stats = copyStats(deletedStats[s]!);
            const copy = new Uint8Array(new SharedArrayBuffer(segment.docCount));
            if (bitmap) copy.set(bitmap);
            bitmap = copy;
          }
          bitmap![local] = 1;
          countDeleted(stats, segment, local, analyzer);
          passagesRemoved++;
        }
        if (stats) {
          deleted[s] = bitmap;
          deletedStats[s] = stats;
        }
      });
      for (const segment of built) {
        segments.push(segment);
        deleted.push(undefined);
        deletedStats.push(NO_DELETIONS);
      }
      const state = applyMergePolicy({ nextId, files, chunks, segments, deleted, deletedStats });
      return { state, passagesAdded: passages.ids.length, passagesRemoved };
    },
  };
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
  const batch: PassageBatch = { ids: [], texts: [], titles: [] };
  const meta: GenerationFile[] = [];
  for (const file of files) {
    meta.push(generationFile(file, batch.ids.length, batch.ids.length + file.chunks.length));
    for (const chunk of file.chunks) {
      if (!chunk.text.isWellFormed()) throw new Error(`${file.source}: passage text at lines ${chunk.lines[0]}–${chunk.lines[1]} is not well-formed Unicode`);
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
      let c = 0;
      for (const file of files) {
        for (const chunk of file.chunks) {
          chunks[3 * c] = c + 1;
          chunks[3 * c + 1] = chunk.lines[0];
          chunks[3 * c + 2] = chunk.lines[1];
          c++;
        }
      }
      // Duplicates, by hash: chunk ids point at the first copy; later copies are deleted.
      const deleted: Array<Uint8Array | undefined> = built.map(() => undefined);
      const deletedStats: DeletedStats[] = built.map(() => NO_DELETIONS);
      const segmentOf = new Int32Array(count + 1);
      const localOf = new Uint32Array(count + 1);
      built.forEach((segment, s) => segment.arrays.ids.forEach((id, local) => ((segmentOf[id] = s), (localOf[id] = local))));
      const sameText = (x: number, y: number) => built[segmentOf[x]!]!.hasHash(localOf[x]!, built[segmentOf[y]!]!.arrays.hashes, 4 * localOf[y]!);
      const keyOf = (id: number) => hashKey(built[segmentOf[id]!]!.arrays.hashes, 4 * localOf[id]!);
      const textAt = (id: number) => built[segmentOf[id]!]!.text(localOf[id]!);
      const firstByWord = new Map<number, number>(); // first hash word → id of the first copy
      const firstByKey = new Map<string, number>(); // whole hash → id, only where first words collide
      let removed = 0;
      for (let i = 0; i < count; i++) {
        const id = chunks[3 * i]!;
        const word = built[segmentOf[id]!]!.arrays.hashes[4 * localOf[id]!]!;
        const other = firstByWord.get(word);
        let same: number | undefined;
        if (other === undefined) firstByWord.set(word, id);
        else if (sameText(id, other) && sameFoldedText(textAt(id), textAt(other))) same = other;
        else {
          const key = keyOf(id);
          same = firstByKey.get(key);
          if (same === undefined) firstByKey.set(key, id);
          else if (!sameFoldedText(textAt(id), textAt(same))) same = undefined; // a collision: kept apart
        }
        if (same === undefined) continue;
        const at = { segment: segmentOf[id]!, local: localOf[id]! };
        const segment = built[at.segment]!;
        chunks[3 * i] = same;
        let bitmap = deleted[at.segment];
        if (!bitmap) {
          bitmap = deleted[at.segment] = new Uint8Array(new SharedArrayBuffer(segment.docCount));
          deletedStats[at.segment] = copyStats(NO_DELETIONS);
        }
        bitmap[at.local] = 1;
        countDeleted(deletedStats[at.segment] as MutableDeletedStats, segment, at.local, analyzer);
        removed++;
      }
      const state = applyMergePolicy({ nextId: count + 1, files: meta, chunks, segments: [...built], deleted, deletedStats });
      return { state, passagesAdded: count - removed, passagesRemoved: 0 };
    },
  };
}

type MutableDeletedStats = { docs: number; lenText: number; lenTitle: number; df: Map<string, [number, number]> };

function copyStats(stats: DeletedStats): MutableDeletedStats {
  return { docs: stats.docs, lenText: stats.lenText, lenTitle: stats.lenTitle, df: new Map([...stats.df].map(([term, [t, ti]]) => [term, [t, ti]])) };
}

/** Takes a passage out of its segment's statistics: its lengths and its distinct terms. */
function countDeleted(stats: MutableDeletedStats, segment: Segment, local: number, analyzer: Analyzer): void {
  stats.docs++;
  stats.lenText += segment.arrays.lenText[local]!;
  stats.lenTitle += segment.arrays.lenTitle[local]!;
  const bump = (term: string, field: 0 | 1) => {
    let entry = stats.df.get(term);
    if (!entry) stats.df.set(term, (entry = [0, 0]));
    entry[field]++;
  };
  for (const term of new Set(analyzer.terms(segment.text(local)))) bump(term, 0);
  for (const term of new Set(analyzer.terms(segment.title(local)))) bump(term, 1);
}

/**
 * Drops segments with nothing live, rewrites those mostly deleted, and merges the
 * smallest when there are too many (Lucene's tiered policy, simplified): a merge rewrites
 * small segments often and large ones rarely, so its cost stays proportional to change.
 */
export function applyMergePolicy(state: GenerationState): GenerationState {
  const live = (s: number) => state.segments[s]!.docCount - state.deletedStats[s]!.docs;
  let order = state.segments.map((_, s) => s).filter((s) => live(s) > 0);
  const rewrite = order.filter((s) => state.deletedStats[s]!.docs > 0 && state.deletedStats[s]!.docs >= MAX_DELETED_SHARE * state.segments[s]!.docCount);
  const merge = new Set(rewrite);
  if (order.length - merge.size + (merge.size > 0 ? 1 : 0) > MAX_SEGMENTS) {
    const bySize = order.filter((s) => !merge.has(s)).sort((x, y) => live(x) - live(y));
    for (const s of bySize.slice(0, Math.max(2, order.length - MAX_SEGMENTS + 4))) merge.add(s);
  }
  if (merge.size === 0 && order.length === state.segments.length) return state;
  const segments: Segment[] = [];
  const deleted: Array<Uint8Array | undefined> = [];
  const deletedStats: DeletedStats[] = [];
  order = order.filter((s) => !merge.has(s));
  for (const s of order) {
    segments.push(state.segments[s]!);
    deleted.push(state.deleted[s]);
    deletedStats.push(state.deletedStats[s]!);
  }
  if (merge.size > 0) {
    const inputs = [...merge].sort((x, y) => x - y).map((s) => ({ segment: state.segments[s]!, deleted: state.deleted[s] }));
    segments.push(mergeSegments(inputs, newSegmentName()));
    deleted.push(undefined);
    deletedStats.push(NO_DELETIONS);
  }
  return { ...state, segments, deleted, deletedStats };
}

let sequence = 0;
/** Unique across processes and time: segment files are never overwritten. */
export function newSegmentName(): string {
  return `${Date.now().toString(36)}-${process.pid.toString(36)}-${(sequence++).toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}
