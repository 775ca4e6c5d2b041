/**
 * Questions for an age, a sum of money or a count (`src/core/answer-type.ts`): answered only from
 * a passage that has one. The near-misses of the news paraphrase set ("How old is Dmitry
 * Peskov?") match the articles' names as well as a real question would; what they lack is the
 * answer itself.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { answerJson } from '../../src/cli/ask.ts';
import { renderAnswer } from '../../src/discord/render/answer.ts';
import { renderAnswerText } from '../../src/terminal/render.ts';
import { expectedAnswerType, hasAnswerOfType } from '../../src/core/answer-type.ts';
import { Analyzer } from '../../src/core/analyzer.ts';
import { openIndex } from '../../src/library/indexer.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { BUNDLED_CORPUS, corpusCopy, tempDir } from '../helpers.ts';

const analyzer = new Analyzer();
const typeOf = (question: string) => expectedAnswerType(analyzer.words(question));

describe('the answer a question asks for', () => {
  it('is an age, a sum of money or a count only when the question says so', () => {
    expect(typeOf('How old is Dmitry Peskov?')).toBe('age');
    expect(typeOf('what age was she when she joined')).toBe('age');
    expect(typeOf('how much cash did the troll farm burn on ads')).toBe('money');
    expect(typeOf("how much does nitro cost per month")).toBe('money');
    expect(typeOf('how expensive is the premium tier')).toBe('money');
    expect(typeOf('how many fields can an embed have')).toBe('count');
    // "how much" without money is an amount of anything; other questions ask for no type.
    expect(typeOf('how much memory does the cache use')).toBeUndefined();
    expect(typeOf('how do i get the old message content')).toBeUndefined();
    expect(typeOf('what did putin say about the olympics')).toBeUndefined();
  });

  it('is found in a passage by its form', () => {
    expect(hasAnswerOfType('The owl, now 12 years old, lives here.', 'age')).toBe(true);
    expect(hasAnswerOfType('a 57-year-old spokesman', 'age')).toBe(true);
    expect(hasAnswerOfType('Peskov, 57, said on Tuesday', 'age')).toBe(true);
    expect(hasAnswerOfType('He was born in Moscow.', 'age')).toBe(true);
    expect(hasAnswerOfType('Peskov said on Tuesday that 2018 was different.', 'age')).toBe(false);
    expect(hasAnswerOfType('The bid was £1.3bn.', 'money')).toBe(true);
    expect(hasAnswerOfType('It spent 4 million rubles on ads.', 'money')).toBe(true);
    expect(hasAnswerOfType('The bot is free of charge.', 'money')).toBe(true);
    expect(hasAnswerOfType('It spent heavily on ads in 2016.', 'money')).toBe(false);
    expect(hasAnswerOfType('An embed can have up to 25 fields.', 'count')).toBe(true);
    expect(hasAnswerOfType('Each input has a single output.', 'count')).toBe(true);
    // A year is a date, not a count.
    expect(hasAnswerOfType('Trump won the election in 2024.', 'count')).toBe(false);
  });
});

describe('asking for an age, a sum or a count', () => {
  let news: VerbatimIndex;
  let withProfile: VerbatimIndex;
  beforeAll(async () => {
    news = (await openIndex(corpusCopy())).index;
    // The news articles and one more that has the age and the sums the articles lack.
    const corpusDir = tempDir();
    for (const name of readdirSync(BUNDLED_CORPUS)) copyFileSync(path.join(BUNDLED_CORPUS, name), path.join(corpusDir, name));
    writeFileSync(
      path.join(corpusDir, 'profile.txt'),
      'Profile of the spokesman\n\nDmitry Peskov, the Kremlin spokesman, is 57 years old and has spoken for the Kremlin since 2012.\n\nThe troll farm spent about $1.25 million a month on its operations, and its Facebook ads cost $100,000.\n',
    );
    withProfile = (await openIndex({ corpusDir, indexDir: tempDir() })).index;
  });

  it('refuses a question whose names the corpus has but not the age, sum or count it asks for', () => {
    for (const question of ['How old is Dmitry Peskov?', "how much cash did prigozhin's troll farm burn on facebook ads", 'how many electoral votes did trump get in 2024']) {
      expect(ask(news, question).answered, question).toBe(false);
    }
    // The same names without the type: answered.
    expect(ask(news, 'What did Dmitry Peskov say about the United States?').answered).toBe(true);
  });

  it('says why: the passages that match give no age, sum or number (Discord, terminal, --json)', () => {
    const refused = ask(news, 'How old is Dmitry Peskov?');
    expect(refused.lacking).toBe('age');
    expect(renderAnswer(refused).embeds![0]!.description).toMatch(/^\*\*Not found in the corpus\.\*\* The passages that match your question give no age\. I only answer with quotes/);
    expect(renderAnswerText(refused, { color: false })).toMatch(/^Not found in the corpus\. The passages that match your question give no age\.\n/);
    expect(JSON.parse(answerJson(refused))).toMatchObject({ answered: false, lacking: 'age' });
    expect(ask(news, 'how many electoral votes did trump get in 2024').lacking).toBe('count');
    // Refused for what it matches, not for a missing type: said as before.
    const offTopic = ask(news, 'how much money does a sourdough bakery need to start');
    expect(offTopic.answered).toBe(false);
    expect(offTopic.lacking).toBeUndefined();
    expect(renderAnswer(offTopic).embeds![0]!.description).toContain('No passage matches enough of your question');
    expect(JSON.parse(answerJson(offTopic))).not.toHaveProperty('lacking');
  });

  it('answers from the passage that has it', () => {
    const age = ask(withProfile, 'How old is Dmitry Peskov?');
    expect(age.answered).toBe(true);
    expect(age.results[0]!.source).toBe('profile.txt');
    expect(age.results[0]!.quote).toContain('57 years old');
    const money = ask(withProfile, 'how much money did the troll farm spend on facebook ads');
    expect(money.answered).toBe(true);
    expect(money.results[0]!.quote).toContain('$100,000');
  });

  it('still lists every match when relevance is not asked for (/search)', () => {
    expect(ask(news, 'How old is Dmitry Peskov?', { requireRelevance: false }).results.length).toBeGreaterThan(0);
  });
});
