/** Small measuring helpers for the benchmark: heap after GC, bytes on disk, latency percentiles. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type GcFunction = () => void;

/** `heapUsed` after full collections (twice: the first can leave finalizable garbage). */
export function heapUsedAfterGc(gc: GcFunction): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Total bytes of the regular files directly in `dir`. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(dir, entry.name))).size;
  }
  return total;
}

/** Nearest-rank percentile (`p` in 0–100) of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

/**
 * Queries run untimed first. With 20 (of the timed ones) the first 1,000 queries at a million
 * passages had p99 24.8 ms and the same 1,000 again 19–20 ms: the engine's code was still
 * being optimized. A steady-state figure needs a warm-up, of other queries so that no timed
 * query has been seen before.
 */
export const WARMUP_QUERIES = 100;

/** Runs `warmup` untimed (JIT), then times every one of `queries` once. */
export function measureQueries(queries: readonly string[], warmup: readonly string[], run: (query: string) => void): Latency {
  for (const query of warmup) run(query);
  const times: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    run(query);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
