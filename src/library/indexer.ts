/**
 * Corpus ⇄ index: open the persisted index when it matches the corpus, rebuild it when it
 * does not (with the reason logged), and reindex incrementally by file hash. Every write
 * holds the index folder's lock, so two processes never build over each other.
 */
import type { Failure } from '../core/result.ts';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { corpusCommit, pullCorpus, type PullResult } from './corpus-git.ts';
import { chunkFile } from './documents.ts';
import { CORPUS_EXTENSIONS, listCorpus, readCorpusFile, type CorpusListing, type SkippedFile } from './corpus.ts';
import { withIndexLock, type LockOwner } from './index-lock.ts';
import { readCurrentSnapshot, readManifest, saveSnapshot, staleReason, type Manifest, type UnreadableFile } from './index-store.ts';
import type { Logger } from '../logger.ts';
import { VerbatimIndex, type NewFileRecord } from '../engine/verbatim-index.ts';

export interface IndexLocation {
  corpusDir: string;
  indexDir: string;
}

/**
 * Where to read and keep the index. `--corpus` without `--index` gets its own index folder
 * under INDEX_DIR (keyed by the corpus path), so trying another folder never overwrites
 * the main index.
 */
export function resolveLocation(defaults: IndexLocation, flags: { corpus?: string; index?: string }): IndexLocation {
  const corpusDir = flags.corpus ? path.resolve(flags.corpus) : defaults.corpusDir;
  if (flags.index) return { corpusDir, indexDir: path.resolve(flags.index) };
  if (!flags.corpus || corpusDir === defaults.corpusDir) return { corpusDir, indexDir: defaults.indexDir };
  const key = createHash('sha256').update(corpusDir).digest('hex').slice(0, 16);
  return { corpusDir, indexDir: path.join(defaults.indexDir, 'corpora', key) };
}

export interface ReindexProgress {
  phase: 'scan' | 'read' | 'index' | 'save';
  done: number;
  total: number;
}

/** Corpus files read concurrently during a (re)index. */
const READ_AHEAD = 16;

/** How long a writer waits for another process's reindex of the same folder by default. */
export const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;

export interface WriteOptions {
  onProgress?: (progress: ReindexProgress) => void;
  logger?: Logger;
  /** Worker threads that build segments. Default: one per core (`defaultBuildThreads`). */
  buildThreads?: number;
  /** How long to wait for another writer of the same index folder. Default `DEFAULT_LOCK_WAIT_MS`; 0 fails at once. */
  lockWaitMs?: number;
  /** Told once when another writer holds the folder and this one starts waiting. */
  onLockWait?: (owner: LockOwner | undefined) => void;
}

export interface ReindexOptions extends IndexLocation, WriteOptions {
  /**
   * The index being served and the generation it was loaded as. When the manifest still
   * names that generation, the writer starts from it instead of reading it from disk (its
   * buffers are shared with the serving thread: nothing is copied).
   */
  served?: { index: VerbatimIndex; generation: string };
  /** Rebuild everything instead of only what changed. */
  full?: boolean;
  /** Recorded in the manifest and the report (e.g. the Discord user who asked). */
  requestedBy?: string;
  /**
   * `git pull --ff-only` in the corpus folder first (`CORPUS_GIT_PULL`). When it fails the
   * reindex fails with a `CorpusGitError` and nothing is written: the old index keeps serving.
   */
  gitPull?: boolean;
}

export interface ReindexReport {
  full: boolean;
  filesAdded: string[];
  filesChanged: string[];
  filesRemoved: string[];
  filesUnchanged: number;
  passagesAdded: number;
  passagesRemoved: number;
  /** Files newly found unusable (not indexed) since the last build, with the reason. */
  skipped: SkippedFile[];
  files: number;
  passages: number;
  durationMs: number;
  /** With `gitPull`: the commits pulled (equal when already up to date) and the files they changed. */
  git?: PullResult;
}

