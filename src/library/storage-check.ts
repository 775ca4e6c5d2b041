/**
 * Start-up checks of the two folders Verbatim uses, so a bad setting is one line naming it
 * (`CORPUS_DIR`, `INDEX_DIR`, `--corpus`, `--index`) and what is wrong with it, instead of
 * an `EEXIST` stack trace from deep inside the indexer. The entry points call them, since
 * only they know which name the user gave the folder by.
 *
 * Errors are told apart by their code, never by permission bits: as root a `chmod 000`
 * folder is still writable, and a read-only mount or `/dev/null` are what actually fail.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { VerbatimError } from '../core/errors.ts';

/** A folder setting or flag that cannot be used: printed as one line, exit 1. */
export class StorageError extends VerbatimError {
  override name = 'StorageError';
}

/** `CORPUS_DIR`, `INDEX_DIR`, `--corpus` or `--index`: how the user named the folder. */
export type FolderName = string;

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'error';
}

/** Why an operation on a path failed, in words, from the error code. */
function because(error: unknown): string {
  switch (code(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of its path is a file, not a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return code(error);
  }
}

/** "is a file" / "is not a folder" for something that exists but is not a directory. */
function notAFolder(stat: { isFile(): boolean }): string {
  return stat.isFile() ? 'is a file, not a folder' : 'is not a folder';
}

/**
 * The corpus folder must exist, be a folder (links followed) and be listable.
 * Throws `StorageError` naming `name` otherwise.
 */
export async function checkCorpusDir(dir: string, name: FolderName): Promise<void> {
  const where = `${name} ${dir}`;
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (error) {
    const c = code(error);
    if (c === 'ENOENT') throw new StorageError(`${where}: corpus folder not found`);
    if (c === 'ENOTDIR') throw new StorageError(`${where}: corpus folder not found (a part of its path is a file, not a folder)`);
    throw new StorageError(`${where}: corpus folder cannot be read (${because(error)})`);
  }
  if (!stat.isDirectory()) throw new StorageError(`${where} ${notAFolder(stat)}`);
  try {
    const dirHandle = await fs.opendir(dir);
    await dirHandle.read();
    await dirHandle.close();
  } catch (error) {
    throw new StorageError(`${where}: corpus folder cannot be read (${because(error)})`);
  }
}

/**
 * The index folder must be a folder, created when missing, and writable: a probe file is
 * created and removed in it (a read-only mount, `/dev/null`, a file, or a path under a
 * file all fail here). Throws `StorageError` naming `name` otherwise.
 */
export async function checkIndexDir(dir: string, name: FolderName): Promise<void> {
  const where = `${name} ${dir}`;
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new StorageError(`${where} ${notAFolder(stat)}`);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') {
      throw new StorageError(`${where}: index folder cannot be used (${because(error)})`);
    }
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (mkdirError) {
      throw new StorageError(`${where}: index folder cannot be created (${because(mkdirError)})`);
    }
  }
  const probe = path.join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await fs.open(probe, 'wx');
    await handle.close();
  } catch (error) {
    const c = code(error);
    const reason = c === 'ENOTDIR' || c === 'EISDIR' ? 'not a folder' : c === 'ENOENT' ? 'files cannot be created in it' : because(error);
    throw new StorageError(`${where}: index folder is not writable (${reason})`);
  }
  await fs.rm(probe, { force: true }).catch((error: unknown) => {
    throw new StorageError(`${where}: index folder is not writable (cannot remove a file: ${because(error)})`);
  });
}

/**
 * Checks both folders, naming each by the flag when one was given, else by its setting.
 * With `--corpus` but no `--index`, the index lives under `INDEX_DIR`, so that is named.
 */
export async function checkLocation(
  location: { corpusDir: string; indexDir: string },
  flags: { corpus?: string | undefined; index?: string | undefined } = {},
): Promise<void> {
  await checkCorpusDir(location.corpusDir, flags.corpus ? '--corpus' : 'CORPUS_DIR');
  await checkIndexDir(location.indexDir, flags.index ? '--index' : 'INDEX_DIR');
}
