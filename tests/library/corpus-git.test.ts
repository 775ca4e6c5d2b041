/**
 * Docs that live in Git, with local repositories made in temp folders (no network): the
 * manifest records the commit, `{commit}` in SOURCE_BASE_URL pins links to it, a reindex with
 * `gitPull` reports the range and the files it changed, and a pull that cannot fast-forward
 * fails with one clear line while the old index stays as it was.
 */
import { appendFileSync, cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { corpusCommit, CorpusGitError, linkBase, pullCorpus } from '../../src/library/corpus-git.ts';
import { readManifest } from '../../src/library/index-store.ts';
import { openIndex, reindex } from '../../src/library/indexer.ts';
import { BUNDLED_CORPUS, git, gitCorpus, pushUpstream, tempDir } from '../helpers.ts';

function repoCorpus() {
  const root = tempDir();
  const corpusDir = path.join(root, 'docs');
  cpSync(BUNDLED_CORPUS, corpusDir, { recursive: true });
  const repo = gitCorpus(corpusDir);
  return { corpusDir, indexDir: path.join(root, 'index'), ...repo };
}


describe('the commit of a corpus folder', () => {
  it('is read from Git, dirty when files under it changed, absent outside a work tree', async () => {
    const { corpusDir, commit } = repoCorpus();
    expect(await corpusCommit(corpusDir)).toEqual({ commit: commit(), dirty: false });
    appendFileSync(path.join(corpusDir, '000_0c2a6b0584480c89.txt'), '\nMore.\n');
    expect(await corpusCommit(corpusDir)).toEqual({ commit: commit(), dirty: true });
    expect(await corpusCommit(tempDir())).toBeUndefined();
  });

  it('fills {commit} in SOURCE_BASE_URL, and gives no links when it cannot', () => {
    const git = { commit: 'a'.repeat(40), dirty: false };
    expect(linkBase('https://github.com/o/docs/blob/{commit}/guide', git)).toBe(`https://github.com/o/docs/blob/${'a'.repeat(40)}/guide`);
    expect(linkBase('https://github.com/o/docs/blob/{commit}', { ...git, dirty: true })).toBeUndefined();
    expect(linkBase('https://github.com/o/docs/blob/{commit}', undefined)).toBeUndefined();
    expect(linkBase('https://example.com/docs', undefined)).toBe('https://example.com/docs');
  });

  it('is recorded in the manifest of the index built from it', async () => {
    const { corpusDir, indexDir, commit } = repoCorpus();
    const { manifest } = await openIndex({ corpusDir, indexDir });
    expect(manifest.corpusGit).toEqual({ commit: commit(), dirty: false });
    expect((await readManifest(indexDir)) as object).toMatchObject({ corpusGit: { commit: commit() } });
  });
});

describe('reindex with git pull', () => {
  it('pulls, reindexes what changed, and reports the range with the files', async () => {
    const { corpusDir, indexDir, upstream, commit } = repoCorpus();
    await openIndex({ corpusDir, indexDir });
    const before = commit();
    const after = pushUpstream(upstream, 'owls.md', '# Owls\n\nBarn owls hunt at night over meadows.\n');
    const { index, report, manifest } = await reindex({ corpusDir, indexDir, gitPull: true });
    expect(report.git).toEqual({ from: before, to: after, changed: ['owls.md'] });
    expect(report.filesAdded).toEqual(['owls.md']);
    expect(manifest.corpusGit).toEqual({ commit: after, dirty: false });
    expect(ask(index, 'barn owls hunting at night').results[0]?.source).toBe('owls.md');

    const again = await reindex({ corpusDir, indexDir, gitPull: true });
    expect(again.report.git).toEqual({ from: after, to: after, changed: [] });
  });

  it('a pull that cannot fast-forward fails in one line and leaves the index as it was', async () => {
    const { corpusDir, indexDir, upstream } = repoCorpus();
    await openIndex({ corpusDir, indexDir });
    const served = await readManifest(indexDir);
    pushUpstream(upstream, 'owls.md', '# Owls\n\nUpstream owls.\n');
    writeFileSync(path.join(corpusDir, 'owls.md'), '# Owls\n\nLocal owls.\n');
    git(corpusDir, 'add', '-A');
    git(corpusDir, 'commit', '--quiet', '-m', 'local edit');
    const failed = reindex({ corpusDir, indexDir, gitPull: true });
    await expect(failed).rejects.toBeInstanceOf(CorpusGitError);
    await expect(failed).rejects.toThrow(/^git pull --ff-only failed: [^\n]+$/u);
    expect(await readManifest(indexDir)).toEqual(served);
  });

  it('a folder outside Git is a clear error, not a crash', async () => {
    const dir = tempDir();
    await expect(pullCorpus(dir)).rejects.toThrow('the corpus folder is not inside a Git work tree with a commit');
  });
});
