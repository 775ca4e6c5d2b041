/**
 * A help channel's frame around a question — greetings, "quick question", "anyone know", "can
 * someone help me with", "thanks in advance" — is not searched (`src/core/framing.ts`): framed,
 * the guide's questions keep the top file they get plain. Where no frame stands, its words are words.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { withoutFraming } from '../../src/core/framing.ts';
import { parseQuery } from '../../src/core/query.ts';
import { Analyzer } from '../../src/core/analyzer.ts';
import { openIndex } from '../../src/library/indexer.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { tempDir } from '../helpers.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../../shared/corpora/discordjs-guide');
const questions = (JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/guide-questions.json'), 'utf8')) as { answerable: Array<{ question: string }> }).answerable;
const unframed = (question: string) => withoutFraming(question.split(' ')).join(' ');

describe('the frame around a question', () => {
  it('goes at the start of a clause, whole or as a lead-in, and at the end for thanks', () => {
    const framed: Array<[string, string]> = [
      ['hi guys, quick question: anyone know how to deploy commands? thanks in advance', 'how to deploy commands?'],
      ['i need help with buttons', 'buttons'],
      ['so i have an issue. my bot is offline', 'my bot is offline'],
      ['can someone help me? the bot does not start (sorry if this is a dumb question)', 'the bot does not start'],
      ['Hello everyone! Does anybody know why my embed is empty', 'why my embed is empty'],
    ];
    for (const [question, asked] of framed) expect(unframed(question)).toBe(asked);
  });

  it('stays where it is a question’s words: mid-clause, a bare lead-in "help", "is it possible to", a quoted phrase', () => {
    for (const question of ['how do i make a help command', 'help command not working', 'what is the question mark operator', 'is it possible to edit an embed', 'thanks to sharding my bot is faster, why', 'my bot says thanks in advance when it starts'])
      expect(unframed(question)).toBe(question);
    expect(parseQuery('"quick question" command', new Analyzer()).terms).toEqual(['quick', 'question', 'command']);
    // A question that is only a frame is searched as typed.
    expect(unframed('hello')).toBe('hello');
    expect(unframed('thanks in advance')).toBe('thanks in advance');
  });
});

describe('framed questions on the discord.js guide', () => {
  let guide: VerbatimIndex;
  beforeAll(async () => {
    guide = (await openIndex({ corpusDir: GUIDE, indexDir: path.join(tempDir(), 'index') })).index;
  });

  it('keep the top file they get plain, seven frames × every question of the set', () => {
    const frames = [(q: string) => `anyone know ${q}`, (q: string) => `can someone help me? ${q}`, (q: string) => `i need help, ${q}`, (q: string) => `quick question: ${q}`, (q: string) => `hello! ${q}`, (q: string) => `${q} thanks in advance`, (q: string) => `hi guys, i have a problem. ${q}`];
    const top = (question: string) => ask(guide, question).results[0]?.source ?? 'not found';
    const changed: string[] = [];
    for (const { question } of questions) {
      const plain = top(question);
      for (const frame of frames) if (top(frame(question)) !== plain) changed.push(frame(question));
    }
    // Before framing.ts: 39 of 336 changed.
    expect(changed).toEqual([]);
  });
});
