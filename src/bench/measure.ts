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

/** Runs `warmup` queries untimed (JIT, caches), then times every query once. */
export function measureQueries(queries: readonly string[], run: (query: string) => void, warmup = 20): Latency {
  for (let i = 0; i < Math.min(warmup, queries.length); i++) run(queries[i]!);
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
