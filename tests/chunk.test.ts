import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../src/chunk.ts';
import { BUNDLED_CORPUS } from './helpers.ts';

const files = readdirSync(BUNDLED_CORPUS).filter((name) => name.endsWith('.txt'));

describe('chunkDocument on the bundled corpus', () => {
  it('has the five bundled articles', () => {
    expect(files).toHaveLength(5);
  });

  for (const name of files) {
    it(`every passage of ${name} is exactly the file's text at its line range`, () => {
      const text = readFileSync(path.join(BUNDLED_CORPUS, name), 'utf8');
      const lines = text.split('\n');
      const { chunks, title } = chunkDocument(text);
      expect(title.length).toBeGreaterThan(0);
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) {
        const [start, end] = chunk.lines;
        expect(start).toBeGreaterThanOrEqual(1);
        expect(end).toBeGreaterThanOrEqual(start);
        expect(end).toBeLessThanOrEqual(lines.length);
        const atLines = lines.slice(start - 1, end).join('\n');
        expect(atLines).toContain(chunk.text);
        // The passage starts on its first line and ends on its last line.
        expect(lines[start - 1]).toContain(chunk.text.split('\n')[0]!.slice(0, 40));
        expect(lines[end - 1]).toContain(chunk.text.split('\n').at(-1)!.slice(-40));
        expect(chunk.text.length).toBeLessThanOrEqual(1400);
      }
    });
  }

  it('puts every non-blank line of a file in some passage', () => {
    for (const name of files) {
      const text = readFileSync(path.join(BUNDLED_CORPUS, name), 'utf8');
      const covered = new Set<number>();
      for (const { lines } of chunkDocument(text).chunks) for (let l = lines[0]; l <= lines[1]; l++) covered.add(l);
      text.split('\n').forEach((line, i) => {
        if (line.trim()) expect(covered.has(i + 1), `${name}:${i + 1}`).toBe(true);
      });
    }
  });
});

describe('chunkDocument rules', () => {
  it('splits a long paragraph into windows of whole sentences', () => {
    const sentence = (n: number) => `Sentence number ${n} talks about the election and the report in some detail.`;
    const paragraph = Array.from({ length: 30 }, (_, i) => sentence(i)).join(' ');
    const { chunks } = chunkDocument(`Title\n\n${paragraph}\n`);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(1)) {
      expect(chunk.text.length).toBeLessThanOrEqual(700);
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text.endsWith('detail.')).toBe(true);
      expect(chunk.lines).toEqual([3, 3]);
    }
  });

  it('treats lines of a long block without blank lines as paragraphs', () => {
    const line = (n: number) => `Line ${n} ` + 'word '.repeat(60).trim() + '.';
    const text = Array.from({ length: 6 }, (_, i) => line(i + 1)).join('\n');
    const { chunks } = chunkDocument(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.startsWith('Line ')).toBe(true);
      expect(chunk.text.endsWith('.')).toBe(true);
    }
  });

  it('treats whitespace-only lines (NBSP) as blank and keeps NBSP inside text', () => {
    const { chunks } = chunkDocument('One\u00a0two.\n\u00a0\u00a0\nThree four.');
    expect(chunks.map((c) => c.text)).toEqual(['One\u00a0two.', 'Three four.']);
    expect(chunks.map((c) => c.lines)).toEqual([[1, 1], [3, 3]]);
  });

  it('handles CRLF files', () => {
    const { chunks } = chunkDocument('First line.\r\n\r\nSecond para.\r\n');
    expect(chunks.map((c) => [c.text, c.lines])).toEqual([['First line.', [1, 1]], ['Second para.', [3, 3]]]);
  });

  it('takes the title from a Markdown heading', () => {
    expect(chunkDocument('Some preface\n\n# The Real Title #\n\nBody.', { markdown: true }).title).toBe('The Real Title');
    expect(chunkDocument('\n\n  First   line  \nmore').title).toBe('First line');
  });

  it('returns no passages for an empty or blank file', () => {
    expect(chunkDocument('').chunks).toEqual([]);
    expect(chunkDocument(' \n\t\n').chunks).toEqual([]);
  });
});

describe('chunkDocument on hostile text', () => {
  it('cuts a huge line without sentence ends into exact passages of bounded size', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const text = `Title\n\n${words}\n\n${'x'.repeat(5000)}\n`;
    const { chunks } = chunkDocument(text);
    expect(chunks.length).toBeGreaterThan(20);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1400);
      expect(text).toContain(chunk.text);
      expect(chunk.text).not.toMatch(/^\s|\s$/);
    }
    // Every word is in exactly one passage.
    expect(chunks.filter((c) => c.lines[0] === 3).map((c) => c.text).join(' ')).toBe(words);
  });
});
