import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError, listCorpus } from '../../src/library/corpus.ts';
import { reindex } from '../../src/library/indexer.ts';
import { tempDir } from '../helpers.ts';

describe('listCorpus and the build over a hostile folder', () => {
  const root = tempDir();
  const corpusDir = path.join(root, 'corpus');
  const outside = path.join(root, 'secret.txt');
  mkdirSync(path.join(corpusDir, 'sub', 'deeper'), { recursive: true });
  writeFileSync(outside, 'top secret outside text');
  writeFileSync(path.join(corpusDir, 'a.txt'), 'Alpha title\n\nThe alpha document talks about glaciers.\n');
  writeFileSync(path.join(corpusDir, 'sub', 'b.md'), '# Beta heading\n\nBeta text about volcanoes.\n');
  writeFileSync(path.join(corpusDir, 'sub', 'deeper', 'c.TXT'), 'Gamma\n\nGamma text about deserts.\n');
  writeFileSync(path.join(corpusDir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(corpusDir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe]));
  writeFileSync(path.join(corpusDir, 'empty.txt'), '');
  // What Windows Notepad saves as "Unicode": UTF-16 with its byte order mark, CRLF lines.
  const utf16 = (text: string, bigEndian: boolean) => {
    const bytes = Buffer.from(`\ufeff${text}`, 'utf16le');
    return bigEndian ? bytes.swap16() : bytes;
  };
  writeFileSync(path.join(corpusDir, 'notepad-le.txt'), utf16('Notepad notes\r\n\r\nThe capybara summit met in Lima.\r\n', false));
  writeFileSync(path.join(corpusDir, 'notepad-be.md'), utf16('# Wombat minutes\n\nThe wombat treaty was signed in Perth.\n', true));
  writeFileSync(path.join(corpusDir, 'odd-utf16.txt'), Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]));
  symlinkSync(outside, path.join(corpusDir, 'escape.txt'));
  symlinkSync(path.join(corpusDir, 'a.txt'), path.join(corpusDir, 'inside-link.txt'));
  symlinkSync(path.join(root, 'missing'), path.join(corpusDir, 'broken.txt'));
  // Hidden entries and installed packages of a docs site's checkout are passed over.
  for (const folder of ['.git', '.github', 'node_modules/discord.js']) {
    mkdirSync(path.join(corpusDir, folder), { recursive: true });
    writeFileSync(path.join(corpusDir, folder, 'README.md'), '# Not the docs\n\nA package README.\n');
  }
  writeFileSync(path.join(corpusDir, '.notes.md'), 'An editor dropping.\n');
  // A FIFO named like a document: opening it to read would block forever.
  spawnSync('mkfifo', [path.join(corpusDir, 'pipe.txt')]);

  it('lists .txt and .md recursively with / separators and reports what it skips', async () => {
    const listing = await listCorpus(corpusDir);
    expect(listing.files.map((f) => f.source)).toEqual(['a.txt', 'empty.txt', 'inside-link.txt', 'latin1.txt', 'notepad-be.md', 'notepad-le.txt', 'odd-utf16.txt', 'sub/b.md', 'sub/deeper/c.TXT']);
    expect(listing.skipped).toEqual(
      expect.arrayContaining([
        { source: 'image.png', reason: 'not a .txt, .md or .mdx file' },
        { source: 'escape.txt', reason: 'link leads outside the corpus folder' },
        { source: 'broken.txt', reason: 'broken link' },
        { source: 'pipe.txt', reason: 'not a regular file' },
      ]),
    );
  });

  it('builds without crashing, skipping invalid UTF-8 with a reason, never reading outside', async () => {
    const { index, report } = await reindex({ corpusDir, indexDir: path.join(root, 'index'), full: true });
    expect(report.skipped).toEqual(expect.arrayContaining([{ source: 'latin1.txt', reason: 'not valid UTF-8' }]));
    expect(index.sources()).not.toContain('escape.txt');
    expect(index.file('sub/b.md')?.title).toBe('Beta heading');
    // UTF-16 with a byte order mark is read as text, its lines counted as in any editor;
    // bytes that only start like it are skipped as any other undecodable file.
    expect(index.file('notepad-be.md')?.title).toBe('Wombat minutes');
    expect(index.file('notepad-be.md')!.chunks.map((chunk) => [chunk.text, ...chunk.lines])).toEqual([['The wombat treaty was signed in Perth.', 3, 3]]);
    expect(index.file('notepad-le.txt')!.chunks.map((chunk) => [chunk.text, ...chunk.lines])).toEqual([['Notepad notes', 1, 1], ['The capybara summit met in Lima.', 3, 3]]);
    expect(report.skipped).toEqual(expect.arrayContaining([{ source: 'odd-utf16.txt', reason: 'not valid UTF-8' }]));
    for (const source of index.sources()) {
      for (const chunk of index.file(source)!.chunks) expect(chunk.text).not.toContain('top secret');
    }
  });

  it('fails with a clear error for a missing folder', async () => {
    await expect(listCorpus(path.join(root, 'nope'))).rejects.toThrow(CorpusError);
    await expect(listCorpus(path.join(root, 'nope'))).rejects.toThrow(/Corpus folder not found/);
  });
});
