/**
 * Property-based tests (fast-check): for arbitrary Unicode questions and arbitrary corpus
 * files, `ask` throws nothing but a `QueryError`, every quote is exact at its cited lines,
 * and a question's cost depends on its distinct terms, not on its length.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask, type Answer } from '../../src/core/answer.ts';
import { Analyzer } from '../../src/core/analyzer.ts';
import { chunkDocument } from '../../src/core/chunk.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { MAX_QUESTION_CHARS } from '../../src/core/options.ts';
import { parseQuery, QueryError } from '../../src/core/query.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { foldWhitespace } from '../../src/core/text.ts';
import { corpusCopy, fold } from '../helpers.ts';

// A fixed seed: CI runs the same cases every time. To explore, change it and run this file.
fc.configureGlobal({ seed: 20261123 });

/** Characters that have meaning somewhere in the pipeline: query syntax, Markdown, escapes, odd Unicode. */
const HOSTILE = [
  '"', '-', '--', 'file:', 'file:00', '\\', '\\\\', '[', ']', '(', ')', '*', '_', '`', '```', '~', '|', '>', '#', '@everyone', '<@123>',
  '.', '...', '…', '!', '?', "'", '’', '\u00a0', '\u200b', '\u00ad', '\u200d', '\ufeff', '\u0301', '\t', '\n', '\r\n', ' ', 'U.S.', "Putin's",
  'e\u0301', 'ﬁ', 'ｐｕｔｉｎ', '𝔓𝔲𝔱𝔦𝔫', '😀', '👩‍👩‍👧', '\ud800', '\udfff', '0', '2016', '½',
];
const WORDS = ['Putin', 'chef', 'troll', 'farm', 'election', 'Facebook', 'Mueller', 'report', 'the', 'what', 'Stone', 'Kremlin', 'cells', 'China'];

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);
const question = fc.oneof(
  fc.array(token, { maxLength: 30 }).map((parts) => parts.join(' ')),
  fc.array(token, { maxLength: 30 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 1200 }),
);

/** Every `…`-separated piece of every quote is in `text` at the cited lines (whitespace folded). */
function expectExactQuotes(answer: Answer, textOf: (source: string) => string): void {
  for (const result of answer.results) {
    const lines = textOf(result.source).split('\n');
    expect(result.lines[0]).toBeGreaterThanOrEqual(1);
    expect(result.lines[1]).toBeLessThanOrEqual(lines.length);
    const cited = fold(lines.slice(result.lines[0] - 1, result.lines[1]).join('\n'));
    const pieces = result.quote.split('…').map((piece) => piece.trim()).filter(Boolean);
    expect(pieces.length).toBeGreaterThan(0);
    for (const piece of pieces) expect(cited).toContain(piece);
    for (const [start, end] of result.highlights) {
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(result.quote.length);
      expect(start).toBeLessThan(end);
    }
  }
}

/** `ask`, where only a `QueryError` may be thrown. */
function askOrQueryError(index: VerbatimIndex, q: string, options = {}): Answer | undefined {
  try {
    return ask(index, q, options);
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    return undefined;
  }
}

describe('arbitrary questions on the bundled corpus', () => {
  let index: VerbatimIndex;
  let corpusDir: string;
  const cache = new Map<string, string>();
  const textOf = (source: string) => cache.get(source) ?? cache.set(source, readFileSync(path.join(corpusDir, source), 'utf8')).get(source)!;
  beforeAll(async () => {
    const location = corpusCopy();
    corpusDir = location.corpusDir;
    index = (await openIndex(location)).index;
  });

  it('ask throws only QueryError, and every quote is exact at its lines', () => {
    fc.assert(
      fc.property(question, fc.boolean(), fc.integer({ min: 0, max: 6 }), (q, requireRelevance, offset) => {
        const answer = askOrQueryError(index, q, { requireRelevance, offset, top: 5 });
        if (answer) expectExactQuotes(answer, textOf);
      }),
      { numRuns: 400 },
    );
  });

  it('repeating a question changes neither its terms nor its answer', () => {
    const analyzer = new Analyzer();
    fc.assert(
      fc.property(question, fc.integer({ min: 2, max: 40 }), (q, times) => {
        const repeated = Array.from({ length: times }, () => q).join(' ');
        fc.pre(repeated.length <= MAX_QUESTION_CHARS && !q.includes('"'));
        let once: ReturnType<typeof parseQuery>;
        try {
          once = parseQuery(q, analyzer);
        } catch {
          return; // unsearchable once, unsearchable repeated (checked by the property above)
        }
        const many = parseQuery(repeated, analyzer);
        expect(many.terms).toEqual(once.terms);
        for (const term of once.terms) expect(many.termFrequency.get(term)).toBe(once.termFrequency.get(term)! * times);
        // The answer is the same passages (repeats scale every term's weight alike), or the
        // same refusal (an ambiguous `file:` stays ambiguous).
        const passages = (question: string) => askOrQueryError(index, question, { requireRelevance: false })?.results.map((r) => r.passageId);
        expect(passages(repeated)).toEqual(passages(q));
      }),
      { numRuns: 300 },
    );
  });
});

describe('arbitrary corpus files', () => {
  /** A file: words, hostile characters, blank lines, long lines, headings. */
  const line = fc.oneof(
    fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...WORDS) }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) }), { maxLength: 60 }).map((parts) => parts.join(' ')),
    fc.constantFrom('', ' ', '\u00a0', '\t', '# Heading', '```', '---'),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.integer({ min: 500, max: 3000 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 50, max: 400 }).map((n) => 'Putin. '.repeat(n)),
  );
  // Corpus files are decoded as strict UTF-8 (`corpus.ts`), so their text is well-formed: no lone surrogates.
  const file = fc.tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol).toWellFormed());

  it('every passage is the exact text at its lines, and every quote of any question is exact', () => {
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 3 }), fc.array(question, { maxLength: 5 }), fc.boolean(), (texts, questions, markdown) => {
        const files = texts.map((text, i) => {
          const { title, chunks } = chunkDocument(text, { markdown });
          const lines = text.split('\n');
          for (const chunk of chunks) {
            expect(chunk.text.length).toBeGreaterThan(0);
            expect(lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n')).toContain(chunk.text);
          }
          return { source: `f${i}.${markdown ? 'md' : 'txt'}`, size: text.length, mtimeMs: 0, sha256: String(i), title, chunks };
        });
        const index = new VerbatimIndex();
        index.apply(files, []);
        const textOf = (source: string) => texts[Number(source.slice(1, source.indexOf('.')))]!;
        // Questions made of the files' own words, and arbitrary ones.
        const own = texts.map((text) => text.split(/\s+/).filter(Boolean).slice(0, 8).join(' '));
        for (const q of [...own, ...questions]) {
          const answer = askOrQueryError(index, q, { requireRelevance: false, top: 5 });
          if (answer) expectExactQuotes(answer, textOf);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('whitespace folding', () => {
  it('its fast path (text already folded) agrees with the plain replace on arbitrary text', () => {
    const spaces = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2009', '\u3000', '\ufeff', '\u200b');
    const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), spaces), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(foldWhitespace(s)).toBe(s.replace(/\s+/gu, ' ').trim());
      }),
      { numRuns: 2000, seed: 20261123 },
    );
  });
});
