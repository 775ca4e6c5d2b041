/**
 * The index on disk: `manifest.json` names one generation: `store-<gen>.json` (files, the
 * segments it reads and what their deleted passages still count for), `chunks-<gen>.bin`
 * (every passage's places, and the segments' deletion bitmaps) and the immutable segment
 * files `seg-<name>.vseg` (`engine/segment-format.ts`), shared between generations. A save
 * writes what is new first and the manifest last, each atomically (temp + fsync +
 * rename), so a process killed at any point leaves the previous generation complete and
 * referenced. Loading reads each file once, straight into shared typed arrays.
 *
 * Only a writer holding the folder's lock (`index-lock.ts`) saves, and only it deletes:
 * generations older than the one it replaced, segments neither of them reads, and temp
 * files of writers that are gone. Readers never delete; one that finds its generation
 * replaced mid-read reads the manifest again (`readCurrentSnapshot`).
 */
import type { Failure } from '../core/result.ts';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { ANALYZER_VERSION } from '../core/analyzer.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { isProcessRunning } from './index-lock.ts';
import { CHUNKER_VERSION } from '../core/chunk.ts';
import { DEFAULT_MAX_PASSAGE_CHARS } from '../core/options.ts';
import type { CorpusCommit } from './corpus-git.ts';
import type { CorpusListing, SkippedFile } from './corpus.ts';
import type { DeletedStats, GenerationFile, GenerationState } from '../engine/generation.ts';
import { readFileShared, readSegmentFile, segmentBytes, segmentFileName } from '../engine/segment-format.ts';
import type { IndexSnapshot } from '../engine/verbatim-index.ts';

/** Bump when the layout of the persisted files changes. */
export const FORMAT_VERSION = 4;

export interface ManifestFile {
  source: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** A corpus file that could not be read as text, remembered so it is not retried until it changes. */
export interface UnreadableFile {
  source: string;
  size: number;
  mtimeMs: number;
  reason: string;
}

export interface Manifest {
  formatVersion: number;
  analyzerVersion: number;
  chunkerVersion: number;
  maxPassageChars: number;
  generation: string;
  corpusDir: string;
  files: ManifestFile[];
  /** Files read but not indexed (invalid UTF-8, unreadable), with their size and mtime. */
  unreadable: UnreadableFile[];
  /** Files the listing passed over (other types, too large, links out of the folder). */
  ignored: SkippedFile[];
  counts: { files: number; passages: number; locations: number };
  builtAt: string;
  buildMs: number;
  /** Who asked for the last (re)build, when known (e.g. a Discord user). */
  builtBy?: string;
  /** Segment files this generation reads. */
  segments: string[];
  bytes: { store: number; chunks: number; segments: number };
  /** The commit the corpus folder was at, when it is in a Git work tree (references may link to it). */
  corpusGit?: CorpusCommit;
}

/** `store-<gen>.json`. */
interface StoreFile {
  nextId: number;
  files: GenerationFile[];
  chunkCount: number;
  chunksCrc32: number;
  segments: Array<{
    name: string;
    /** Byte offset of the deletion bitmap in the chunks file, when the segment has deletions. */
    deletedAt?: number;
    deleted: Omit<DeletedStats, 'df'> & { df: Array<[string, [number, number]]> };
  }>;
}

export function manifestPath(indexDir: string): string {
  return path.join(indexDir, 'manifest.json');
}

/** Reads the manifest, or explains why there is no usable one. */
export async function readManifest(indexDir: string): Promise<Manifest | Failure> {
  let text: string;
  try {
    text = await fs.readFile(manifestPath(indexDir), 'utf8');
  } catch {
    return { error: 'no index built yet' };
  }
  try {
    const manifest = JSON.parse(text) as Manifest;
    if (manifest.formatVersion !== FORMAT_VERSION) return { error: `index format ${manifest.formatVersion} is not ${FORMAT_VERSION}` };
    if (manifest.analyzerVersion !== ANALYZER_VERSION) return { error: 'the analyzer changed since the index was built' };
    if (manifest.chunkerVersion !== CHUNKER_VERSION || manifest.maxPassageChars !== DEFAULT_MAX_PASSAGE_CHARS) {
      return { error: 'the way files are cut into passages changed since the index was built' };
    }
    if (!Array.isArray(manifest.files) || !Array.isArray(manifest.unreadable) || !Array.isArray(manifest.ignored) || !Array.isArray(manifest.segments) || typeof manifest.generation !== 'string') return { error: 'manifest is corrupt' };
    return manifest;
  } catch {
    return { error: 'manifest is corrupt' };
  }
}

/** Reads the generation the manifest names. Throws when a file is missing or corrupt. */
export async function readSnapshot(indexDir: string, manifest: Manifest): Promise<IndexSnapshot> {
  const [storeText, chunkBuffer] = await Promise.all([
    fs.readFile(path.join(indexDir, `store-${manifest.generation}.json`), 'utf8'),
    readFileShared(path.join(indexDir, `chunks-${manifest.generation}.bin`)),
  ]);
  const store = JSON.parse(storeText) as StoreFile;
  const segments = await Promise.all(store.segments.map(({ name }) => readSegmentFile(path.join(indexDir, segmentFileName(name)), name)));
  if (crc32(new Uint8Array(chunkBuffer)) !== store.chunksCrc32) throw new Error(`chunks-${manifest.generation}.bin fails its checksum`);
  if (chunkBuffer.byteLength < 12 * store.chunkCount) throw new Error(`chunks-${manifest.generation}.bin is truncated`);
  return {
    nextId: store.nextId,
    files: store.files,
    chunks: new Uint32Array(chunkBuffer, 0, 3 * store.chunkCount),
    segments,
    deleted: store.segments.map(({ deletedAt }, s) => (deletedAt === undefined ? undefined : new Uint8Array(chunkBuffer, deletedAt, segments[s]!.docCount))),
    deletedStats: store.segments.map(({ deleted }) => ({ ...deleted, df: new Map(deleted.df) })),
  };
}

/**
 * The manifest and the generation it names, read as one: when a writer in another process
 * commits a newer generation (and removes an older one) between the two reads, the read
 * starts over from the new manifest.
 */
export async function readCurrentSnapshot(indexDir: string, manifest: Manifest): Promise<{ manifest: Manifest; snapshot: IndexSnapshot } | Failure> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { manifest, snapshot: await readSnapshot(indexDir, manifest) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
      const again = await readManifest(indexDir);
      if ('error' in again) return again;
      if (again.generation === manifest.generation) throw error; // missing for real: corrupt
      manifest = again;
    }
  }
}

