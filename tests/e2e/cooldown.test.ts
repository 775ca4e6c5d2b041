/**
 * End to end: the cooldown is declared per command (`cooldown` in `commands/ask.ts` and
 * `commands/search.ts`) and checked by the dispatcher before the command runs: past the
 * limit a member gets one private notice, other members and other commands are not held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoViolations, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ settings: { COOLDOWN: '2' } });
});
afterAll(async () => {
  await h?.stop();
});

describe('the cooldown, declared per command', () => {
  it('holds a member past the limit with one private notice; /search counts, /source and other members do not', async () => {
    const { ld } = h;
    const first = await ld.slashCommand(ld.members.alice, 'ask', { question: "Who is Putin's chef?" }).waitForReply();
    expect(first.message!.embeds[0]!.title).toBe("Who is Putin's chef?");
    await ld.slashCommand(ld.members.alice, 'search', { query: 'Prigozhin' }).waitForReply();
    const held = ld.slashCommand(ld.members.alice, 'ask', { question: 'Did China interfere in the election?' });
    const notice = await held.waitForReply();
    expect(notice.ephemeral).toBe(true);
    expect(notice.message!.content).toMatch(/^You're asking quickly — at most 2 questions per 30 s\. Try again <t:\d+:R>\.$/);
    expect(held.callbacks).toHaveLength(1);
    // Not a question: /source is not held.
    const source = await ld.slashCommand(ld.members.alice, 'source', { file: '000_0c2a6b0584480c89.txt', lines: '17' }).waitForReply();
    expect(source.message!.embeds[0]!.description).toMatch(/17/);
    // Another member asks freely.
    const bob = await ld.slashCommand(ld.members.bob, 'ask', { question: 'Did China interfere in the election?' }).waitForReply();
    expect(bob.message!.embeds[0]!.title).toBe('Did China interfere in the election?');
    expectNoViolations(ld);
  });
});
