/** Worker-thread entry for `BackgroundReindexer`: runs `reindex` and reports back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage } from './background-reindex.ts';
import { reindex } from './indexer.ts';

const { corpusDir, indexDir, full, requestedBy } = workerData as { corpusDir: string; indexDir: string; full: boolean; requestedBy?: string };
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const { report } = await reindex({ corpusDir, indexDir, full, requestedBy, onProgress: (progress) => post({ type: 'progress', progress }) });
  post({ type: 'done', report });
} catch (error) {
  post({ type: 'error', message: (error as Error).message });
}
