import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask, unansweredPhraseLine, unmatchedPhraseLine, type Answer } from '../../src/core/answer.ts';
import { VerbatimIndex as MemoryIndex } from '../../src/engine/verbatim-index.ts';
import { renderAnswerText } from '../../src/terminal/render.ts';
import { answerJson } from '../../src/cli/ask.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { parseQuery, QueryError } from '../../src/core/query.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { corpusCopy, fileRecord, fold } from '../helpers.ts';

interface Fixture {
  onTopic: Array<{ question: string; source: string; answer: string }>;
  offTopic: string[];
}
const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures', 'questions.json'), 'utf8')) as Fixture;

let index: VerbatimIndex;
let corpusDir: string;
beforeAll(async () => {
  const location = corpusCopy();
  corpusDir = location.corpusDir;
  index = (await openIndex(location)).index;
});

/** Every `…`-separated piece of every quote is in the source file at the cited lines. */
function expectVerbatim(answer: Answer): void {
  for (const result of answer.results) {
    const lines = readFileSync(path.join(corpusDir, result.source), 'utf8').split('\n');
    const cited = fold(lines.slice(result.lines[0] - 1, result.lines[1]).join('\n'));
    const pieces = result.quote.split('…').map((piece) => piece.trim()).filter(Boolean);
    expect(pieces.length).toBeGreaterThan(0);
    for (const piece of pieces) expect(cited, `${result.source}:${result.lines}`).toContain(piece);
    // Highlights fall on whole words of the quote.
    for (const [start, end] of result.highlights) {
      expect(result.quote.slice(start, end)).toMatch(/^[\p{L}\p{N}]/u);
      expect(/[\p{L}\p{N}]/u.test(result.quote[end] ?? ' ')).toBe(false);
    }
  }
}

describe('questions in our own words on the bundled corpus', () => {
  it('finds the right file at rank 1 and the answer in a top-3 quote for at least 90%', () => {
    expect(fixture.onTopic.length).toBeGreaterThanOrEqual(20);
    let rightFile = 0;
    let answerQuoted = 0;
    for (const { question, source, answer } of fixture.onTopic) {
      const result = ask(index, question, { top: 3 });
      expectVerbatim(result);
      if (result.results[0]?.source === source) rightFile++;
      if (result.results.some((r) => r.quote.includes(answer))) answerQuoted++;
    }
    expect(rightFile / fixture.onTopic.length).toBeGreaterThanOrEqual(0.9);
    expect(answerQuoted / fixture.onTopic.length).toBeGreaterThanOrEqual(0.9);
  });

  it('answers off-topic questions with "not in the corpus"', () => {
    expect(fixture.offTopic.length).toBeGreaterThanOrEqual(5);
    for (const question of fixture.offTopic) {
      const result = ask(index, question);
      expect(result.answered, question).toBe(false);
      expect(result.results).toEqual([]);
    }
  });
});

describe('quotes', () => {
  it('are verbatim at the cited lines for many questions, including long passages', () => {
    const questions = [
      ...fixture.onTopic.map((q) => q.question),
      'election interference Russia',
      'Kamala Harris campaign',
      'Putin Biden predictable Harris Democratic Party choice',
      'social media manipulation AI-generated content',
      'Facebook advertising purchased Russians',
    ];
    for (const question of questions) expectVerbatim(ask(index, question, { top: 5, requireRelevance: false }));
  });

  it('cuts a long passage to whole sentences around the matches, marked with …', () => {
    // 001 has ~500–700 character passages; a narrow question gets a narrower quote.
    const result = ask(index, 'Raffensperger bomb threats Atlanta', { top: 1 });
    const [top] = result.results;
    expect(top?.source).toBe('001_0c23c17dab99acbd.txt');
    expect(top!.quote).toContain('Raffensperger');
    expect(top!.quote.length).toBeLessThan(600);
    expectVerbatim(result);
  });

  it('fold non-breaking spaces to plain spaces', () => {
    const result = ask(index, 'majority of advertising purchased by Russians on Facebook');
    expect(result.results[0]?.quote).toContain('occurred after the election');
    expect(result.results[0]?.quote).not.toContain('\u00a0');
  });

  it('report other places of a duplicated passage', () => {
    const result = ask(index, 'Iran multi-pronged covert influence campaign weaken support');
    const top = result.results[0]!;
    expect(top.source).toBe('003_c6d5608b06e78f00.txt');
    expect(top.also).toHaveLength(1);
  });
});

