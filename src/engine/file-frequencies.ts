/**
 * Statistics of BM25 over whole files, read from the passage postings.
 *
 * Per segment and term: in how many files the term occurs among the segment's live
 * passages (a passage counts for the file of its first place), the document frequencies of
 * BM25 over whole files (`VerbatimIndex.fileScores`). Counted from the postings when a
 * generation is derived: a term's postings are in passage order, and a file's passages in a
 * segment are written together, so each run of one file's passages is one file. A file whose
 * passages sit in two segments (after an incremental change) counts in both until they
 * are merged. A segment whose deletions did not change keeps its counts: an incremental
 * write counts only the segments it touched. And a term's frequency in a file: its postings
 * summed over the file's passages (`textFrequencyIn`).
 */
import { advanceTo } from './postings.ts';
import type { Segment, SegmentArrays } from './segment-format.ts';

const known = new WeakMap<Segment, { deleted: Uint8Array | undefined; counts: Uint32Array }>();

/** Counts already made (a generation that arrived with its lookups) are reused by the next generation. */
export function rememberFileFrequencies(segments: readonly Segment[], deleted: ReadonlyArray<Uint8Array | undefined>, counts: readonly Uint32Array[]): void {
  segments.forEach((segment, s) => {
    if (counts[s] && !known.has(segment)) known.set(segment, { deleted: deleted[s], counts: counts[s]! });
  });
}

export function fileFrequencies(segments: readonly Segment[], deleted: ReadonlyArray<Uint8Array | undefined>, firstChunk: Int32Array, chunkFile: Uint32Array): Uint32Array[] {
  return segments.map((segment, s) => {
    const cached = known.get(segment);
    if (cached && cached.deleted === deleted[s]) return cached.counts;
    const counts = countFiles(segment, deleted[s], firstChunk, chunkFile);
    known.set(segment, { deleted: deleted[s], counts });
    return counts;
  });
}

function countFiles(segment: Segment, gone: Uint8Array | undefined, firstChunk: Int32Array, chunkFile: Uint32Array): Uint32Array {
  const { ids, docs, tfText, postingStarts } = segment.arrays;
  // Local doc → its file (-1 when deleted or placed nowhere).
  const fileOf = new Int32Array(segment.docCount);
  for (let local = 0; local < segment.docCount; local++) {
    const chunk = gone?.[local] === 1 ? -1 : firstChunk[ids[local]!]!;
    fileOf[local] = chunk < 0 ? -1 : chunkFile[chunk]!;
  }
  const termCount = segment.header.termCount;
  const counts = new Uint32Array(new SharedArrayBuffer(4 * termCount));
  for (let r = 0; r < termCount; r++) {
    let last = -1;
    let n = 0;
    for (let p = postingStarts[r]!, end = postingStarts[r + 1]!; p < end; p++) {
      const file = fileOf[docs[p]!]!;
      if (file >= 0 && file !== last && tfText[p]! > 0) {
        n++;
        last = file;
      }
    }
    counts[r] = n;
  }
  return counts;
}

/** Sum of term `r`'s text tf over the locals `places[from, to)` (ascending, offset by `base`). */
export function textFrequencyIn(a: SegmentArrays, r: number, places: Float64Array, from: number, to: number, base: number): number {
  const start = a.postingStarts[r]!;
  const end = a.postingStarts[r + 1]!;
  let sum = 0;
  if (to - from <= end - start) {
    let p = start;
    for (let i = from; i < to && p < end; i++) {
      const local = places[i]! - base;
      p = advanceTo(a.docs, p, end, local);
      if (p < end && a.docs[p] === local) sum += a.tfText[p]!;
    }
    return sum;
  }
  // Fewer postings than places: walk the postings and count each doc's places.
  let i = from;
  for (let p = start; p < end && i < to; p++) {
    const doc = base + a.docs[p]!;
    while (i < to && places[i]! < doc) i++;
    while (i < to && places[i] === doc) {
      sum += a.tfText[p]!;
      i++;
    }
  }
  return sum;
}
