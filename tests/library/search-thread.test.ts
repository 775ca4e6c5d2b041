/**
 * The search thread answers exactly as `ask` does in place: same results for the same
 * index, `QueryError` for what cannot be searched, the new generation after a reindex, and
 * nothing lost when it is closed with questions held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { chunkDocument } from '../../src/core/chunk.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { QueryError } from '../../src/core/query.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { SearchThread } from '../../src/library/worker/search-thread.ts';
import { corpusCopy } from '../helpers.ts';

const QUESTIONS = [
  "Who is Putin's chef?",
  'Did China interfere in the election?',
  'Which magazine reported the apology?',
  'Facebook midterm elections "fake accounts"',
  'Putin -Trump',
  'sanctions file:000',
  'How do I bake sourdough bread at home?',
];

let index: VerbatimIndex;
const thread = new SearchThread({ fromPassages: 0 });
beforeAll(async () => {
  index = (await openIndex(corpusCopy())).index;
});
afterAll(async () => {
  await thread.close();
});

/** An answer without its timing, which differs run to run. */
function comparable(answer: ReturnType<typeof ask>) {
  const { tookMs: _, ...rest } = answer;
  return rest;
}

describe('SearchThread', () => {
  it('answers on the worker exactly as ask() does in place, questions in flight together', async () => {
    const options = [{}, { top: 5 }, { top: 2, offset: 2 }, { requireRelevance: false, top: 10 }];
    const asked = QUESTIONS.flatMap((question) => options.map((option) => ({ question, option })));
    const answers = await Promise.all(asked.map(({ question, option }) => thread.ask(index, question, option)));
    answers.forEach((answer, i) => expect(comparable(answer)).toEqual(comparable(ask(index, asked[i]!.question, asked[i]!.option))));
    expect(answers.some((answer) => answer.answered)).toBe(true);
  });

  it('rejects with QueryError where ask() throws it', async () => {
    expect(() => ask(index, 'file:no-such-file putin')).toThrow(QueryError);
    await expect(thread.ask(index, 'file:no-such-file putin')).rejects.toThrow(QueryError);
    await expect(thread.ask(index, 'the of and')).rejects.toBeInstanceOf(QueryError);
  });

  it('answers from the generation it is given: a changed index is posted before its questions', async () => {
    const before = await thread.ask(index, 'zebrafish fins regrow', { requireRelevance: false });
    expect(before.results).toEqual([]);
    const { title, chunks } = chunkDocument('Zebrafish\n\nZebrafish regrow their fins within two weeks.\n');
    // A second index over the same generation, changed without touching the first.
    const changed = VerbatimIndex.fromSnapshot(index.snapshot());
    changed.apply([{ source: 'zebrafish.txt', size: 1, mtimeMs: 0, sha256: 'x', title, chunks }], []);
    const [old, now] = await Promise.all([thread.ask(index, 'zebrafish fins regrow'), thread.ask(changed, 'zebrafish fins regrow')]);
    expect(old.results).toEqual([]);
    expect(now.results[0]?.source).toBe('zebrafish.txt');
  });

  it('indexes below its threshold are answered in place, and a closed thread loses nothing', async () => {
    const local = new SearchThread({ fromPassages: 0 });
    const held = QUESTIONS.map((question) => local.ask(index, question).catch((error: Error) => error));
    await local.close();
    const settled = await Promise.all(held);
    settled.forEach((answer, i) => {
      if (answer instanceof Error) expect(() => ask(index, QUESTIONS[i]!)).toThrow(answer.message);
      else expect(comparable(answer)).toEqual(comparable(ask(index, QUESTIONS[i]!)));
    });
    const inPlace = new SearchThread({ fromPassages: index.passageCount + 1 });
    expect(comparable(await inPlace.ask(index, QUESTIONS[0]!))).toEqual(comparable(ask(index, QUESTIONS[0]!)));
    await inPlace.close();
  });
});

