/**
 * End to end: questions asked by mentioning the real bot on the local Discord — in a thread
 * (a reply there), in a channel (a thread named after the question, answered inside), with
 * no question (short help), and with @everyone or role mentions that must not ping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/local-discord/index.ts';
import { expectNoViolations, NO_PINGS_JSON, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const repliesTo = (botId: string, question: StoredMessage) => (m: StoredMessage) =>
  m.author.id === botId && (m.message_reference as { message_id?: string } | undefined)?.message_id === question.id;

describe('mentions against the local Discord', () => {
  it('a mention in a thread is answered with a reply in that thread', async () => {
    const { ld } = h;
    const question = ld.sendMessage(ld.members.alice, ld.channels.thread, "who is Putin's chef?", { mentionBot: true });
    expect(question.content).toBe(`<@${ld.botUserId}> who is Putin's chef?`);
    const reply = await ld.waitForMessage(ld.channels.thread, repliesTo(ld.botUserId, question));
    expect(reply.embeds[0]!.title).toBe("who is Putin's chef?");
    expect(reply.embeds[0]!.description).toMatch(/Prigozhin/);
    expect(reply.allowed_mentions).toEqual(NO_PINGS_JSON);
    // No new thread for a question asked in a thread.
    expect(ld.threads().map((t) => t.id)).toEqual([ld.channels.thread]);
    expectNoViolations(ld);
  });

  it('a mention in a channel opens a thread named after the question and answers inside it', async () => {
    const { ld } = h;
    const text = 'Which candidate did Putin say was predictable?';
    const question = ld.sendMessage(ld.members.bob, ld.channels.general, text, { mentionBot: true });
    const thread = await ld.waitForThread((t) => t.message_id === question.id);
    expect(thread).toMatchObject({ id: question.id, name: text, parent_id: ld.channels.general });
    const answer = await ld.waitForMessage(thread.id, (m) => m.author.id === ld.botUserId);
    expect(answer.embeds[0]!.title).toBe(text);
    expect(answer.embeds[0]!.description).toMatch(/Biden/);
    expect(answer.allowed_mentions).toEqual(NO_PINGS_JSON);
    // Answered once, in the thread only.
    expect(ld.messages(ld.channels.general).filter((m) => m.author.id === ld.botUserId && m.message_reference)).toEqual([]);
    expectNoViolations(ld);
  });

  it('a 300-character question in a channel gets a thread name of at most 100 characters', async () => {
    const { ld } = h;
    const text = ('In which years did Putin say the United States meddled in Russian politics and elections, according to the interviews? ').repeat(3).slice(0, 300);
    const question = ld.sendMessage(ld.members.alice, ld.channels.general, text, { mentionBot: true });
    const thread = await ld.waitForThread((t) => t.message_id === question.id);
    expect(thread.name.length).toBeLessThanOrEqual(100);
    expect(thread.name.endsWith('…')).toBe(true);
    const answer = await ld.waitForMessage(thread.id, (m) => m.author.id === ld.botUserId);
    expect(answer.embeds[0]!.title!.length).toBeLessThanOrEqual(256);
    expect(answer.embeds[0]!.description).toMatch(/meddl/i);
    expectNoViolations(ld);
  });

  it('an empty mention gets a short help, as a reply and without a thread', async () => {
    const { ld } = h;
    const threadsBefore = ld.threads().length;
    const question = ld.sendMessage(ld.members.alice, ld.channels.general, '', { mentionBot: true });
    const reply = await ld.waitForMessage(ld.channels.general, repliesTo(ld.botUserId, question));
    expect(reply.content).toMatch(/^Ask me a question after the mention/);
    expect(reply.allowed_mentions).toEqual(NO_PINGS_JSON);
    expect(ld.threads()).toHaveLength(threadsBefore);
    expectNoViolations(ld);
  });

  it('a mention with @everyone and a role mention is answered with pings disabled', async () => {
    const { ld } = h;
    const question = ld.sendMessage(ld.members.bob, ld.channels.thread, 'Did China deploy interference efforts ahead of the vote?', {
      mentionBot: true,
      mentionEveryone: true,
      mentionRoles: [ld.roles.moderator],
    });
    expect(question.content).toContain('@everyone');
    expect(question.content).toContain(`<@&${ld.roles.moderator}>`);
    const reply = await ld.waitForMessage(ld.channels.thread, repliesTo(ld.botUserId, question));
    expect(reply.allowed_mentions).toEqual(NO_PINGS_JSON);
    expect(reply.embeds[0]!.description).toMatch(/China/);
    expectNoViolations(ld);
  });

  it('ignores messages that do not mention the bot, and its own messages', async () => {
    const { ld } = h;
    const before = ld.messages(ld.channels.thread).length;
    ld.sendMessage(ld.members.alice, ld.channels.thread, "who is Putin's chef?");
    // A mention after it is answered; the plain message before it never is.
    const mention = ld.sendMessage(ld.members.alice, ld.channels.thread, 'Who finances NGOs according to Putin?', { mentionBot: true });
    await ld.waitForMessage(ld.channels.thread, repliesTo(ld.botUserId, mention));
    const fromBot = ld.messages(ld.channels.thread).slice(before).filter((m) => m.author.id === ld.botUserId);
    expect(fromBot).toHaveLength(1);
    expectNoViolations(ld);
  });
});