export interface OpenedIndex {
  index: VerbatimIndex;
  manifest: Manifest;
  /** How the index was obtained: loaded from disk, or rebuilt (and why). */
  origin: { loaded: true } | { loaded: false; reason: string; report: ReindexReport };
}

/**
 * Loads the persisted index if it matches the corpus. Otherwise logs why and rebuilds:
 * incrementally from the persisted index when only files changed, fully when the index is
 * missing, corrupt or from another analyzer version. A rebuild waits for the folder's
 * lock, and looks again once it has it: the writer it waited for may have done the work.
 */
export async function openIndex(options: IndexLocation & WriteOptions): Promise<OpenedIndex> {
  const listing = await listCorpus(options.corpusDir);
  warnIfEmpty(listing, options);
  const current = await loadPersisted(options.indexDir, listing, { allowStale: false });
  if ('index' in current) return { index: current.index, manifest: current.manifest, origin: { loaded: true } };
  let waited = false;
  const onLockWait = (owner: LockOwner | undefined) => {
    waited = true;
    options.onLockWait?.(owner);
  };
  return withIndexLock(options.indexDir, lockOptions({ ...options, onLockWait }), async () => {
    // Files may have changed while another writer held the lock.
    const fresh = waited ? await listCorpus(options.corpusDir) : listing;
    const loaded = await loadPersisted(options.indexDir, fresh, { allowStale: true });
    if ('index' in loaded && !loaded.stale) return { index: loaded.index, manifest: loaded.manifest, origin: { loaded: true } };
    const reason = 'index' in loaded ? loaded.stale! : loaded.error;
    options.logger?.warn({ reason, indexDir: options.indexDir }, 'rebuilding the index');
    const base = 'index' in loaded ? { index: loaded.index, manifest: loaded.manifest } : undefined;
    const { index, report, manifest } = await rebuild(fresh, base, options);
    return { index, manifest, origin: { loaded: false, reason, report } };
  });
}

/**
 * Brings the persisted index up to date with the corpus and saves it, holding the folder's
 * lock. Incremental by default: only files whose bytes changed are read and re-chunked.
 */
export async function reindex(options: ReindexOptions): Promise<{ index: VerbatimIndex; report: ReindexReport; manifest: Manifest }> {
  return withIndexLock(options.indexDir, lockOptions(options), async () => {
    const pulled = options.gitPull ? await pullCorpus(options.corpusDir) : undefined;
    if (pulled) options.logger?.info({ from: pulled.from, to: pulled.to, changed: pulled.changed.length }, 'pulled the corpus');
    const listing = await listCorpus(options.corpusDir);
    let base: { index: VerbatimIndex; manifest: Manifest } | undefined;
    if (!options.full) {
      const loaded = await loadPersisted(options.indexDir, listing, { allowStale: true, served: options.served });
      if ('index' in loaded) base = loaded;
      else options.logger?.warn({ reason: loaded.error }, 'no usable index: full rebuild');
    }
    const rebuilt = await rebuild(listing, base, options);
    return pulled ? { ...rebuilt, report: { ...rebuilt.report, git: pulled } } : rebuilt;
  });
}

/**
 * A corpus folder with nothing to index (a docs folder of `.rst` or `.adoc` files, the wrong
 * folder) is served, and every question is answered "Not found": the log says why, once.
 */
function warnIfEmpty(listing: CorpusListing, options: IndexLocation & WriteOptions): void {
  if (listing.files.length > 0) return;
  const skipped = listing.skipped.slice(0, 3).map((file) => `${file.source}: ${file.reason}`);
  options.logger?.warn({ corpusDir: options.corpusDir, skipped: listing.skipped.length, ...(skipped.length ? { examples: skipped } : {}) }, `the corpus has no ${CORPUS_EXTENSIONS.join(', ')} files: every question will be answered "Not found"`);
}

function lockOptions(options: WriteOptions & IndexLocation) {
  return {
    waitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    onWait: (owner: LockOwner | undefined) => {
      options.onLockWait?.(owner);
      options.logger?.warn({ indexDir: options.indexDir, pid: owner?.pid }, 'waiting for another reindex of this index to finish');
    },
  };
}

