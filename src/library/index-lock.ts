/**
 * One writer at a time per index folder, across processes and threads: `write.lock` in the
 * folder, created with O_EXCL, names its owner (host, pid, the process's start time).
 *
 * A lock whose owner is gone is recovered at once: on the same host the owner is gone when
 * its pid no longer runs, or runs with another start time (the pid was reused — a restarted
 * container's pid 1). Locks from another host (an index folder on a network share) are
 * trusted while their holder refreshes the file's mtime, which it does every minute.
 *
 * Why not `proper-lockfile`: it judges a lock only by mtime. After a `kill -9` the next
 * writer waits out the stale period (10 s by default), and a holder whose thread is busy
 * longer than that (analysing a large corpus is one synchronous stretch) has its lock
 * taken while it still writes. A liveness check has neither problem.
 */
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VerbatimError } from '../core/errors.ts';

export const LOCK_FILE = 'write.lock';
/** A lock from another host is stale when its mtime has not moved for this long. */
const FOREIGN_STALE_MS = 10 * 60_000;
const HEARTBEAT_MS = 60_000;
const POLL_MS = 100;

/** Another live writer holds the index folder. */
export class IndexLockedError extends VerbatimError {
  override name = 'IndexLockedError';
  constructor(
    readonly indexDir: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      `Another reindex of ${indexDir} is running (${owner ? `pid ${owner.pid}${owner.host === os.hostname() ? '' : ` on ${owner.host}`}` : 'unknown process'}); ` +
        `try again when it has finished${owner && owner.host !== os.hostname() ? `, or remove ${path.join(indexDir, LOCK_FILE)} if that host is gone` : ''}.`,
    );
  }
}

export interface LockOwner {
  host: string;
  pid: number;
  /** Start time of the owner process (Linux clock ticks since boot), when the OS tells it. */
  started: string | null;
  acquiredAt: string;
}

export interface IndexLock {
  readonly path: string;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long to wait for a live writer to finish. 0: fail at once. Default 0. */
  waitMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (owner: LockOwner | undefined) => void;
}

/**
 * Takes the index folder's write lock, creating the folder if needed. Waits up to
 * `waitMs` for a live holder, then throws `IndexLockedError`.
 */
export async function acquireIndexLock(indexDir: string, options: AcquireOptions = {}): Promise<IndexLock> {
  await fs.mkdir(indexDir, { recursive: true });
  const lockPath = path.join(indexDir, LOCK_FILE);
  const me: LockOwner = { host: os.hostname(), pid: process.pid, started: processStartTime(process.pid), acquiredAt: new Date().toISOString() };
  const body = JSON.stringify(me);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let waited = false;
  for (;;) {
    try {
      await fs.writeFile(lockPath, body, { flag: 'wx' });
      return holdLock(lockPath, body);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readLock(lockPath);
    if (current === undefined) continue; // released between our attempt and the read
    if (await isStale(current)) {
      await breakLock(lockPath, current.text);
      continue;
    }
    if (Date.now() >= deadline) throw new IndexLockedError(indexDir, current.owner);
    if (!waited) options.onWait?.(current.owner);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Runs `work` holding the index folder's write lock. */
export async function withIndexLock<T>(indexDir: string, options: AcquireOptions, work: () => Promise<T>): Promise<T> {
  const lock = await acquireIndexLock(indexDir, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

function holdLock(lockPath: string, body: string): IndexLock {
  // The heartbeat matters only to writers on other hosts; same-host ones check the pid.
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(lockPath, now, now).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Remove it only while it is still ours.
      const current = await readLock(lockPath);
      if (current?.text === body) await fs.rm(lockPath, { force: true });
    },
  };
}

async function readLock(lockPath: string): Promise<{ text: string; owner: LockOwner | undefined; mtimeMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    let owner: LockOwner | undefined;
    try {
      const parsed = JSON.parse(text) as LockOwner;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') owner = parsed;
    } catch {
      // a writer killed between creating the file and writing it: judged by mtime below
    }
    return { text, owner, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function isStale(lock: { owner: LockOwner | undefined; mtimeMs: number }): Promise<boolean> {
  const { owner } = lock;
  if (!owner || owner.host !== os.hostname()) return Date.now() - lock.mtimeMs > (owner ? FOREIGN_STALE_MS : 5_000);
  if (!isProcessRunning(owner.pid)) return true;
  const started = processStartTime(owner.pid);
  return owner.started !== null && started !== null && started !== owner.started;
}

/** Whether a process with this pid runs on this host. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name); null off Linux. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Removes a stale lock without removing a fresh one another process took meanwhile: move
 * it aside, and if what was moved is not the lock judged stale, put it back.
 */
async function breakLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await fs.link(aside, lockPath).catch(() => {});
  await fs.rm(aside, { force: true });
}
