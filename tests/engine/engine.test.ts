/**
 * The index engine (`src/engine/`): MaxScore returns exactly what exhaustive BM25 scoring
 * returns; an index changed file by file (segments, deletions, merges) answers exactly as
 * one built from scratch; the dictionary's fuzzy and prefix lookups; the segment format.
 */
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/core/chunk.ts';
import { parseQuery } from '../../src/core/query.ts';
import { searchTermsFor } from '../../src/core/search-terms.ts';
import { inlineHtmlMarkup } from '../../src/core/doc-syntax.ts';
import { analyzedText } from '../../src/core/passage.ts';
import { headingField } from '../../src/engine/generation.ts';
import { MAX_SEGMENTS } from '../../src/engine/merge-policy.ts';
import { MAX_FILE_SCORE_PASSAGES } from '../../src/core/options.ts';
import { openSegment } from '../../src/engine/segment-format.ts';
import { mulberry32 } from '../../src/bench/synthetic-corpus.ts';
import { VerbatimIndex, type Hit, type NewFileRecord } from '../../src/engine/verbatim-index.ts';

/** A vocabulary with a Zipf-like spread: a few words everywhere, most words rare. */
const VOCABULARY = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x`);

function randomText(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(VOCABULARY[Math.floor(VOCABULARY.length * random() ** 2.5)]!);
  return out.join(' ');
}

function randomFile(random: () => number, source: string, paragraphs: number): NewFileRecord {
  // Some paragraphs hold inline HTML, whose tag and attribute names are markup (not indexed).
  const tag = () => (random() < 0.15 ? ` <${randomText(random, 1)} note="${randomText(random, 2)}"/> ` : ' ');
  const body = Array.from({ length: paragraphs }, () => `${randomText(random, 5 + Math.floor(random() * 20))}${tag()}${randomText(random, 1 + Math.floor(random() * 20))}.`);
  // Some paragraphs repeat across files: dedup and `also` are part of what is compared.
  if (random() < 0.3) body.push('A paragraph that several files share word for word.');
  if (random() < 0.3) body.push('A shared <Note text="owl words" style="x"/> paragraph.');
  const text = `# ${randomText(random, 3)}\n\n${body.join('\n\n')}\n`;
  const { title, chunks } = chunkDocument(text, { markdown: true });
  // What `chunkMarkdown` records for inline HTML (the paragraphs here are plain prose).
  for (const chunk of chunks) {
    const markup = [...chunk.text.matchAll(/<[^<>]*>/gu)].flatMap((match) => inlineHtmlMarkup(match[0], match.index));
    if (markup.length > 0) chunk.markup = markup;
  }
  return { source, size: text.length, mtimeMs: 0, sha256: source, title, chunks };
}

/**
 * Comparable form of hits (ids differ between builds): the scores in order (to 1e-9), and
 * place, matched terms and coverage of each hit, sorted — equal scores may come in either
 * order — leaving out those tied with the last hit, which a tie may swap for another.
 */
function comparable(hits: Hit[]) {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const last = hits.length ? round(hits[hits.length - 1]!.score) : 0;
  const places = hits
    .filter((hit) => round(hit.score) > last)
    .map((hit) => ({ score: round(hit.score), source: hit.passage.source, lines: hit.passage.lines, also: hit.passage.also, matched: hit.matched, coverage: round(hit.coverage) }))
    .sort((x, y) => y.score - x.score || (x.source < y.source ? -1 : x.source > y.source ? 1 : x.lines[0] - y.lines[0]));
  return { scores: hits.map((hit) => round(hit.score)), places };
}

