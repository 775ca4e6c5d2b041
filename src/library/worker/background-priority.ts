/**
 * Background work runs at a lower CPU priority than the thread that serves questions. A
 * reindex keeps its threads busy for seconds to minutes; on a machine with few cores the
 * serving thread and the search thread would otherwise wait for a core behind them, tens of
 * milliseconds at a time (measured with `npm run bench` at a million passages: the
 * longest event-loop stalls during a reindex were such waits). Like `nice`, it costs the
 * reindex nothing when the cores are free.
 *
 * Linux gives each thread its own nice value, and the threads it starts inherit it, so the
 * reindex worker lowers its own and its build threads follow. Elsewhere this is a no-op.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';

/** Nice value of background threads (0 is normal, 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/** Lowers the calling thread's CPU priority; false where the platform does not allow it. */
export function lowerThisThreadsPriority(nice = BACKGROUND_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // `/proc/thread-self` → `<pid>/task/<tid>`; setpriority(2) with a thread id sets that thread only.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    os.setPriority(tid, Math.max(os.getPriority(tid), nice));
    return true;
  } catch {
    return false;
  }
}
