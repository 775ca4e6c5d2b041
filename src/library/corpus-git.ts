/**
 * Docs that live in Git: the commit a corpus folder is at (recorded in the manifest, so
 * references can link to the exact lines of that commit), and `git pull --ff-only` before a
 * reindex (`CORPUS_GIT_PULL`). Git runs as a child process with a fixed argument list (no
 * shell), a timeout, and prompts turned off: a pull that wants a password fails at once
 * instead of hanging the reindex.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { childEnvironment } from '../config.ts';
import { VerbatimError } from '../core/errors.ts';

/** Where a corpus folder stands in Git. */
export interface CorpusCommit {
  commit: string;
  /** Uncommitted changes under the corpus folder: its lines may not match the commit's. */
  dirty: boolean;
}

export interface PullResult {
  from: string;
  to: string;
  /** Files changed under the corpus folder, as Git names them relative to it. */
  changed: string[];
}

/** A pull that could not be done; `message` is one line a moderator can act on. */
export class CorpusGitError extends VerbatimError {
  override name = 'CorpusGitError';
}

const GIT_TIMEOUT_MS = 60_000;

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      // Never prompt for credentials (a bot has no one to type them); Verbatim's own settings
      // (the bot token) are not passed on; messages in English, to report them as they are.
      { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, env: childEnvironment({ GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }) },
      (error, stdout, stderr) => {
        if (error) {
          const timedOut = (error as { killed?: boolean }).killed === true;
          const detail = timedOut ? `timed out after ${GIT_TIMEOUT_MS / 1000} s` : firstLine(stderr) || firstLine(error.message);
          reject(new CorpusGitError(detail));
        } else resolve(stdout);
      },
    );
  });
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find(Boolean)?.replace(/^(?:fatal|error): /u, '') ?? '';
}

/**
 * Whether a `.git` entry exists in the folder or above it: looked up before starting Git at
 * all, because starting a child process from a process with a large index costs the
 * serving thread a pause (measured: a 120 ms stall at a million passages).
 */
async function insideGitTree(dir: string): Promise<boolean> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (await stat(path.join(at, '.git')).then(() => true, () => false)) return true;
    if (path.dirname(at) === at) return false;
  }
}

/** The commit the folder is at, or undefined when it is not inside a Git work tree (or Git is missing). */
export async function corpusCommit(corpusDir: string): Promise<CorpusCommit | undefined> {
  if (!(await insideGitTree(corpusDir))) return undefined;
  try {
    const commit = (await git(corpusDir, ['rev-parse', '--verify', 'HEAD'])).trim();
    if (!/^[0-9a-f]{40,64}$/u.test(commit)) return undefined;
    const status = await git(corpusDir, ['status', '--porcelain', '--untracked-files=normal', '--', '.']);
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return undefined;
  }
}

/**
 * `git pull --ff-only` in the corpus folder, and what it changed there. Throws
 * `CorpusGitError` (not a repository, diverged, conflicts, no network…); the folder is then
 * as it was, and the caller keeps serving the index it has.
 */
export async function pullCorpus(corpusDir: string): Promise<PullResult> {
  const before = await corpusCommit(corpusDir);
  if (!before) throw new CorpusGitError(`the corpus folder is not inside a Git work tree with a commit`);
  try {
    await git(corpusDir, ['pull', '--ff-only', '--quiet']);
  } catch (error) {
    throw new CorpusGitError(`git pull --ff-only failed: ${(error as Error).message}`);
  }
  const after = (await corpusCommit(corpusDir))!;
  const changed =
    after.commit === before.commit
      ? []
      : (await git(corpusDir, ['diff', '--name-only', '--relative', `${before.commit}..${after.commit}`, '--', '.'])).split('\n').filter(Boolean);
  return { from: before.commit, to: after.commit, changed };
}

/**
 * `SOURCE_BASE_URL` for an index: `{commit}` replaced by the commit it was built from. A
 * template with `{commit}` and no clean commit to put there gives no links: a link to other
 * lines than the ones quoted would be worse than none.
 */
export function linkBase(template: string | undefined, git: CorpusCommit | undefined): string | undefined {
  if (!template || !template.includes('{commit}')) return template;
  if (!git || git.dirty) return undefined;
  return template.replaceAll('{commit}', git.commit);
}
