import { beforeAll, describe, expect, it } from 'vitest';
import { buildVerbatimIndex } from '../../src/bench/engines.ts';
import {
  generatePassages,
  generateQueries,
  groupIntoFiles,
  loadSciFact,
  renderFile,
  type SciFactText,
} from '../../src/bench/synthetic-corpus.ts';
import { chunkDocument } from '../../src/core/chunk.ts';
import { DEFAULT_MAX_PASSAGE_CHARS } from '../../src/core/options.ts';

const N = 500;
let scifact: SciFactText;

beforeAll(() => {
  scifact = loadSciFact();
});

describe('synthetic bench corpus', () => {
  it('is the same for the same seed and differs for another seed', () => {
    const a = generatePassages(scifact.sentences, N, 42);
    expect(generatePassages(scifact.sentences, N, 42)).toEqual(a);
    expect(generatePassages(scifact.sentences, N, 43)).not.toEqual(a);
  });

  it('yields the requested number of distinct one-line passages that fit one chunk', () => {
    const passages = generatePassages(scifact.sentences, N, 7);
    expect(passages).toHaveLength(N);
    expect(new Set(passages).size).toBe(N);
    for (const passage of passages) {
      expect(passage.length).toBeLessThanOrEqual(DEFAULT_MAX_PASSAGE_CHARS);
      expect(passage).not.toMatch(/\n/);
      expect(passage).toBe(passage.trim());
    }
  });

  it('renders files whose chunks are the title line and then exactly their passages', () => {
    const passages = generatePassages(scifact.sentences, N, 7);
    const files = groupIntoFiles(N, 100);
    expect(files).toHaveLength(5);
    const { title, chunks } = chunkDocument(renderFile(files[1]!, passages).text);
    expect(title).toBe(files[1]!.title);
    expect(chunks.map((chunk) => chunk.text)).toEqual([files[1]!.title, ...passages.slice(100, 200)]);
  });

  it('goes through the Verbatim pipeline as exactly N passages', async () => {
    const passages = generatePassages(scifact.sentences, N, 7);
    const { index } = await buildVerbatimIndex(groupIntoFiles(N, 100), passages);
    expect(index.passageCount).toBe(N);
    expect(index.fileCount).toBe(5);
  });

  it('generates the requested number of non-empty queries, reproducibly', () => {
    const passages = generatePassages(scifact.sentences, N, 42);
    const queries = generateQueries(scifact.claims, passages, 1000, 42);
    expect(queries).toHaveLength(1000);
    for (const query of queries) expect(query.trim().length).toBeGreaterThan(0);
    expect(generateQueries(scifact.claims, passages, 1000, 42)).toEqual(queries);
    // Half are SciFact claims, half are questions made from passage words.
    expect(queries[0]).toBe(scifact.claims[0]);
    expect(queries[1]).toMatch(/^(what|which|how)\b.*\?$/);
    expect(generateQueries(scifact.claims, passages, 7, 42)).toHaveLength(7);
  });
});
