import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNKER_VERSION, chunkDocument, headingText } from '../../src/core/chunk.ts';
import { sentenceRanges } from '../../src/core/text.ts';
import { BUNDLED_CORPUS } from '../helpers.ts';

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

  it('cuts a line into 200,000 passages (too many to spread into a call)', () => {
    const text = 'abcdef '.repeat(200_000).trim();
    const { chunks } = chunkDocument(text, { maxChars: 10 });
    expect(chunks).toHaveLength(200_000);
    expect(chunks.every((c) => c.text === 'abcdef')).toBe(true);
  });
});

/*
 * The linear rewrite must cut every file exactly as before (it did not bump CHUNKER_VERSION;
 * version 3 is Markdown's own chunker, `markdown.ts`): the
 * sentence scan and the heading parser are checked against the regexes they replaced. Those
 * regexes are super-linear, so only on short random texts made of the characters that matter.
 */

/** The SENTENCE_END regex `sentenceRanges` used before its linear scan. */
const SENTENCE_END_REGEX = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}])/gu;
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'vs', 'no', 'gen', 'gov', 'sen', 'rep', 'prof', 'inc', 'ltd', 'co', 'corp', 'fig', 'al', 'etc', 'approx', 'dept', 'est', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'e.g', 'i.e', 'u.s', 'u.k']);

/** `sentenceRanges` as it was, with its regex (reference for the differential test). */
function sentenceRangesByRegex(text: string, from = 0, to = text.length): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const pushTrimmed = (start: number, end: number) => {
    while (start < end && /\s/u.test(text[start]!)) start++;
    while (end > start && /\s/u.test(text[end - 1]!)) end--;
    if (end > start) out.push([start, end]);
  };
  const isAbbreviation = (sentenceStart: number, dot: number) => {
    let i = dot;
    while (i > sentenceStart && /[\p{L}.]/u.test(text[i - 1]!)) i--;
    const word = text.slice(i, dot).toLowerCase();
    return word.length === 1 || ABBREVIATIONS.has(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word);
  };
  let lineStart = from;
  while (lineStart < to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let sentenceStart = lineStart;
    SENTENCE_END_REGEX.lastIndex = lineStart;
    const line = text.slice(0, lineEnd);
    for (let m = SENTENCE_END_REGEX.exec(line); m; m = SENTENCE_END_REGEX.exec(line)) {
      const end = m.index + m[0].length;
      if (m[0][0] === '.' && isAbbreviation(sentenceStart, m.index)) continue;
      pushTrimmed(sentenceStart, end);
      sentenceStart = end;
    }
    pushTrimmed(sentenceStart, lineEnd);
    lineStart = lineEnd + 1;
  }
  return out;
}

/** The heading regex `chunkDocument` used before `headingText`. */
const HEADING_REGEX = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/u;

/** Short texts made of the pieces each rule looks at. */
const textOf = (pieces: string[], maxLength: number) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(''));

