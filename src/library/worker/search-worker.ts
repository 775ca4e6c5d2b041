/** Worker-thread entry for `SearchThread` (see `search-thread.ts`). */
import { parentPort } from 'node:worker_threads';
import { serveSearches } from './search-thread.ts';

serveSearches(parentPort!);