function randomQuery(random: () => number, index: VerbatimIndex) {
  const terms = [...new Set(Array.from({ length: 1 + Math.floor(random() * 8) }, () => index.analyzer.term(VOCABULARY[Math.floor(VOCABULARY.length * random() ** 1.5)]!)))];
  if (random() < 0.2) terms.push('absentterm');
  const termFrequency = new Map(terms.map((term) => [term, 1 + Math.floor(random() * 3)]));
  const exclude = random() < 0.2 ? [index.analyzer.term(VOCABULARY[Math.floor(random() * 20)]!)] : [];
  const sources = random() < 0.15 ? new Set(index.sources().filter(() => random() < 0.2)) : undefined;
  return { terms, termFrequency, exclude, limit: 1 + Math.floor(random() * 12), ...(sources ? { sources } : {}) };
}

describe('top-k', () => {
  it('MaxScore equals exhaustive BM25 scoring on 400 random queries over several segments with deletions', () => {
    const random = mulberry32(20261123);
    const index = new VerbatimIndex();
    // Several batches make several segments; changing files leaves deleted passages behind.
    for (let batch = 0; batch < 4; batch++) {
      index.apply(Array.from({ length: 6 }, (_, i) => randomFile(random, `b${batch}/f${i}.md`, 30)), []);
    }
    index.apply([randomFile(random, 'b0/f1.md', 25), randomFile(random, 'b2/f3.md', 25)], ['b1/f0.md']);
    expect(index.segmentStats.segments).toBeGreaterThan(1);
    expect(index.segmentStats.deletedPassages).toBeGreaterThan(0);
    let compared = 0;
    for (let q = 0; q < 400; q++) {
      const request = randomQuery(random, index);
      const reference = index.search({ ...request, exhaustive: true });
      {
        const fast = index.search(request);
        // Same scores in the same order; the same passages wherever scores differ (ties aside).
        expect(fast.map((hit) => hit.score)).toEqual(reference.map((hit) => hit.score));
        fast.forEach((hit, i) => {
          const tied = reference.filter((other) => other.score === hit.score).length > 1;
          if (tied) return;
          expect(hit.passage.id).toBe(reference[i]!.passage.id);
          expect(hit.matched).toEqual(reference[i]!.matched);
          expect(hit.coverage).toBe(reference[i]!.coverage);
        });
        compared += fast.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('whole-file BM25', () => {
  it('scores each file from its own chunks: term counts of its text and first heading field, its length, IDF over files', () => {
    const random = mulberry32(20261124);
    const index = new VerbatimIndex();
    for (let batch = 0; batch < 3; batch++) index.apply(Array.from({ length: 5 }, (_, i) => randomFile(random, `b${batch}/f${i}.md`, 12)), []);
    // A long file: its passages outnumber a rare term's postings (the other intersection side).
    index.apply([randomFile(random, 'long.md', 400), randomFile(random, 'b0/f1.md', 10)], ['b1/f0.md']);
    expect(index.segmentStats.deletedPassages).toBeGreaterThan(0);
    const { analyzer, ranking } = index;
    const counts = (text: string) => {
      const out = new Map<string, number>();
      for (const term of analyzer.terms(text)) out.set(term, (out.get(term) ?? 0) + 1);
      return out;
    };
    // The reference: every file re-read chunk by chunk, nothing taken from the postings.
    const reference = new Map(index.sources().map((source) => {
      const file = index.file(source)!;
      const chunks = file.chunks.map((chunk) => counts(analyzedText(chunk.text, chunk.markup)));
      const title = counts(headingField(file.title, file.chunks[0]!.section));
      return [source, { chunks, title, length: chunks.reduce((sum, chunk) => sum + chunk.size, 0) }];
    }));
    const average = [...reference.values()].reduce((sum, file) => sum + file.length, 0) / reference.size;
    // Files holding a term, a passage counted for the file of its first place only.
    const ownChunks = new Map(index.sources().map((source) => [source, index.file(source)!.chunks.filter((chunk) => index.passage(chunk.id)?.source === source).map((chunk) => counts(analyzedText(chunk.text, chunk.markup)))]));
    const fileDf = (term: string) => [...ownChunks.values()].filter((chunks) => chunks.some((chunk) => chunk.has(term))).length;
    const fileIdf = (term: string) => Math.log(1 + (reference.size - fileDf(term) + 0.5) / (fileDf(term) + 0.5));
    let nonZero = 0;
    for (let q = 0; q < 100; q++) {
      const { termFrequency } = randomQuery(random, index);
      const sources = index.sources().filter(() => random() < 0.5);
      const expected = sources.map((source) => {
        const file = reference.get(source)!;
        const norm = ranking.k1 * (1 - ranking.b + (ranking.b * file.length) / average);
        let score = 0;
        for (const [term, weight] of termFrequency) {
          const tf = file.chunks.reduce((sum, chunk) => sum + (chunk.get(term) ?? 0), 0) + ranking.fileTitleWeight * (file.title.get(term) ?? 0);
          if (tf > 0) score += (weight * fileIdf(term) * tf * (ranking.k1 + 1)) / (tf + norm);
        }
        return score;
      });
      const actual = index.fileScores(termFrequency, sources);
      actual.forEach((score, i) => expect(score).toBeCloseTo(expected[i]!, 9));
      nonZero += actual.filter((score) => score > 0).length;
    }
    expect(nonZero).toBeGreaterThan(500);
    expect(index.fileScores(new Map([['absentterm', 1]]), ['long.md', 'not-indexed.md'])).toEqual([0, 0]);
  });
});

describe('whole-file BM25 on enormous files', () => {
  it('is skipped when the files scored hold more than MAX_FILE_SCORE_PASSAGES passages together', () => {
    const paragraphs = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} paragraph ${i}.`).join('\n\n');
    const file = (source: string, text: string): NewFileRecord => ({ source, size: text.length, mtimeMs: 0, sha256: source, title: source, chunks: chunkDocument(text).chunks });
    const index = new VerbatimIndex();
    index.apply([file('huge.txt', paragraphs(MAX_FILE_SCORE_PASSAGES + 1, 'otter')), file('small.txt', paragraphs(3, 'otter'))], []);
    const otter = new Map([[index.analyzer.term('otter')!, 1]]);
    expect(index.fileScores(otter, ['small.txt'])[0]).toBeGreaterThan(0);
    expect(index.fileScores(otter, ['huge.txt', 'small.txt'])).toEqual([0, 0]);
  });
});

describe('incremental writes', () => {
  it('an index changed file by file, through merges, answers exactly as one built from scratch', () => {
    const random = mulberry32(7);
    const files = new Map<string, NewFileRecord>();
    const incremental = new VerbatimIndex();
    let segmentsSeen = 0;
    for (let step = 0; step < 14; step++) {
      const upserts = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomFile(random, `d${Math.floor(random() * 8)}/f${Math.floor(random() * 5)}.md`, 4 + Math.floor(random() * 20)));
      const removals = step % 4 === 3 ? [...files.keys()].slice(0, 1) : [];
      for (const source of removals) files.delete(source);
      for (const file of upserts) files.set(file.source, file);
      incremental.apply(upserts, removals);
      segmentsSeen = Math.max(segmentsSeen, incremental.segmentStats.segments);
      expect(incremental.segmentStats.segments).toBeLessThanOrEqual(MAX_SEGMENTS);
    }
    expect(segmentsSeen).toBeGreaterThan(3);
    const fresh = new VerbatimIndex();
    fresh.apply([...files.values()], []);
    expect(incremental.passageCount).toBe(fresh.passageCount);
    expect(incremental.sources()).toEqual(fresh.sources());
    for (const source of fresh.sources()) {
      expect(incremental.file(source)!.chunks.map(({ lines, text, markup }) => ({ lines, text, markup }))).toEqual(fresh.file(source)!.chunks.map(({ lines, text, markup }) => ({ lines, text, markup })));
    }
    for (let q = 0; q < 150; q++) {
      const request = randomQuery(random, fresh);
      expect(comparable(incremental.search(request))).toEqual(comparable(fresh.search(request)));
      const sources = fresh.sources();
      incremental.fileScores(request.termFrequency, sources).forEach((score, i) => expect(score).toBeCloseTo(fresh.fileScores(request.termFrequency, sources)[i]!, 9));
    }
  });

  it('a batch built in parts on worker threads answers exactly as one built on this thread', async () => {
    const random = mulberry32(31);
    const files = Array.from({ length: 40 }, (_, i) => randomFile(random, `w/f${i}.md`, 10 + Math.floor(random() * 30)));
    const here = new VerbatimIndex();
    here.apply(files, []);
    const parts = new VerbatimIndex();
    // Small limits take the worker path a million passages takes: two threads, several parts each.
    await parts.applyAsync(files, [], { threads: 2, maxPassagesPerSegment: 200, minPassagesForWorkers: 100 });
    expect(here.segmentStats.segments).toBe(1);
    expect(parts.segmentStats.segments).toBe(2 * Math.ceil(here.passageCount / 400));
    expect(parts.segmentStats.segments).toBeGreaterThan(2);
    expect(parts.passageCount).toBe(here.passageCount);
    for (const source of here.sources()) expect(parts.file(source)!.chunks).toEqual(here.file(source)!.chunks);
    for (let q = 0; q < 150; q++) {
      const request = randomQuery(random, here);
      expect(comparable(parts.search(request))).toEqual(comparable(here.search(request)));
    }
  });

  it('a passage keeps the title of its first place when that place changes', () => {
    const file = (source: string, title: string, text: string): NewFileRecord => {
      const { chunks } = chunkDocument(text);
      return { source, size: text.length, mtimeMs: 0, sha256: text, title, chunks };
    };
    const index = new VerbatimIndex();
    index.apply([file('b.txt', 'Bee', 'shared owl paragraph\n\nonly in b'), file('c.txt', 'Sea', 'shared owl paragraph')], []);
    const before = index.search({ terms: ['owl'], limit: 5 })[0]!.passage;
    expect(before).toMatchObject({ source: 'b.txt', title: 'Bee', also: [{ source: 'c.txt' }] });
    index.apply([file('a.txt', 'Ay', 'shared owl paragraph')], []);
    expect(index.search({ terms: ['owl'], limit: 5 })[0]!.passage).toMatchObject({ source: 'a.txt', title: 'Ay', also: [{ source: 'b.txt' }, { source: 'c.txt' }] });
    index.apply([], ['a.txt', 'b.txt']);
    expect(index.search({ terms: ['owl'], limit: 5 })[0]!.passage).toMatchObject({ source: 'c.txt', title: 'Sea', also: [] });
    expect(index.search({ terms: ['ay'], limit: 5 })).toEqual([]);
    expect(index.documentFrequency('owl')).toBe(1);
  });
});

describe('words side by side', () => {
  it('finds a live passage with the words next to each other among the first that have them all, across segments', () => {
    const file = (source: string, text: string): NewFileRecord => ({ source, size: text.length, mtimeMs: 0, sha256: source, title: source, chunks: chunkDocument(text).chunks });
    const apart = (n: number) => Array.from({ length: n }, (_, i) => `The health of the system ${i} needs a check.`).join('\n\n');
    const index = new VerbatimIndex();
    index.apply([file('a.txt', `${apart(3)}\n\nRun a health-check first.`)], []);
    index.apply([file('b.txt', 'Each health check runs on its own.')], []);
    expect(index.passageWithPhrase(['health', 'check'], 10)?.text).toBe('Run a health-check first.');
    // Only the first passages with both words are read: three in a.txt have them apart.
    expect(index.passageWithPhrase(['health', 'check'], 4)?.text).toBe('Run a health-check first.');
    expect(index.passageWithPhrase(['health', 'check'], 3)).toBeUndefined();
    // A deleted passage is never an answer; the next segment's is.
    index.apply([file('a.txt', apart(3))], []);
    expect(index.passageWithPhrase(['health', 'check'], 10)?.source).toBe('b.txt');
    index.apply([], ['b.txt']);
    expect(index.passageWithPhrase(['health', 'check'], 10)).toBeUndefined();
    expect(index.passageWithPhrase(['health', 'absentword'], 10)).toBeUndefined();
  });
});

describe('hyphen-joined stopwords', () => {
  it('are indexed where a hyphen joins them, as the analyzer gives them, and survive a deletion count', () => {
    const file = (source: string, text: string): NewFileRecord => ({ source, size: text.length, mtimeMs: 0, sha256: source, title: source, chunks: chunkDocument(text).chunks });
    const index = new VerbatimIndex();
    index.apply([file('a.txt', 'Use v-show to toggle often.\n\nUse v-if when the condition rarely changes.\n\nIf in doubt, measure both.')], []);
    expect(index.documentFrequency('if')).toBe(1);
    expect(index.documentFrequency('in')).toBe(0);
    expect(index.search({ terms: index.analyzer.terms('v-if'), limit: 1 })[0]!.passage.text).toBe('Use v-if when the condition rarely changes.');
    index.apply([file('a.txt', 'If in doubt, measure both.')], []);
    expect(index.documentFrequency('if')).toBe(0);
    // A joined stopword the corpus lacks is no question term: it says nothing, as a stopword says nothing.
    expect(searchTermsFor(index, parseQuery('measure a higher-up', index.analyzer)).searchTerms).not.toContain('up');
    // Its term, not the word: "this-is" gives `thi`.
    expect(searchTermsFor(index, parseQuery('measure this-is', index.analyzer)).searchTerms).toEqual(['measur']);
  });
});

describe('term dictionary', () => {
  const index = new VerbatimIndex();
  const text = 'The Kremlin said the sanctions were unfriendly.\n\nThe kremlin and the embassy.\n\nEmbargo talk.';
  const { title, chunks } = chunkDocument(text);
  index.apply([{ source: 'a.txt', size: text.length, mtimeMs: 0, sha256: 'a', title, chunks }], []);

  it('finds corpus terms within an edit distance, closest and most frequent first', () => {
    // Three passages hold "kremlin": two in their text, all three in their title (the first line).
    expect(index.similarTerms('kremln', 1)).toEqual([{ term: 'kremlin', distance: 1, documentFrequency: 3 }]);
    expect(index.similarTerms('embasy', 2).map((found) => found.term)).toContain('embassi');
    expect(index.similarTerms('zzzzzz', 2)).toEqual([]);
  });

  it('lists terms by prefix, most frequent first', () => {
    expect(index.termsWithPrefix('em').map((found) => found.term)).toEqual(['embargo', 'embassi']);
  });
});

describe('inversion', () => {
  it('indexes exactly the analyzer’s terms, with their counts, for ASCII and other text', () => {
    const random = mulberry32(99);
    const pieces = ['U.S.', 'e.g.', 'a.b.c', "can't", "rock'n'roll", "'quoted'", "x'", '1.2.3', 'A.B', 'Cells', 'cells', 'CELL', 'the', 'of', 'Prigózhin', 'naïve', 'ﬁsh', 'x\u200by', '日本', '-', '.', "'", ' ', '  ', '\t', 'owl', 'owls', 'Owl’s', 'deferReply', 'XMLParser', 'mRNA', 'McDonald'];
    const texts = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(random() * 25) }, () => pieces[Math.floor(random() * pieces.length)]).join(random() < 0.5 ? ' ' : ''));
    const index = new VerbatimIndex();
    index.apply(texts.map((text, i) => ({ source: `f${i}.txt`, size: 1, mtimeMs: 0, sha256: String(i), title: 'T', chunks: [{ lines: [1, 1], text: `${text} u${i}q` }] })), []);
    const expected = new Map<string, number>();
    texts.forEach((text, i) => {
      for (const term of new Set(index.analyzer.terms(`${text} u${i}q`))) expected.set(term, (expected.get(term) ?? 0) + 1);
    });
    const indexed = new Map<string, number>();
    for (const segment of index.snapshot().segments) {
      for (let r = 0; r < segment.header.termCount; r++) if (segment.arrays.dfText[r]! > 0) indexed.set(segment.term(r), (indexed.get(segment.term(r)) ?? 0) + segment.arrays.dfText[r]!);
    }
    // Dedup folds identical texts into one passage; the suffix keeps every text distinct.
    expect(indexed).toEqual(expected);
  });
});

describe('inline HTML markup', () => {
  it('is stored and shown, not indexed: tags are left out but for text a reader is shown (alt), through deletions', () => {
    const text = 'Call <DocsLink path="Client:Class#owl" type="method"/> to sign in <img src="https://example.com/a.png" alt="login screen">, as <a href="https://example.com/zebra">the zebra page</a> says.';
    const markup = [...text.matchAll(/<[^<>]*>/gu)].flatMap((match) => inlineHtmlMarkup(match[0], match.index));
    const file = (source: string, chunkText: string, chunkMarkup?: number[]): NewFileRecord => ({
      source, size: 1, mtimeMs: 0, sha256: source, title: 'T', chunks: [{ lines: [1, 1], text: chunkText, ...(chunkMarkup ? { markup: chunkMarkup } : {}) }],
    });
    const index = new VerbatimIndex();
    // Fillers keep the segment's deleted share low, so that the deletion is counted, not merged away.
    const fillers = Array.from({ length: 40 }, (_, i) => file(`filler${i}.txt`, `filler text number ${i}`));
    index.apply([file('a.md', text, markup), file('b.txt', 'docslink path href example zebra client'), ...fillers], []);
    const df = (word: string) => index.documentFrequency(index.analyzer.term(word));
    expect([df('docslink'), df('path'), df('href'), df('example'), df('client'), df('owl'), df('method'), df('alt')]).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    expect([df('login'), df('screen'), df('zebra'), df('sign')]).toEqual([1, 1, 2, 1]);
    const hit = index.search({ terms: [index.analyzer.term('login')], limit: 1 })[0]!;
    expect(hit.passage.text).toBe(text);
    expect(Array.from(hit.passage.markup!)).toEqual(markup);
    expect(index.search({ terms: [index.analyzer.term('docslink')], limit: 5 }).map((h) => h.passage.source)).toEqual(['b.txt']);
    // Taking the passage out takes out what was counted for it, and only that.
    index.apply([], ['a.md']);
    expect(index.segmentStats.deletedPassages).toBe(1);
    expect([df('docslink'), df('path'), df('href'), df('zebra'), df('login')]).toEqual([1, 1, 1, 1, 0]);
  });
});

describe('segment format', () => {
  it('refuses a segment whose bytes were changed, truncated, or that carries another name', () => {
    const index = new VerbatimIndex();
    index.apply([{ source: 'a.txt', size: 1, mtimeMs: 0, sha256: 'a', title: 'A', chunks: [{ lines: [1, 1], text: 'barn owls hunt voles' }] }], []);
    const segment = index.snapshot().segments[0]!;
    const copy = (change: (bytes: Uint8Array) => Uint8Array) => {
      const bytes = change(new Uint8Array(segment.buffer).slice());
      const shared = new SharedArrayBuffer(bytes.length);
      new Uint8Array(shared).set(bytes);
      return shared;
    };
    expect(openSegment(copy((bytes) => bytes), segment.name).docCount).toBe(1);
    expect(() => openSegment(copy((bytes) => ((bytes[bytes.length - 3]! ^= 1), bytes)), segment.name)).toThrow(/checksum/);
    expect(() => openSegment(copy((bytes) => bytes.subarray(0, bytes.length - 8)), segment.name)).toThrow();
    expect(() => openSegment(copy((bytes) => bytes), 'other')).toThrow(/holds segment/);
  });
});
