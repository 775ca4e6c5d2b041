/**
 * Worker-thread entry for `BackgroundReindexer`: runs `reindex` (which takes the index
 * folder's lock and saves), then sends the built index back in small pieces so the
 * serving thread can swap it in without reading or rebuilding anything itself.
 */
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage } from './background-reindex.ts';
import { reindex } from './indexer.ts';

const { corpusDir, indexDir, full, requestedBy, lockWaitMs } = workerData as {
  corpusDir: string;
  indexDir: string;
  full: boolean;
  requestedBy?: string;
  lockWaitMs: number;
};
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const { index, report, manifest } = await reindex({
    corpusDir,
    indexDir,
    full,
    requestedBy,
    lockWaitMs,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  // One piece in flight at a time: the receiving thread asks for the next when it has
  // taken this one, so it never has to deserialize a backlog in one go.
  for (const part of index.transferParts()) {
    post({ type: 'part', part });
    await once(parentPort!, 'message');
  }
  post({ type: 'done', report, manifest });
} catch (error) {
  const { name, message, stack } = error as Error;
  post({ type: 'error', name, message, stack });
}
