/**
 * The index on disk: `manifest.json` names one generation of `store-<gen>.json` (files and
 * passages) and `minisearch-<gen>.json`. A save writes the new generation's files first and
 * the manifest last, each atomically, so a process killed at any point leaves the previous
 * generation complete and referenced.
 *
 * Only a writer holding the folder's lock (`index-lock.ts`) saves, and only it deletes:
 * generations older than the one it replaced, and temp files of writers that are gone.
 * Readers never delete; one that finds its generation replaced mid-read reads the
 * manifest again (`readCurrentSnapshot`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ANALYZER_VERSION } from './analyzer.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { isProcessRunning } from './index-lock.ts';
import { CHUNKER_VERSION, DEFAULT_MAX_PASSAGE_CHARS } from './chunk.ts';
import type { CorpusListing, SkippedFile } from './corpus.ts';
import type { FileRecord } from './passage.ts';
import type { IndexSnapshot } from './search-index.ts';

/** Bump when the layout of the persisted files changes. */
export const FORMAT_VERSION = 2;

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
  bytes: { store: number; miniSearch: number };
}

interface StoreFile {
  nextId: number;
  files: FileRecord[];
}

export interface LoadedIndex {
  manifest: Manifest;
  snapshot: IndexSnapshot;
}

export function manifestPath(indexDir: string): string {
  return path.join(indexDir, 'manifest.json');
}

/** Reads the manifest, or explains why there is no usable one. */
export async function readManifest(indexDir: string): Promise<Manifest | { problem: string }> {
  let text: string;
  try {
    text = await fs.readFile(manifestPath(indexDir), 'utf8');
  } catch {
    return { problem: 'no index built yet' };
  }
  try {
    const manifest = JSON.parse(text) as Manifest;
    if (manifest.formatVersion !== FORMAT_VERSION) return { problem: `index format ${manifest.formatVersion} is not ${FORMAT_VERSION}` };
    if (manifest.analyzerVersion !== ANALYZER_VERSION) return { problem: 'the analyzer changed since the index was built' };
    if (manifest.chunkerVersion !== CHUNKER_VERSION || manifest.maxPassageChars !== DEFAULT_MAX_PASSAGE_CHARS) {
      return { problem: 'the way files are cut into passages changed since the index was built' };
    }
    if (!Array.isArray(manifest.files) || !Array.isArray(manifest.unreadable) || !Array.isArray(manifest.ignored) || typeof manifest.generation !== 'string') return { problem: 'manifest is corrupt' };
    return manifest;
  } catch {
    return { problem: 'manifest is corrupt' };
  }
}

/** Reads the generation the manifest names. Throws when a file is missing or corrupt. */
export async function readSnapshot(indexDir: string, manifest: Manifest): Promise<IndexSnapshot> {
  const [storeText, miniSearchJson] = await Promise.all([
    fs.readFile(path.join(indexDir, `store-${manifest.generation}.json`), 'utf8'),
    fs.readFile(path.join(indexDir, `minisearch-${manifest.generation}.json`), 'utf8'),
  ]);
  const store = JSON.parse(storeText) as StoreFile;
  return { nextId: store.nextId, files: store.files, miniSearchJson };
}

/**
 * The manifest and the generation it names, read as one: when a writer in another process
 * commits a newer generation (and removes an older one) between the two reads, the read
 * starts over from the new manifest.
 */
export async function readCurrentSnapshot(indexDir: string, manifest: Manifest): Promise<{ manifest: Manifest; snapshot: IndexSnapshot } | { problem: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { manifest, snapshot: await readSnapshot(indexDir, manifest) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
      const again = await readManifest(indexDir);
      if ('problem' in again) return again;
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
 * Saves a snapshot as a new generation, then points the manifest at it, then cleans up.
 * The caller holds the folder's write lock (`withIndexLock`).
 */
export async function saveSnapshot(
  indexDir: string,
  snapshot: IndexSnapshot,
  info: Pick<Manifest, 'corpusDir' | 'buildMs' | 'builtBy' | 'unreadable' | 'ignored'> & { passages: number },
): Promise<Manifest> {
  await fs.mkdir(indexDir, { recursive: true });
  const previous = await readManifest(indexDir);
  const generation = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
  const storeText = JSON.stringify({ nextId: snapshot.nextId, files: snapshot.files } satisfies StoreFile);
  await writeFileAtomic(path.join(indexDir, `store-${generation}.json`), storeText);
  await writeFileAtomic(path.join(indexDir, `minisearch-${generation}.json`), snapshot.miniSearchJson);
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
    counts: {
      files: snapshot.files.length,
      passages: info.passages,
      locations: snapshot.files.reduce((sum, file) => sum + file.chunks.length, 0),
    },
    builtAt: new Date().toISOString(),
    buildMs: Math.round(info.buildMs),
    ...(info.builtBy ? { builtBy: info.builtBy } : {}),
    bytes: { store: Buffer.byteLength(storeText), miniSearch: Buffer.byteLength(snapshot.miniSearchJson) },
  };
  await writeFileAtomic(manifestPath(indexDir), JSON.stringify(manifest, null, 2));
  await removeLeftovers(indexDir, [generation, ...('problem' in previous ? [] : [previous.generation])]);
  return manifest;
}

/**
 * Deletes generations other than `keep` (the new one, and the one it replaced, which a
 * reader in another process may be loading right now) and temp files of writers that are
 * gone (this process, or a pid that no longer runs: only the lock holder gets here).
 */
async function removeLeftovers(indexDir: string, keep: string[]): Promise<void> {
  const entries = await fs.readdir(indexDir);
  const generation = /^(?:store|minisearch)-(.+)\.json$/;
  const temp = /^\..+\.(\d+)\.\d+\.tmp$/;
  await Promise.all(
    entries
      .filter((name) => {
        const old = generation.exec(name);
        if (old) return !keep.includes(old[1]!);
        const left = temp.exec(name);
        return left !== null && (Number(left[1]) === process.pid || !isProcessRunning(Number(left[1])));
      })
      .map((name) => fs.rm(path.join(indexDir, name), { force: true })),
  );
}
