import { appendFileSync, promises as fs, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { manifestPath, readManifest, type Manifest } from '../../src/library/index-store.ts';
import { openIndex, reindex } from '../../src/library/indexer.ts';
import { createLogger } from '../../src/logger.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { corpusCopy, tempDir } from '../helpers.ts';

function captureLogger() {
  const lines: string[] = [];
  const destination = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('persisted index', () => {
  it('builds once, then loads from disk with the same answers', async () => {
    const location = corpusCopy();
    const first = await openIndex(location);
    expect(first.origin.loaded).toBe(false);
    expect(first.index.fileCount).toBe(5);
    const second = await openIndex(location);
    expect(second.origin.loaded).toBe(true);
    expect(second.index.passageCount).toBe(first.index.passageCount);
    const question = 'Who was behind the troll farm?';
    expect(ask(second.index, question).results).toEqual(ask(first.index, question).results);
    const manifest = await readManifest(location.indexDir);
    if ('error' in manifest) throw new Error(manifest.error);
    expect(manifest.files).toHaveLength(5);
    expect(manifest.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.counts.passages).toBe(first.index.passageCount);
  });

  it('indexes duplicate passages once and remembers their other places', async () => {
    const { index } = await openIndex(corpusCopy());
    const file = index.file('003_c6d5608b06e78f00.txt')!;
    const repeated = file.chunks.filter((chunk) => chunk.text.startsWith('The report added that'));
    expect(repeated).toHaveLength(2);
    expect(repeated[0]!.id).toBe(repeated[1]!.id);
    const passage = index.passage(repeated[0]!.id)!;
    expect(passage.lines).toEqual(repeated[0]!.lines);
    expect(passage.also).toEqual([{ source: '003_c6d5608b06e78f00.txt', lines: repeated[1]!.lines }]);
    const caption = index.file('002_2031ec2101c65bec.txt')!.chunks.find((c) => c.text.startsWith('State Department spokeswoman'));
    expect(caption).toBeDefined();
  });

  it('shares a code passage only between blocks with the same exact text: code is quoted exactly at every place', async () => {
    // The same JSON block at the top level with tabs, and in a list item indented with spaces: equal
    // after whitespace folding, as repeated prose is, but each place's code is its own lines.
    const root = tempDir();
    const corpusDir = path.join(root, 'corpus');
    mkdirSync(corpusDir);
    const block = ['{', '\t"peerDependencies": {', '\t\t"eslint": ">=10.0.0"', '\t}', '}'];
    writeFileSync(path.join(corpusDir, 'a.md'), ['# Configs', '', 'Declare the peer dependency:', '', '```json', ...block, '```', ''].join('\n'));
    const listed = ['# Plugins', '', '1. Declare it in `package.json`:', '', '    ```json', ...block.map((line) => `    ${line.replace(/\t/gu, '  ')}`), '    ```', ''].join('\n');
    const exactAtLines = (index: VerbatimIndex) => {
      for (const source of ['a.md', 'b.md']) {
        const lines = readFileSync(path.join(corpusDir, source), 'utf8').split('\n');
        const code = index.file(source)!.chunks.find((chunk) => chunk.code)!;
        expect(code.text, source).toBe(lines.slice(code.lines[0] - 1, code.lines[1]).join('\n'));
      }
    };
    // Built from nothing, and the second file added to a built index.
    writeFileSync(path.join(corpusDir, 'b.md'), listed);
    exactAtLines((await openIndex({ corpusDir, indexDir: path.join(root, 'full') })).index);
    rmSync(path.join(corpusDir, 'b.md'));
    await openIndex({ corpusDir, indexDir: path.join(root, 'incremental') });
    writeFileSync(path.join(corpusDir, 'b.md'), listed);
    exactAtLines((await reindex({ corpusDir, indexDir: path.join(root, 'incremental') })).index);
    // The same block with the same bytes is still one passage.
    writeFileSync(path.join(corpusDir, 'c.md'), ['# Again', '', '```json', ...block, '```', ''].join('\n'));
    const { index } = await reindex({ corpusDir, indexDir: path.join(root, 'incremental') });
    expect(index.file('c.md')!.chunks.find((chunk) => chunk.code)!.id).toBe(index.file('a.md')!.chunks.find((chunk) => chunk.code)!.id);
  });

  it('warns when the corpus folder has nothing to index, naming what it skipped', async () => {
    const location = corpusCopy();
    for (const name of await fs.readdir(location.corpusDir)) rmSync(path.join(location.corpusDir, name), { recursive: true });
    writeFileSync(path.join(location.corpusDir, 'index.rst'), 'Title\n=====\n\nText.\n');
    const { logger, lines } = captureLogger();
    const opened = await openIndex({ ...location, logger });
    expect(opened.index.fileCount).toBe(0);
    const warning = lines.find((line) => line.includes('the corpus has no'));
    expect(warning).toMatch(/the corpus has no \.txt, \.md.* files/);
    expect(warning).toMatch(/index\.rst: not a/);
    // A corpus with files says nothing of the kind.
    const { logger: quiet, lines: quietLines } = captureLogger();
    await openIndex({ ...corpusCopy(), logger: quiet });
    expect(quietLines.join('\n')).not.toMatch(/has no/);
  });

  it('rebuilds with a warning when the manifest is corrupt', async () => {
    const location = corpusCopy();
    await openIndex(location);
    writeFileSync(manifestPath(location.indexDir), '{"formatVersion": 1, "gener');
    const { logger, lines } = captureLogger();
    const reopened = await openIndex({ ...location, logger });
    expect(reopened.origin.loaded).toBe(false);
    expect(lines.join('\n')).toMatch(/manifest is corrupt/);
    expect(ask(reopened.index, 'Oliver Stone documentary').answered).toBe(true);
  });

  it.each([
    ['a truncated segment', (m: Manifest) => `seg-${m.segments[0]}.vseg`, (bytes: Buffer) => bytes.subarray(0, bytes.length - 100)],
    ['one flipped byte in a segment', (m: Manifest) => `seg-${m.segments[0]}.vseg`, (bytes: Buffer) => flip(bytes, bytes.length - 200)],
    ['a flipped byte in the chunk table', (m: Manifest) => `chunks-${m.generation}.bin`, (bytes: Buffer) => flip(bytes, 5)],
    ['a truncated store', (m: Manifest) => `store-${m.generation}.json`, (bytes: Buffer) => bytes.subarray(0, 100)],
  ])('rebuilds with a warning on %s', async (_, name, damage) => {
    const location = corpusCopy();
    const { manifest } = await openIndex(location);
    const file = path.join(location.indexDir, name(manifest));
    writeFileSync(file, damage(readFileSync(file)));
    const { logger, lines } = captureLogger();
    const reopened = await openIndex({ ...location, logger });
    expect(reopened.origin.loaded).toBe(false);
    expect(lines.join('\n')).toMatch(/corrupt/);
    expect(ask(reopened.index, 'Who is Putin’s chef?').answered).toBe(true);
  });

  it('a save killed before the manifest was written leaves the previous index in use', async () => {
    const location = corpusCopy();
    const { manifest } = await openIndex(location);
    // What a killed writer leaves behind: a half-written temp file and orphan generation files.
    writeFileSync(path.join(location.indexDir, '.manifest.json.999.1.tmp'), '{"half":');
    writeFileSync(path.join(location.indexDir, 'store-zzz.json'), '{"nextId":');
    const reopened = await openIndex(location);
    expect(reopened.origin.loaded).toBe(true);
    expect(reopened.manifest.generation).toBe(manifest.generation);
  });

  it('rebuilds when the corpus changed since the index was built', async () => {
    const location = corpusCopy();
    await openIndex(location);
    writeFileSync(path.join(location.corpusDir, 'new.txt'), 'Penguins\n\nEmperor penguins huddle in Antarctica.\n');
    const { logger, lines } = captureLogger();
    const reopened = await openIndex({ ...location, logger });
    expect(reopened.origin.loaded).toBe(false);
    expect(lines.join('\n')).toMatch(/new\.txt added/);
    // Only the new file was read and indexed.
    expect(reopened.origin).toMatchObject({ report: { filesAdded: ['new.txt'], filesUnchanged: 5, passagesAdded: 2 } });
    expect(ask(reopened.index, 'emperor penguins antarctica').results[0]?.source).toBe('new.txt');
  });
});

describe('incremental reindex', () => {
  it('touches only added, changed and removed files and reports the diff', async () => {
    const location = corpusCopy();
    const before = (await openIndex(location)).index.passageCount;
    const unchanged = await reindex(location);
    expect(unchanged.report).toMatchObject({ filesAdded: [], filesChanged: [], filesRemoved: [], filesUnchanged: 5, passagesAdded: 0, passagesRemoved: 0 });

    writeFileSync(path.join(location.corpusDir, 'added.md'), '# Owls\n\nBarn owls hunt at night over meadows.\n');
    appendFileSync(path.join(location.corpusDir, '004_18fad831f6d1eeb5.txt'), '\n\nA brand new closing paragraph about tulips.\n');
    rmSync(path.join(location.corpusDir, '001_0c23c17dab99acbd.txt'));
    const changed = await reindex(location);
    expect(changed.report.filesAdded).toEqual(['added.md']);
    expect(changed.report.filesChanged).toEqual(['004_18fad831f6d1eeb5.txt']);
    expect(changed.report.filesRemoved).toEqual(['001_0c23c17dab99acbd.txt']);
    expect(changed.report.filesUnchanged).toBe(3);
    expect(changed.report.passagesAdded).toBe(2); // the body of added.md (its heading is its title), the tulip paragraph
    expect(changed.report.passagesRemoved).toBe(4);
    expect(changed.index.passageCount).toBe(before - 4 + 2);
    expect(ask(changed.index, 'barn owls hunting').results[0]?.source).toBe('added.md');
    expect(ask(changed.index, 'tulips').results[0]?.source).toBe('004_18fad831f6d1eeb5.txt');
    expect(ask(changed.index, 'Raffensperger bomb threats Atlanta').answered).toBe(false);

    // The saved result loads and agrees.
    const reloaded = await openIndex(location);
    expect(reloaded.origin.loaded).toBe(true);
    expect(reloaded.index.passageCount).toBe(changed.index.passageCount);
  });

  it('a touched but identical file is not re-indexed', async () => {
    const location = corpusCopy();
    await openIndex(location);
    const file = path.join(location.corpusDir, '000_0c2a6b0584480c89.txt');
    const later = new Date(Date.now() + 5000);
    await fs.utimes(file, later, later);
    const { report } = await reindex(location);
    expect(report).toMatchObject({ filesChanged: [], filesUnchanged: 5, passagesAdded: 0, passagesRemoved: 0 });
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}