/** The persisted index, with why it is stale (files changed) when `allowStale`. Never writes. */
async function loadPersisted(
  indexDir: string,
  listing: CorpusListing,
  { allowStale, served }: { allowStale: boolean; served?: ReindexOptions['served'] },
): Promise<{ index: VerbatimIndex; manifest: Manifest; stale?: string } | Failure> {
  const manifest = await readManifest(indexDir);
  if ('error' in manifest) return manifest;
  const stale = staleReason(manifest, listing);
  if (stale && (!allowStale || path.resolve(manifest.corpusDir) !== listing.root)) return { error: stale };
  if (served && served.generation === manifest.generation) return { index: served.index, manifest, ...(stale ? { stale } : {}) };
  try {
    const read = await readCurrentSnapshot(indexDir, manifest);
    if ('error' in read) return read;
    const index = VerbatimIndex.fromSnapshot(read.snapshot);
    // A newer generation read on retry may have been built from a different corpus state.
    const nowStale = read.manifest === manifest ? stale : staleReason(read.manifest, listing);
    if (nowStale && !allowStale) return { error: nowStale };
    return { index, manifest: read.manifest, ...(nowStale ? { stale: nowStale } : {}) };
  } catch (error) {
    return { error: `index files are corrupt (${(error as Error).message.slice(0, 120)})` };
  }
}

/** What reading the listed files found: passages to write, and what to report. */
interface CorpusChanges {
  upserts: NewFileRecord[];
  filesAdded: string[];
  filesChanged: string[];
  filesUnchanged: number;
  /** Sources indexed after this build (read, or unchanged). */
  present: Set<string>;
  unreadable: UnreadableFile[];
  /** Files skipped that the last build did not report (all of them on a full build). */
  newlySkipped: SkippedFile[];
}

/**
 * Reads the listed files that changed since `index` (every file when `full`) and chunks them.
 * Files that could not be read last time are not read again until their size or mtime changes.
 */
async function readChanges(listing: CorpusListing, index: VerbatimIndex, baseManifest: Manifest | undefined, full: boolean, progress: (p: ReindexProgress) => void): Promise<CorpusChanges> {
  const knownUnreadable = new Map((baseManifest?.unreadable ?? []).map((file) => [file.source, file]));
  const knownIgnored = new Set((baseManifest?.ignored ?? []).map((file) => `${file.source}\n${file.reason}`));
  const changes: CorpusChanges = {
    upserts: [],
    filesAdded: [],
    filesChanged: [],
    filesUnchanged: 0,
    present: new Set<string>(),
    unreadable: [],
    newlySkipped: listing.skipped.filter((file) => full || !knownIgnored.has(`${file.source}\n${file.reason}`)),
  };
  // Files are read a few at a time ahead of the loop (each read is a thread-pool round
  // trip); they are still taken in listing order.
  const ahead = new Map<number, Promise<Awaited<ReturnType<typeof readCorpusFile>>>>();
  /** What is known of a listed file without reading it: unchanged, or unreadable as it was last time. */
  const known = (file: CorpusListing['files'][number]): 'unchanged' | UnreadableFile | undefined => {
    if (full) return undefined;
    const previous = index.fileInfo(file.source);
    if (previous && previous.size === file.size && previous.mtimeMs === file.mtimeMs) return 'unchanged';
    const failedBefore = knownUnreadable.get(file.source);
    return failedBefore && failedBefore.size === file.size && failedBefore.mtimeMs === file.mtimeMs ? failedBefore : undefined;
  };
  let readFrom = 0;
  for (const [i, file] of listing.files.entries()) {
    progress({ phase: 'read', done: i, total: listing.files.length });
    for (; readFrom < listing.files.length && readFrom < i + READ_AHEAD; readFrom++) {
      if (!known(listing.files[readFrom]!)) ahead.set(readFrom, readCorpusFile(listing.files[readFrom]!));
    }
    const state = known(file);
    if (state === 'unchanged') {
      changes.present.add(file.source);
      changes.filesUnchanged++;
    } else if (state) changes.unreadable.push(state);
    else {
      const content = await ahead.get(i)!;
      ahead.delete(i);
      addFile(changes, index, file, content, full);
    }
  }
  progress({ phase: 'read', done: listing.files.length, total: listing.files.length });
  return changes;
}

