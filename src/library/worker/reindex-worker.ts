/**
 * Worker-thread entry for `BackgroundReindexer`: for each request, runs `reindex` (which
 * takes the index folder's lock and saves), then posts the built generation back. Its
 * arrays are `SharedArrayBuffer`s, so the serving thread receives the index without a copy
 * and swaps it in without reading or rebuilding anything itself. The thread stays up for
 * the next request (see `BackgroundReindexer`); requests come one at a time. It and the
 * build threads it starts run at background priority (`background-priority.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadsPriority } from './background-priority.ts';
import type { ReindexRequest, WorkerMessage } from './background-reindex.ts';
import { fromPosted, postable } from '../../engine/generation-post.ts';
import { reindex } from '../indexer.ts';
import { VerbatimIndex } from '../../engine/verbatim-index.ts';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

async function run({ served, ...request }: ReindexRequest): Promise<void> {
  try {
    const { index, report, manifest } = await reindex({
      ...request,
      ...(served ? { served: { generation: served.generation, index: VerbatimIndex.fromSnapshot(fromPosted(served.state)) } } : {}),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    const { files: _, ...summary } = manifest; // the receiver rebuilds the list from the generation's files
    post({ type: 'done', report, manifest: summary, generation: postable(index.snapshot()) });
  } catch (error) {
    const { name, message, stack } = error as Error;
    post({ type: 'error', name, message, stack });
  }
}

lowerThisThreadsPriority();
parentPort!.on('message', (request: ReindexRequest) => void run(request));
