/**
 * Worker-thread entry for `BackgroundReindexer`: runs `reindex` (which takes the index
 * folder's lock and saves), then posts the built generation back. Its arrays are
 * `SharedArrayBuffer`s, so the serving thread receives the index without a copy and
 * swaps it in without reading or rebuilding anything itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fromPosted, postable, type PostedGeneration } from './engine/generation.ts';
import { VerbatimIndex } from './search-index.ts';
import type { WorkerMessage } from './background-reindex.ts';
import { reindex } from './indexer.ts';

const { corpusDir, indexDir, full, requestedBy, lockWaitMs, served } = workerData as {
  corpusDir: string;
  indexDir: string;
  full: boolean;
  requestedBy?: string;
  lockWaitMs: number;
  served?: { generation: string; state: PostedGeneration };
};
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const { index, report, manifest } = await reindex({
    corpusDir,
    indexDir,
    full,
    requestedBy,
    lockWaitMs,
    ...(served ? { served: { generation: served.generation, index: VerbatimIndex.fromSnapshot(fromPosted(served.state)) } } : {}),
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({ type: 'done', report, manifest, generation: postable(index.snapshot()) });
} catch (error) {
  const { name, message, stack } = error as Error;
  post({ type: 'error', name, message, stack });
}
