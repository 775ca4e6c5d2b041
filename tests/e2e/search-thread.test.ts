/**
 * End to end with every question answered on the bot's search thread (as it is for large
 * indexes): a burst of /ask, a late interaction deferred then edited, and More — each
 * interaction acknowledged exactly once, with what `ask` gives in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { renderAnswer } from '../../src/discord/render/answer.ts';
import { buttonIds, expectNoViolations, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ searchThreadFromPassages: 0 });
});
afterAll(async () => {
  await h?.stop();
});

const QUESTIONS = ["Who is Putin's chef?", 'Did China interfere in the election?', 'Which magazine reported the apology?', 'How do I bake sourdough bread at home?', 'Facebook fake accounts midterms'];

describe('the bot with its search thread', () => {
  it('answers a burst of questions, each once, exactly as asked in place', async () => {
    const { ld } = h;
    const asked = Array.from({ length: 30 }, (_, i) => QUESTIONS[i % QUESTIONS.length]!);
    const handles = asked.map((question) => ld.slashCommand(ld.members.alice, 'ask', { question }));
    const replies = await Promise.all(handles.map((handle) => handle.waitForReply()));
    replies.forEach((reply, i) => {
      const expected = renderAnswer(ask(h.bot.ctx.library.index, asked[i]!)).embeds![0]!;
      expect(reply.message!.embeds[0]!.description).toBe(expected.description);
      expect(handles[i]!.callbacks).toHaveLength(1);
    });
    expectNoViolations(ld);
  });

  it('defers an interaction that arrives late, then edits in the answer; More pages through the thread', async () => {
    const { ld } = h;
    const late = ld.slashCommand(ld.members.alice, 'ask', { question: 'Putin election interference', results: 2 }, { createdAgoMs: 2000 });
    expect((await late.waitForAck()).type).toBe(5);
    const answer = await late.waitForEdit();
    expect(answer.embeds[0]!.description).toMatch(/Putin/);
    expect(late.callbacks).toHaveLength(1);

    const more = await ld.pressButton(ld.members.bob, answer, buttonIds(answer)[0]!).waitForReply();
    const secondPage = renderAnswer(ask(h.bot.ctx.library.index, 'Putin election interference', { top: 2, offset: 2 })).embeds![0]!;
    expect(more.message!.embeds[0]!.description).toBe(secondPage.description);
    expectNoViolations(ld);
  });
});