describe('the linear sentence scan and heading parser cut as the regexes did', () => {
  it('keeps CHUNKER_VERSION: cuts of plain text did not change', () => {
    // 4: Markdown table pieces carry their header row; 5: Markdown paragraphs of a section
    // merged while they fit; 6: inline HTML in Markdown prose is markup; 7: nested fences, Python-Markdown
    // and MyST blocks; 8: headings without attribute lists; 9: TOML front matter; 10: Liquid, shortcode
    // and TOC marker lines; 11: code languages without site-generator suffixes; 12: indented marker lines;
    // 13: HTML blocks' text; 14: MDX parsed as MDX; 15: HTML blocks cut at comments; 16: runs of list prose
    // end where runs outside lists do, mdBook directives; 17: module statements in `.md`;
    // 18: files with a byte order mark; 19: MDX-comment heading ids;
    // 20: the heading that names a page; 21: attribute-list lines, MyST options, long tables;
    // 22: template syntax and character references as markup; 23: navigation lists, Nextra ids;
    // 24: template-tag code; 25: MyST targets, options, toctrees;
    // 26: Liquid in HTML blocks, a closing `:::` under a table; 27: titled blocks in sections, runs cut at
    // their edges; 28: an HTML heading alone is no passage; 29: nor a widget; 30: block quote markers
    // opening a passage (Markdown only); 31: heading ids with dots; 32: a `:::` line inside a paragraph;
    // 33: a list ending in a colon runs on into its paragraph; 34: include lines, nested PyMdown blocks.
    // Plain-text cuts are those of 3.
    expect(CHUNKER_VERSION).toBe(34);
  });

  it('sentenceRanges finds the same sentences as the SENTENCE_END regex', () => {
    const sentencePieces = [
      ...['.', '.', '!', '?', '…', '"', "'", '”', '’', ')', ']', '“', '‘', '(', '[', ' ', ' ', '\n', '\u00a0', '\t'],
      ...['. ', '. ', '?! ', '… ', '.\n'],
      ...[...'"\'”’)]'].map((close) => `.${close} `),
      ...[...'"\'“‘(['].map((open) => ` ${open}`),
      ...['a', 'word', 'A', 'B', 'Word', '1', 'É', 'é', '𝐀', '😀', 'Mr', 'etc', 'e.g', 'U.S', 'x.y'],
    ];
    fc.assert(
      fc.property(textOf(sentencePieces, 40), fc.nat(), fc.nat(), (text, a, b) => {
        expect(sentenceRanges(text)).toEqual(sentenceRangesByRegex(text));
        // A window of the text, as chunkDocument passes one line and quote.ts a passage.
        const [from, to] = [Math.min(a, b) % (text.length + 1), Math.max(a, b) % (text.length + 1)].sort((x, y) => x - y) as [number, number];
        expect(sentenceRanges(text, from, to)).toEqual(sentenceRangesByRegex(text, from, to));
      }),
      { numRuns: 3000 },
    );
  });

  it('sentenceRanges on known cases', () => {
    const text = 'Dr. Smith came. He said "Go!" Then (U.S. law) said: no. 2 cats… Fine\nNext line. Then e.g. A test';
    const sentences = sentenceRanges(text).map(([s, e]) => text.slice(s, e));
    expect(sentences).toEqual(['Dr. Smith came.', 'He said "Go!"', 'Then (U.S. law) said: no. 2 cats…', 'Fine', 'Next line.', 'Then e.g. A test']);
    expect(sentences).toEqual(sentenceRangesByRegex(text).map(([s, e]) => text.slice(s, e)));
  });

  it('headingText captures what the heading regex captured', () => {
    const headingPieces = ['#', '#', '#', '######', ' ', ' ', '\t', '\u00a0', 'a', 'B', 'é', '\r', '\n', '\u2028', '\u2029', '.', '😀'];
    fc.assert(
      fc.property(textOf(headingPieces, 16), (line) => {
        expect(headingText(line)).toBe(HEADING_REGEX.exec(line)?.[1]);
      }),
      { numRuns: 5000 },
    );
  });

  it('headingText on known cases', () => {
    const lines = ['# Title', '   ### Title ###  ', '    # Too indented', '####### Seven', '#NoSpace', '# Title # not closing', '# ###', '#   ', '# a\rb', '## C# and F# ##', '#\t\u2028'];
    for (const line of lines) expect(headingText(line), JSON.stringify(line)).toBe(HEADING_REGEX.exec(line)?.[1]);
    expect(headingText('## C# and F# ##')).toBe('C# and F#');
  });

  it('cuts a long line without spaces into pieces of exactly maxChars, as before', () => {
    const text = 'y'.repeat(7 * 700 + 5);
    const { chunks } = chunkDocument(text);
    expect(chunks.map((c) => c.text.length)).toEqual([700, 700, 700, 700, 700, 700, 700, 5]);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
  });

  it('cuts a long line at the last space that fits in each piece', () => {
    const word = 'abcdefghi'; // 9 letters + a space: cuts fall after every 70th word
    const text = Array.from({ length: 300 }, () => word).join(' ');
    const { chunks } = chunkDocument(text);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(700);
      expect(chunk.text.startsWith(word)).toBe(true);
      expect(chunk.text.endsWith(word)).toBe(true);
    }
    expect(chunks.map((c) => c.text).join(' ')).toBe(text);
  });
});
