/**
 * Finds and reads the corpus: `.txt` and Markdown (`.md`, `.mdx`, `.markdown`) files in UTF-8 (or UTF-16 with its byte order mark), recursively, never following a link
 * out of the corpus folder, never crashing on a bad file (it is reported and skipped).
 */
import type { Result } from '../core/result.ts';
import { createHash } from 'node:crypto';
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { VerbatimError } from '../core/errors.ts';

export const CORPUS_EXTENSIONS = ['.txt', '.md', '.mdx', '.markdown'] as const;
/** Larger files are skipped: a corpus of prose has no business holding one. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface CorpusFile {
  /** Path relative to the corpus folder, with `/` separators. */
  source: string;
  absPath: string;
  size: number;
  mtimeMs: number;
}

export interface SkippedFile {
  source: string;
  reason: string;
}

export interface CorpusListing {
  root: string;
  files: CorpusFile[];
  skipped: SkippedFile[];
}

/** Entries of one folder examined at once. */
const LIST_PARALLELISM = 64;

export class CorpusError extends VerbatimError {
  override name = 'CorpusError';
}

/** Lists the corpus folder. Throws `CorpusError` when the folder is missing or unreadable. */
export async function listCorpus(corpusDir: string): Promise<CorpusListing> {
  const listing: CorpusListing = { root: await corpusRoot(corpusDir), files: [], skipped: [] };
  await walk(listing, listing.root);
  listing.files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  listing.skipped.sort((a, b) => (a.source < b.source ? -1 : 1));
  return listing;
}

/** The corpus folder's real path; a missing, unreadable or non-folder one is a `CorpusError`. */
async function corpusRoot(corpusDir: string): Promise<string> {
  try {
    const root = await fs.realpath(corpusDir);
    if (!(await fs.stat(root)).isDirectory()) throw new Error('not a folder');
    return root;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CorpusError(`Corpus folder not found: ${corpusDir}`);
    if (code === undefined) throw new CorpusError(`Corpus folder is a file, not a folder: ${corpusDir}`);
    throw new CorpusError(`Corpus folder cannot be read (${code}): ${corpusDir}`);
  }
}

async function walk(listing: CorpusListing, dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  // Stats in parallel (each is a thread-pool round trip): 10,000 files listed one by one
  // took 1.3 s. Order does not matter here: both lists are sorted at the end.
  for (let i = 0; i < entries.length; i += LIST_PARALLELISM) await Promise.all(entries.slice(i, i + LIST_PARALLELISM).map((entry) => visit(listing, dir, entry)));
}

/** What a folder entry is once links are followed, or why it is skipped. */
async function resolveEntry(root: string, absPath: string, entry: Dirent): Promise<{ target: string; isDir: boolean; isFile: boolean } | { skip: string } | undefined> {
  if (!entry.isSymbolicLink()) return { target: absPath, isDir: entry.isDirectory(), isFile: entry.isFile() };
  let target: string;
  try {
    target = await fs.realpath(absPath);
  } catch {
    return { skip: 'broken link' };
  }
  if (target !== root && !target.startsWith(root + path.sep)) return { skip: 'link leads outside the corpus folder' };
  const stat = await fs.stat(target);
  // A linked folder inside the corpus is already walked where it really is.
  if (stat.isDirectory()) return undefined;
  return { target, isDir: false, isFile: stat.isFile() };
}

async function visit(listing: CorpusListing, dir: string, entry: Dirent): Promise<void> {
  const absPath = path.join(dir, entry.name);
  const source = path.relative(listing.root, absPath).split(path.sep).join('/');
  // .git, editor droppings, and the packages of a docs site's checkout (their READMEs): never the corpus's text.
  if (entry.name.startsWith('.') || entry.name === 'node_modules') return;
  const resolved = await resolveEntry(listing.root, absPath, entry);
  if (!resolved) return;
  const skip = (reason: string) => listing.skipped.push({ source, reason });
  if ('skip' in resolved) return void skip(resolved.skip);
  if (resolved.isDir) return walk(listing, absPath);
  // A FIFO, socket or device: reading it could block forever.
  if (!resolved.isFile) return void skip('not a regular file');
  if (!(CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(entry.name).toLowerCase())) return void skip('not a .txt, .md or .mdx file');
  const stat = await fs.stat(resolved.target);
  if (stat.size > MAX_FILE_BYTES) return void skip(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  listing.files.push({ source, absPath: resolved.target, size: stat.size, mtimeMs: stat.mtimeMs });
}

export interface FileContent {
  text: string;
  sha256: string;
  size: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/**
 * A corpus file's text: UTF-8, or UTF-16 when the file opens with its byte order mark (what
 * Windows Notepad saves as "Unicode"); the mark itself is not text. Undefined when the bytes
 * are not valid in that encoding (Latin-1, a binary renamed `.txt`).
 */
export function decodeCorpusText(bytes: Uint8Array): string | undefined {
  const decoder = bytes[0] === 0xff && bytes[1] === 0xfe ? utf16le : bytes[0] === 0xfe && bytes[1] === 0xff ? utf16be : utf8;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Reads one file; returns a reason string instead of throwing when it cannot be used. */
export async function readCorpusFile(file: CorpusFile): Promise<Result<FileContent>> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file.absPath);
  } catch (error) {
    return { error: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = decodeCorpusText(bytes);
  return text === undefined ? { error: 'not valid UTF-8' } : { text, sha256, size: bytes.length };
}
