/**
 * When segments are merged: Lucene's tiered policy, simplified. Also the names of new
 * segments, unique across processes and time.
 */
import type { DeletedStats, GenerationState } from './generation.ts';
import { NO_DELETIONS } from './generation.ts';
import { mergeSegments } from './merger.ts';
import type { Segment } from './segment-format.ts';

/** Merge when there are more segments than this… */
export const MAX_SEGMENTS = 8;
/** …or rewrite a segment once this share of its passages is deleted. */
export const MAX_DELETED_SHARE = 0.5;

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