describe('query syntax', () => {
  it('"exact phrase" keeps only passages containing it', () => {
    const result = ask(index, '"megaphone diplomacy"', { top: 5 });
    expect(result.results.length).toBeGreaterThan(0);
    for (const r of result.results) expect(r.quote.toLowerCase()).toContain('megaphone diplomacy');
    expect(result.unmatchedPhrases).toBeUndefined();
  });

  it('“curly quotes”, as iOS types them, make a phrase too', () => {
    expect(parseQuery('why “megaphone diplomacy” and "state department”', index.analyzer).phrases).toEqual([['megaphone', 'diplomacy'], ['state', 'department']]);
    const curly = ask(index, 'what is “diplomacy megaphone”', { top: 5 });
    expect(curly.unmatchedPhrases).toEqual(['diplomacy megaphone']);
    const found = ask(index, 'Russia “megaphone diplomacy”', { top: 5 });
    expect(found.results.length).toBeGreaterThan(0);
    for (const r of found.results) expect(r.quote.toLowerCase()).toContain('megaphone diplomacy');
  });

  it('"a phrase" that passages have but none answers is searched as its words where they answer, and the answer says so', () => {
    // A name quoted inside a pasted warning: the user's own injection key, which the docs use elsewhere.
    const docs = new MemoryIndex();
    docs.apply([
      fileRecord('site.md', 'Site settings', ['Pick a theme for the site in the config file: light or dark.', 'Set the language of the site in the same file.']),
      fileRecord('inject.md', 'Provide / Inject', [
        'Inject the value with inject() in any descendant component.',
        'To make an injection optional when no ancestor provides it, declare a default value for the injected property.',
      ]),
      fileRecord('slots.md', 'Slots', ['Slots let a parent pass template content to a child.']),
    ], []);
    const pasted = ask(docs, 'warning: injection "theme" not found, how do i make the injection optional when no ancestor provides it');
    expect(pasted.answered).toBe(true);
    expect([pasted.results[0]!.source, pasted.results[0]!.lines]).toEqual(['inject.md', [2, 2]]);
    expect(pasted.unansweredPhrases).toEqual(['theme']);
    expect(pasted.unmatchedPhrases).toBeUndefined();
    expect(JSON.parse(answerJson(pasted)).unansweredPhrases).toEqual(['theme']);
    expect(unansweredPhraseLine(pasted.unansweredPhrases)).toBe('No passage with "theme" answers; showing passages with its words.');
    expect(renderAnswerText(pasted, { color: false }).split('\n')[0]).toBe('No passage with "theme" answers; showing passages with its words.');
    // A phrase whose passages answer stays a filter; /search (no answer rule) keeps it as typed.
    expect(ask(docs, '"default value" for an optional injection').unansweredPhrases).toBeUndefined();
    expect(ask(docs, 'warning: injection "theme" not found, how do i make the injection optional when no ancestor provides it', { requireRelevance: false }).results.map((r) => r.source)).toEqual(['site.md']);
    // Off-topic words stay off-topic: the phrase is not dropped to answer with anything.
    const offTopic = ask(docs, 'best "theme" park rides for kids');
    expect(offTopic.answered).toBe(false);
    expect(offTopic.unansweredPhrases).toBeUndefined();
  });

  it('"a phrase" no passage contains is searched as its words, and the answer says so', () => {
    // A pasted message the corpus never says: as a filter it left the question with nothing.
    const pasted = ask(index, 'what is "diplomacy megaphone"', { top: 5 });
    expect(pasted.unmatchedPhrases).toEqual(['diplomacy megaphone']);
    expect(pasted.answered).toBe(true);
    expect(pasted.results[0]!.quote.toLowerCase()).toContain('megaphone diplomacy');
    expect(JSON.parse(answerJson(pasted)).unmatchedPhrases).toEqual(['diplomacy megaphone']);
    expect(unmatchedPhraseLine(pasted.unmatchedPhrases)).toBe('No passage contains "diplomacy megaphone"; showing passages with its words.');
    // Off-topic words stay off-topic.
    const offTopic = ask(index, '"sourdough starter recipe"');
    expect(offTopic.answered).toBe(false);
    expect(offTopic.unmatchedPhrases).toEqual(['sourdough starter recipe']);
  });

  it('-word excludes passages containing the word', () => {
    const all = ask(index, 'Peskov said', { top: 10, requireRelevance: false });
    expect(all.results.some((r) => /Putin/.test(r.quote))).toBe(true);
    const without = ask(index, 'Peskov said -putin', { top: 10, requireRelevance: false });
    expect(without.results.length).toBeGreaterThan(0);
    for (const r of without.results) expect(r.quote).not.toMatch(/Putin/);
  });

  it('a pasted command-line option, negative number or file:/// URL is searched as words, not read as syntax', () => {
    // `vitest --inspect-brk` excluded the passages about inspect-brk; a stack trace's
    // `at file:///…/index.js:40:17` made the whole question "No file …" (now the frame is
    // not searched at all, `paste.test.ts`).
    const parsed = parseQuery('why does vitest --inspect-brk -g return -1 -putin at file:///home/me/bot/index.js:40:17', index.analyzer);
    expect(parsed.excluded).toEqual(['putin']);
    expect(parsed.file).toBeUndefined();
    for (const term of ['inspect', 'brk', 'g', '1']) expect(parsed.terms).toContain(term);
    for (const term of ['home', 'index', '40']) expect(parsed.terms).not.toContain(term);
    const option = ask(index, 'what did Peskov say --putin', { top: 10, requireRelevance: false });
    expect(option.results.some((r) => /Putin/.test(r.quote))).toBe(true);
    const trace = ask(index, 'Oliver Stone documentary at file:///home/me/bot/index.js:40:17', { top: 3, requireRelevance: false });
    expect(trace.results[0]!.source).toBe('004_18fad831f6d1eeb5.txt');
  });

  it('file:NAME restricts to one source (full name, stem or unique prefix)', () => {
    for (const name of ['004_18fad831f6d1eeb5.txt', '004_18fad831f6d1eeb5', '004']) {
      const result = ask(index, `interference file:${name}`, { top: 5, requireRelevance: false });
      expect(result.results.length).toBeGreaterThan(0);
      for (const r of result.results) expect(r.source).toBe('004_18fad831f6d1eeb5.txt');
    }
    expect(() => ask(index, 'interference file:nope.txt')).toThrow(/No file "nope.txt"/);
    expect(() => ask(index, 'interference file:00')).toThrow(/matches 5 files/);
  });

  it('rejects input that cannot be searched with a clear QueryError', () => {
    expect(() => ask(index, '')).toThrow(QueryError);
    expect(() => ask(index, '   \n ')).toThrow(/empty/);
    expect(() => ask(index, '?!?! … ---')).toThrow(/no words/);
    expect(() => ask(index, 'what is the')).toThrow(/no searchable words/);
    expect(() => ask(index, 'a'.repeat(10_000))).toThrow(/too long/);
  });

  it('survives hostile input', () => {
    for (const input of ['"unclosed phrase', '-', 'file:', '\u0000\u202e@everyone <@123>', '😀'.repeat(100), '"" -"" file:""', '((((', '\\']) {
      try {
        const result = ask(index, input);
        expectVerbatim(result);
      } catch (error) {
        expect(error).toBeInstanceOf(QueryError);
      }
    }
  });

  it('pages with offset and says whether more exist', () => {
    const first = ask(index, 'Russia election interference', { top: 2 });
    const second = ask(index, 'Russia election interference', { top: 2, offset: 2 });
    expect(first.more).toBe(true);
    expect(second.offset).toBe(2);
    expect(second.results.map((r) => r.passageId)).not.toContain(first.results[0]!.passageId);
  });
});