/**
 * Which files differ between the manifest and the corpus listing, by size and mtime.
 * (A file whose mtime changed but whose bytes did not is caught by hash at reindex.)
 */
export function staleReason(manifest: Manifest, listing: CorpusListing): string | undefined {
  if (path.resolve(manifest.corpusDir) !== listing.root) return `the index was built from ${manifest.corpusDir}`;
  // Skipped files count as known: an unreadable file must not make the index stale forever.
  const known = new Map<string, { size: number; mtimeMs: number }>([...manifest.files, ...manifest.unreadable].map((file) => [file.source, file]));
  const changed: string[] = [];
  for (const file of listing.files) {
    const previous = known.get(file.source);
    known.delete(file.source);
    if (!previous) changed.push(`${file.source} added`);
    else if (previous.size !== file.size || previous.mtimeMs !== file.mtimeMs) changed.push(`${file.source} changed`);
  }
  for (const source of known.keys()) changed.push(`${source} removed`);
  if (changed.length === 0) return undefined;
  const more = changed.length > 3 ? ` and ${changed.length - 3} more` : '';
  return `corpus changed: ${changed.slice(0, 3).join(', ')}${more}`;
}

/**
 * Saves a generation: its new segment files (segments already on disk are immutable and
 * shared), its chunk table and store, then points the manifest at it, then cleans up.
 * The caller holds the folder's write lock (`withIndexLock`).
 */
