/**
 * Corpus ⇄ index: open the persisted index when it matches the corpus, rebuild it when it
 * does not (with the reason logged), and reindex incrementally by file hash.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { chunkDocument } from './chunk.ts';
import { listCorpus, readCorpusFile, type CorpusListing, type SkippedFile } from './corpus.ts';
import { readManifest, readSnapshot, saveSnapshot, staleReason, type Manifest } from './index-store.ts';
import type { Logger } from './logger.ts';
import { VerbatimIndex, type NewFileRecord } from './search-index.ts';

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

export interface ReindexOptions extends IndexLocation {
  /** Rebuild everything instead of only what changed. */
  full?: boolean;
  /** Recorded in the manifest and the report (e.g. the Discord user who asked). */
  requestedBy?: string;
  onProgress?: (progress: ReindexProgress) => void;
  logger?: Logger;
}

export interface ReindexReport {
  full: boolean;
  filesAdded: string[];
  filesChanged: string[];
  filesRemoved: string[];
  filesUnchanged: number;
  passagesAdded: number;
  passagesRemoved: number;
  /** Files in the corpus folder that were not indexed, with the reason. */
  skipped: SkippedFile[];
  files: number;
  passages: number;
  durationMs: number;
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
 * missing, corrupt or from another analyzer version.
 */
export async function openIndex(options: IndexLocation & { logger?: Logger; onProgress?: ReindexOptions['onProgress'] }): Promise<OpenedIndex> {
  const listing = await listCorpus(options.corpusDir);
  const loaded = await loadPersisted(options.indexDir, listing, { allowStale: true });
  if ('index' in loaded && !loaded.stale) return { index: loaded.index, manifest: loaded.manifest, origin: { loaded: true } };
  const reason = 'index' in loaded ? loaded.stale! : loaded.problem;
  options.logger?.warn({ reason, indexDir: options.indexDir }, 'rebuilding the index');
  const base = 'index' in loaded ? loaded.index : new VerbatimIndex();
  const { index, report, manifest } = await rebuild(listing, base, !('index' in loaded), options);
  return { index, manifest, origin: { loaded: false, reason, report } };
}

/**
 * Brings the persisted index up to date with the corpus and saves it. Incremental by
 * default: only files whose bytes changed are read and re-chunked.
 */
export async function reindex(options: ReindexOptions): Promise<{ index: VerbatimIndex; report: ReindexReport; manifest: Manifest }> {
  const listing = await listCorpus(options.corpusDir);
  let base = new VerbatimIndex();
  let full = options.full ?? false;
  if (!full) {
    const loaded = await loadPersisted(options.indexDir, listing, { allowStale: true });
    if ('index' in loaded) base = loaded.index;
    else {
      options.logger?.warn({ reason: loaded.problem }, 'no usable index: full rebuild');
      full = true;
    }
  }
  return rebuild(listing, base, full, options);
}

/** The persisted index, with why it is stale (files changed) when `allowStale`. */
async function loadPersisted(
  indexDir: string,
  listing: CorpusListing,
  { allowStale = false } = {},
): Promise<{ index: VerbatimIndex; manifest: Manifest; stale?: string } | { problem: string }> {
  const manifest = await readManifest(indexDir);
  if ('problem' in manifest) return manifest;
  const stale = staleReason(manifest, listing);
  if (stale && (!allowStale || path.resolve(manifest.corpusDir) !== listing.root)) return { problem: stale };
  try {
    const index = VerbatimIndex.fromSnapshot(await readSnapshot(indexDir, manifest));
    return { index, manifest, ...(stale ? { stale } : {}) };
  } catch (error) {
    return { problem: `index files are corrupt (${(error as Error).message.slice(0, 120)})` };
  }
}

async function rebuild(
  listing: CorpusListing,
  index: VerbatimIndex,
  full: boolean,
  options: IndexLocation & Pick<ReindexOptions, 'onProgress' | 'requestedBy' | 'logger'>,
): Promise<{ index: VerbatimIndex; report: ReindexReport; manifest: Manifest }> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const skipped: SkippedFile[] = [...listing.skipped];
  const upserts: NewFileRecord[] = [];
  const filesAdded: string[] = [];
  const filesChanged: string[] = [];
  let filesUnchanged = 0;
  const present = new Set<string>();

  progress({ phase: 'scan', done: 0, total: listing.files.length });
  for (const [i, file] of listing.files.entries()) {
    progress({ phase: 'read', done: i, total: listing.files.length });
    const previous = full ? undefined : index.file(file.source);
    if (previous && previous.size === file.size && previous.mtimeMs === file.mtimeMs) {
      present.add(file.source);
      filesUnchanged++;
      continue;
    }
    const content = await readCorpusFile(file);
    if ('error' in content) {
      skipped.push({ source: file.source, reason: content.error });
      continue;
    }
    present.add(file.source);
    if (previous && previous.sha256 === content.sha256) {
      // Touched but not changed: keep its passages, remember the new mtime.
      upserts.push({ ...previous, mtimeMs: file.mtimeMs });
      filesUnchanged++;
      continue;
    }
    const { title, chunks } = chunkDocument(content.text, { markdown: file.source.toLowerCase().endsWith('.md') });
    upserts.push({ source: file.source, size: content.size, mtimeMs: file.mtimeMs, sha256: content.sha256, title, chunks });
    (previous || index.file(file.source) ? filesChanged : filesAdded).push(file.source);
  }
  progress({ phase: 'read', done: listing.files.length, total: listing.files.length });

  const filesRemoved = index.sources().filter((source) => !present.has(source));
  if (full) {
    // A full rebuild starts from an empty index; every file counts as added.
    index = new VerbatimIndex({ analyzer: index.analyzer, ranking: index.ranking });
  }
  progress({ phase: 'index', done: 0, total: upserts.length });
  const { passagesAdded, passagesRemoved } = index.apply(upserts, filesRemoved);
  progress({ phase: 'save', done: 0, total: 1 });
  const buildMs = performance.now() - started;
  const manifest = await saveSnapshot(options.indexDir, index.snapshot(), {
    corpusDir: listing.root,
    buildMs,
    builtBy: options.requestedBy,
    passages: index.passageCount,
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
    skipped,
    files: index.fileCount,
    passages: index.passageCount,
    durationMs: Math.round(performance.now() - started),
  };
  options.logger?.info({ ...report, skipped: skipped.length }, 'index built');
  return { index, report, manifest };
}
