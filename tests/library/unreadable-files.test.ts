/**
 * A file that cannot be indexed (invalid UTF-8, a binary with a .txt name) is recorded in
 * the manifest with its size and mtime: it is reported once, and does not make the index
 * stale until it changes.
 */
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/library/index-store.ts';
import { openIndex, reindex } from '../../src/library/indexer.ts';
import { corpusCopy } from '../helpers.ts';

describe('files skipped at read time', () => {
  it('are remembered: the next start loads the index instead of rebuilding it', async () => {
    const location = corpusCopy();
    const elf = path.join(location.corpusDir, 'binary-elf.txt');
    writeFileSync(elf, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe, 0x00, 0x80]));
    writeFileSync(path.join(location.corpusDir, 'latin1.md'), Buffer.from('caf\xe9 cr\xe8me', 'latin1'));

    const first = await openIndex(location);
    expect(first.origin.loaded).toBe(false);
    if (first.origin.loaded) return;
    expect(first.origin.report.skipped).toEqual([
      { source: 'binary-elf.txt', reason: 'not valid UTF-8' },
      { source: 'latin1.md', reason: 'not valid UTF-8' },
    ]);
    const manifest = await readManifest(location.indexDir);
    if ('error' in manifest) throw new Error(manifest.error);
    expect(manifest.unreadable.map((f) => [f.source, f.size, f.reason])).toEqual([
      ['binary-elf.txt', 12, 'not valid UTF-8'],
      ['latin1.md', 10, 'not valid UTF-8'],
    ]);

    const second = await openIndex(location);
    expect(second.origin.loaded).toBe(true);

    // An incremental reindex does not read or report them again…
    const quiet = await reindex(location);
    expect(quiet.report.skipped).toEqual([]);
    expect(quiet.report.filesAdded).toEqual([]);

    // …until one changes.
    writeFileSync(elf, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff]));
    utimesSync(elf, new Date(), new Date(Date.now() + 5000));
    const stale = await openIndex(location);
    expect(stale.origin.loaded).toBe(false);
    if (!stale.origin.loaded) expect(stale.origin.report.skipped).toEqual([{ source: 'binary-elf.txt', reason: 'not valid UTF-8' }]);
    expect((await openIndex(location)).origin.loaded).toBe(true);
  });
});