export async function saveSnapshot(
  indexDir: string,
  snapshot: IndexSnapshot,
  info: Pick<Manifest, 'corpusDir' | 'buildMs' | 'builtBy' | 'unreadable' | 'ignored' | 'corpusGit'> & { passages: number },
): Promise<Manifest> {
  await fs.mkdir(indexDir, { recursive: true });
  const previous = await readManifest(indexDir);
  const generation = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
  let segmentBytesTotal = 0;
  for (const segment of snapshot.segments) {
    const file = path.join(indexDir, segmentFileName(segment.name));
    segmentBytesTotal += segment.buffer.byteLength;
    if (await exists(file)) continue;
    await writeFileAtomic(file, segmentBytes(segment));
  }
  const chunks = chunkFileBytes(snapshot);
  await writeFileAtomic(path.join(indexDir, `chunks-${generation}.bin`), chunks.bytes);
  const store: StoreFile = {
    nextId: snapshot.nextId,
    files: snapshot.files,
    chunkCount: snapshot.chunks.length / 3,
    chunksCrc32: crc32(chunks.bytes),
    segments: snapshot.segments.map((segment, s) => {
      const { df, ...counts } = snapshot.deletedStats[s]!;
      return { name: segment.name, ...(chunks.deletedAt[s] === undefined ? {} : { deletedAt: chunks.deletedAt[s] }), deleted: { ...counts, df: [...df].map(([term, [text, title]]) => [term, [text, title]]) } };
    }),
  };
  const storeText = JSON.stringify(store);
  await writeFileAtomic(path.join(indexDir, `store-${generation}.json`), storeText);
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    chunkerVersion: CHUNKER_VERSION,
    maxPassageChars: DEFAULT_MAX_PASSAGE_CHARS,
    generation,
    corpusDir: info.corpusDir,
    files: snapshot.files.map(({ source, size, mtimeMs, sha256 }) => ({ source, size, mtimeMs, sha256 })),
    unreadable: info.unreadable,
    ignored: info.ignored,
    counts: { files: snapshot.files.length, passages: info.passages, locations: snapshot.chunks.length / 3 },
    builtAt: new Date().toISOString(),
    buildMs: Math.round(info.buildMs),
    ...(info.builtBy ? { builtBy: info.builtBy } : {}),
    segments: snapshot.segments.map((segment) => segment.name),
    bytes: { store: Buffer.byteLength(storeText), chunks: chunks.bytes.length, segments: segmentBytesTotal },
    ...(info.corpusGit ? { corpusGit: info.corpusGit } : {}),
  };
  await writeFileAtomic(manifestPath(indexDir), JSON.stringify(manifest, null, 2));
  await removeLeftovers(indexDir, [manifest, ...('error' in previous ? [] : [previous])]);
  return manifest;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The chunk table, then each segment's deletion bitmap (8-byte aligned), as one buffer. */
function chunkFileBytes(snapshot: GenerationState): { bytes: Uint8Array; deletedAt: Array<number | undefined> } {
  const deletedAt: Array<number | undefined> = [];
  let size = snapshot.chunks.byteLength;
  for (const bitmap of snapshot.deleted) {
    size = Math.ceil(size / 8) * 8;
    deletedAt.push(bitmap ? size : undefined);
    size += bitmap?.length ?? 0;
  }
  const bytes = new Uint8Array(size);
  bytes.set(new Uint8Array(snapshot.chunks.buffer, snapshot.chunks.byteOffset, snapshot.chunks.byteLength));
  snapshot.deleted.forEach((bitmap, s) => {
    if (bitmap) bytes.set(bitmap, deletedAt[s]!);
  });
  return { bytes, deletedAt };
}

/**
 * Deletes the files of generations other than `keep` (the new one, and the one it
 * replaced, which a reader in another process may be loading right now), segments none
 * of them reads, and temp files of writers that are gone (this process, or a pid that no
 * longer runs: only the lock holder gets here).
 */
async function removeLeftovers(indexDir: string, keep: Manifest[]): Promise<void> {
  const generations = new Set(keep.map((manifest) => manifest.generation));
  const segments = new Set(keep.flatMap((manifest) => manifest.segments ?? []).map(segmentFileName));
  const entries = await fs.readdir(indexDir);
  const generation = /^(?:store|chunks|minisearch)-([^.]+)\.(?:json|bin)$/;
  const temp = /^\..+\.(\d+)\.\d+\.tmp$/;
  await Promise.all(
    entries
      .filter((name) => {
        const old = generation.exec(name);
        if (old) return !generations.has(old[1]!);
        if (name.startsWith('seg-') && name.endsWith('.vseg')) return !segments.has(name);
        const left = temp.exec(name);
        return left !== null && (Number(left[1]) === process.pid || !isProcessRunning(Number(left[1])));
      })
      .map((name) => fs.rm(path.join(indexDir, name), { force: true })),
  );
}
