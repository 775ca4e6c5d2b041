/**
 * The library is the one owner of the served index: it answers, replaces the index after a
 * reindex (one at a time), and keeps the counts; what it hands out cannot change its state.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundReindexer, ReindexBusyError } from '../../src/library/worker/background-reindex.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { Library } from '../../src/library/library.ts';
import { SearchThread } from '../../src/library/worker/search-thread.ts';
import { corpusCopy } from '../helpers.ts';

let library: Library;
let location: { corpusDir: string; indexDir: string };
beforeAll(async () => {
  location = corpusCopy();
  library = new Library(await openIndex(location), new BackgroundReindexer(location), new SearchThread());
});
afterAll(async () => {
  await library?.close();
});

describe('Library', () => {
  it('counts answered questions only, and hands out copies of its counts', async () => {
    expect((await library.ask("Who is Putin's chef?", {})).answered).toBe(true);
    expect((await library.ask('How do I bake sourdough bread?', {})).answered).toBe(false);
    const stats = library.stats;
    expect(stats.questionsAnswered).toBe(1);
    (stats as { questionsAnswered: number }).questionsAnswered = 99;
    expect(library.stats.questionsAnswered).toBe(1);
  });

  it('serves the reindexed index and records who asked; a second reindex at once is refused and changes nothing', async () => {
    const before = library.index;
    writeFileSync(path.join(location.corpusDir, 'herons.txt'), 'Grey herons nest in tall trees near water.\n');
    const first = library.reindex({ full: false, requestedBy: 'alice' });
    expect(library.reindexing).toBe(true);
    await expect(library.reindex({ full: false, requestedBy: 'bob' })).rejects.toBeInstanceOf(ReindexBusyError);
    expect(library.index).toBe(before);
    const report = await first;
    expect(report.filesAdded).toEqual(['herons.txt']);
    expect(library.reindexing).toBe(false);
    expect(library.index).not.toBe(before);
    expect(library.index.file('herons.txt')).toBeDefined();
    expect(library.stats.lastReindex).toMatchObject({ by: 'alice', durationMs: report.durationMs });
    expect((await library.ask('Where do grey herons nest?', {})).results[0]!.source).toBe('herons.txt');
  });
});
