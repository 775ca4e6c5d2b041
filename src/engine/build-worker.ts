/** Worker-thread entry of `build-pool.ts`: inverts slices of passages into segments, one per message. */
import { parentPort } from 'node:worker_threads';
import { buildFromRequest, type BuildReply, type BuildRequest } from './build-pool.ts';

parentPort!.on('message', (request: BuildRequest) => {
  let reply: BuildReply;
  try {
    const segment = buildFromRequest(request);
    reply = { header: segment.header, buffer: segment.buffer };
  } catch (error) {
    reply = { error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
