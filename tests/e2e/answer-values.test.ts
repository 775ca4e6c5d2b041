/**
 * Cached answers are values: pressing More on an answer must not change what that answer's
 * Context button shows (the More handler once overwrote the remembered citations).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache } from '../../src/discord/answer-cache.ts';
import { buttonIds, embedText, expectNoViolations, plain, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** The `file · L12` / `file · L12–14` references a message shows, in order. */
function references(text: string): string[] {
  return [...plain(text).matchAll(/(\S+\.txt) · (L\d+(?:–\d+)?)/g)].map((m) => `${m[1]} ${m[2]}`);
}

describe('More, then Context on the first answer', () => {
  it("shows the first answer's own cited lines, not the More page's", async () => {
    const { ld } = h;
    const answer = (await ld.slashCommand(ld.members.alice, 'ask', { question: 'Putin election interference', results: 1 }).waitForReply()).message!;
    const [moreId, contextId] = buttonIds(answer);
    const shown = references(embedText(answer));
    expect(shown).toHaveLength(1);

    const more = (await ld.pressButton(ld.members.alice, answer, moreId!).waitForReply()).message!;
    const nextShown = references(embedText(more));
    expect(nextShown).toHaveLength(1);
    expect(nextShown).not.toEqual(shown);

    const context = (await ld.pressButton(ld.members.alice, answer, contextId!).waitForReply()).message!;
    expect(references(embedText(context))).toEqual(shown);
    // And the More page's own Context shows its own lines.
    const moreContext = (await ld.pressButton(ld.members.alice, more, buttonIds(more)[1]!).waitForReply()).message!;
    expect(references(embedText(moreContext))).toEqual(nextShown);
    expectNoViolations(ld);
  });
});

describe('buttons the bot does not know', () => {
  it('a forged or outdated button id gets a private notice, not an error', async () => {
    const { ld } = h;
    const answer = (await ld.slashCommand(ld.members.alice, 'ask', { question: 'Putin election interference' }).waitForReply()).message!;
    for (const id of ['unknown:1', 'reindex:full', 'x', '\u0000']) {
      const reply = await ld.pressForgedButton(ld.members.bob, answer, id).waitForReply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.message!.content).toMatch(/no longer does anything/);
      expect(reply.message!.content).not.toMatch(/went wrong/);
    }
    expect(h.logs.filter((line) => line.msg === 'handler failed')).toEqual([]);
    expectNoViolations(ld);
  });
});

describe('AnswerCache', () => {
  it('hands out frozen values that a caller cannot change', () => {
    const cache = new AnswerCache();
    const cited = [{ source: 'a.txt', lines: [1, 2] as [number, number] }];
    const key = cache.remember({ question: 'q', top: 3, cited });
    cited[0]!.lines[0] = 99; // the caller's own array changes later…
    const entry = cache.get(key)!;
    expect(entry.cited[0]!.lines).toEqual([1, 2]); // …the remembered copy does not
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.cited)).toBe(true);
    expect(Object.isFrozen(entry.cited[0]!.lines)).toBe(true);
    expect(() => ((entry as { cited: unknown }).cited = [])).toThrow(TypeError);
  });
});