/** One file read: unreadable, touched but unchanged, or chunked anew. */
function addFile(changes: CorpusChanges, index: VerbatimIndex, file: CorpusListing['files'][number], content: Awaited<ReturnType<typeof readCorpusFile>>, full: boolean): void {
  if ('error' in content) {
    changes.unreadable.push({ source: file.source, size: file.size, mtimeMs: file.mtimeMs, reason: content.error });
    changes.newlySkipped.push({ source: file.source, reason: content.error });
    return;
  }
  const previous = full ? undefined : index.fileInfo(file.source);
  changes.present.add(file.source);
  if (previous && previous.sha256 === content.sha256) {
    // Touched but not changed: keep its passages, remember the new mtime.
    changes.upserts.push({ ...index.file(file.source)!, mtimeMs: file.mtimeMs });
    changes.filesUnchanged++;
    return;
  }
  const { title, chunks } = chunkFile(file.source, content.text);
  changes.upserts.push({ source: file.source, size: content.size, mtimeMs: file.mtimeMs, sha256: content.sha256, title, chunks });
  (previous || index.fileInfo(file.source) ? changes.filesChanged : changes.filesAdded).push(file.source);
}

/**
 * Applies the corpus to `base` (or to an empty index when there is none: a full build) and
 * saves the result. The caller holds the folder's lock.
 */
async function rebuild(
  listing: CorpusListing,
  base: { index: VerbatimIndex; manifest: Manifest } | undefined,
  options: IndexLocation & Pick<ReindexOptions, 'onProgress' | 'requestedBy' | 'logger' | 'full' | 'buildThreads'>,
): Promise<{ index: VerbatimIndex; report: ReindexReport; manifest: Manifest }> {
  const started = performance.now();
  // Before the build, while this thread's heap is small (see `corpusCommit`).
  const corpusGit = await corpusCommit(listing.root);
  const full = options.full === true || base === undefined;
  let index = base?.index ?? new VerbatimIndex();
  const progress = options.onProgress ?? (() => {});
  progress({ phase: 'scan', done: 0, total: listing.files.length });
  const { upserts, filesAdded, filesChanged, filesUnchanged, present, unreadable, newlySkipped } = await readChanges(listing, index, base?.manifest, full, progress);

  const filesRemoved = index.sources().filter((source) => !present.has(source));
  if (full) {
    // A full rebuild starts from an empty index; every file counts as added.
    index = new VerbatimIndex({ analyzer: index.analyzer, ranking: index.ranking });
  }
  progress({ phase: 'index', done: 0, total: upserts.length });
  const { passagesAdded, passagesRemoved } = await index.applyAsync(upserts, filesRemoved, { threads: options.buildThreads });
  progress({ phase: 'save', done: 0, total: 1 });
  const buildMs = performance.now() - started;
  const manifest = await saveSnapshot(options.indexDir, index.snapshot(), {
    ...(corpusGit ? { corpusGit } : {}),
    corpusDir: listing.root,
    buildMs,
    builtBy: options.requestedBy,
    passages: index.passageCount,
    unreadable,
    ignored: listing.skipped,
  });
  progress({ phase: 'save', done: 1, total: 1 });
  const report: ReindexReport = {
    full,
    filesAdded,
    filesChanged,
    filesRemoved: full ? [] : filesRemoved,
    filesUnchanged,
    passagesAdded,
    passagesRemoved,
    skipped: newlySkipped.sort((a, b) => (a.source < b.source ? -1 : 1)),
    files: index.fileCount,
    passages: index.passageCount,
    durationMs: Math.round(performance.now() - started),
  };
  options.logger?.info({ ...report, skipped: newlySkipped.length }, 'index built');
  return { index, report, manifest };
}
