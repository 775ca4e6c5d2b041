/**
 * End to end: the real bot (createBot) against the local Discord-compatible server —
 * every slash command and option, autocomplete, the More and Context buttons, questions
 * that try to ping, a 300-character question, a REST 500 and a gateway reconnect.
 */
import { Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonIds, embedText, expectNoViolations, NO_PINGS_JSON, plain, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('slash commands against the local Discord', () => {
  it('registers the commands as deploy-commands does, and the server keeps them', () => {
    const names = (h.ld.registeredCommands() as Array<{ name: string }>).map((c) => c.name).sort();
    expect(names).toEqual(['ask', 'help', 'reindex', 'search', 'source', 'stats']);
    // As in Discord's client, the definitions bound what a member can send.
    expect(() => h.ld.slashCommand(h.ld.members.alice, 'ask', { question: 'x', results: 9 })).toThrow(/outside 1–5/);
    expect(() => h.ld.slashCommand(h.ld.members.alice, 'ask', { question: 'x'.repeat(301) })).toThrow(/at most 300 characters/);
    expect(() => h.ld.slashCommand(h.ld.members.alice, 'ask', { results: 2 })).toThrow(/needs the option "question"/);
    expect(() => h.ld.slashCommand(h.ld.members.alice, 'search', { query: 'x', nope: 1 })).toThrow(/has no option "nope"/);
    expectNoViolations(h.ld);
  });

  it('/ask answers publicly with quotes, references and the More and Context buttons', async () => {
    const { ld } = h;
    const handle = ld.slashCommand(ld.members.alice, 'ask', { question: "Who is Putin's chef?" });
    const reply = await handle.waitForReply();
    expect(reply.type).toBe(4);
    expect(reply.ephemeral).toBe(false);
    const embed = reply.message!.embeds[0]!;
    expect(embed.title).toBe("Who is Putin's chef?");
    expect(embed.description).toMatch(/Prigozhin/);
    expect(plain(embed.description)).toMatch(/\n— 000_0c2a6b0584480c89\.txt · L17$/);
    expect(embed.footer?.text).toMatch(/passages searched .* quotes only, never paraphrased/);
    expect(buttonIds(reply.message)).toEqual([expect.stringMatching(/^more:[\w-]+:\d+$/), expect.stringMatching(/^ctx:[\w-]+$/)]);
    expect(reply.message!.allowed_mentions).toEqual(NO_PINGS_JSON);
    expect(handle.callbacks).toHaveLength(1);
    // The public reply is in the channel, authored by the bot, answering this interaction.
    expect(ld.messages(ld.channels.general).find((m) => m.id === reply.message!.id)).toMatchObject({ interactionId: handle.id, author: { id: ld.botUserId } });
    expectNoViolations(ld);
  });

  it('/ask results:1 private:true answers with one quote that only the asker sees', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.bob, 'ask', { question: 'Did China interfere in the election?', results: 1, private: true }).waitForReply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.message!.flags & 64).toBe(64);
    const description = reply.message!.embeds[0]!.description!;
    expect(description.match(/^— /gm)).toHaveLength(1);
    expect(description).toMatch(/China/);
    expectNoViolations(ld);
  });

  it('an interaction that waited in a queue is deferred first, then answered by an edit, privately when asked', async () => {
    const { ld } = h;
    const handle = ld.slashCommand(ld.members.alice, 'ask', { question: 'Which magazine reported the apology?', private: true }, { createdAgoMs: 2000 });
    const ack = await handle.waitForAck();
    expect(ack.type).toBe(5);
    expect(ack.ephemeral).toBe(true);
    const edit = await handle.waitForEdit();
    expect(edit.embeds[0]!.description).toMatch(/Wired/);
    expect(handle.callbacks).toHaveLength(1);
    expectNoViolations(ld);
  });

  it('/ask says "Not found in the corpus" for an off-topic question', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: 'How do I bake sourdough bread at home?' }).waitForReply();
    expect(reply.message!.embeds[0]!.description).toMatch(/\*\*Not found in the corpus\.\*\*/);
    expect(reply.message!.components).toEqual([]);
    expectNoViolations(ld);
  });

  it('/ask with a misspelt name says what it searched for instead, above the quotes', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: 'who is prigozin' }).waitForReply();
    const description = reply.message!.embeds[0]!.description!;
    expect(description).toMatch(/^Showing results for \*prigozhin\* \(you typed prigozin\)\.\n\n> /);
    expect(description).toMatch(/Prigozhin/);
    expectNoViolations(ld);
  });

  it('More shows the next quotes privately, and Context the cited lines with 3 around', async () => {
    const { ld } = h;
    const answer = (await ld.slashCommand(ld.members.alice, 'ask', { question: 'Putin election interference', results: 2 }).waitForReply()).message!;
    const [moreId, contextId] = buttonIds(answer);
    expect(moreId).toMatch(/:2$/);

    const more = await ld.pressButton(ld.members.bob, answer, moreId!).waitForReply();
    expect(more.type).toBe(4);
    expect(more.ephemeral).toBe(true);
    expect(more.message!.embeds[0]!.title).toBe('Putin election interference');
    expect(more.message!.embeds[0]!.description).not.toBe(answer.embeds[0]!.description);
    expect(buttonIds(more.message)[0]).toMatch(/:4$/);

    const context = await ld.pressButton(ld.members.bob, answer, contextId!).waitForReply();
    expect(context.ephemeral).toBe(true);
    expect(context.message!.embeds[0]!.title).toBe('Context of the cited lines');
    const description = context.message!.embeds[0]!.description!;
    expect(description).toMatch(/```\n/);
    // The first citation's line range, then numbered lines starting 3 before it.
    const cited = /L(\d+)/.exec(description)!;
    const firstLine = Math.max(1, Number(cited[1]) - 3);
    expect(description).toMatch(new RegExp(`\`\`\`\\n\\s*${firstLine}  `));
    // The public answer was not changed by the buttons.
    expect(ld.messages(ld.channels.general).find((m) => m.id === answer.id)!.embeds).toEqual(answer.embeds);
    expectNoViolations(ld);
  });

  it('/search lists passages, with file: and limit:', async () => {
    const { ld } = h;
    const all = await ld.slashCommand(ld.members.alice, 'search', { query: 'Putin' }).waitForReply();
    expect(all.message!.embeds[0]!.title).toBe('Search: Putin');
    expect(all.message!.embeds[0]!.description!.split('\n').filter((l) => /^\*\*\d+\.\*\*/.test(l))).toHaveLength(5);

    const limited = await ld.slashCommand(ld.members.alice, 'search', { query: 'Putin', file: '004_18fad831f6d1eeb5.txt', limit: 2 }).waitForReply();
    const lines = plain(limited.message!.embeds[0]!.description).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\*\*\d\.\*\* 004_18fad831f6d1eeb5\.txt · L\d+/);
    expect(limited.message!.embeds[0]!.footer?.text).toMatch(/^2 shown/);
    expectNoViolations(ld);
  });

  it('autocompletes file names for /search and /source, at most 25 choices', async () => {
    const { ld } = h;
    const choices = await ld.autocomplete(ld.members.alice, 'search', { query: 'Putin', file: '00' }, 'file').waitForReply();
    expect(choices.type).toBe(8);
    expect(choices.choices!.length).toBeGreaterThan(0);
    expect(choices.choices!.length).toBeLessThanOrEqual(25);
    expect(choices.choices!.map((c) => c.name)).toContain('003_c6d5608b06e78f00.txt');

    const one = await ld.autocomplete(ld.members.alice, 'source', { file: '003' }, 'file').waitForReply();
    expect(one.choices).toEqual([{ name: '003_c6d5608b06e78f00.txt', value: '003_c6d5608b06e78f00.txt' }]);
    const none = await ld.autocomplete(ld.members.alice, 'source', { file: 'zzz' }, 'file').waitForReply();
    expect(none.choices).toEqual([]);
    expectNoViolations(ld);
  });

  it('/source shows a whole document, or only the lines asked for', async () => {
    const { ld } = h;
    const whole = await ld.slashCommand(ld.members.alice, 'source', { file: '004' }).waitForReply();
    const text = embedText(whole.message);
    expect(text).toMatch(/^Putin Turns Tables/);
    expect(text).toMatch(/bytes · \d+ lines · \d+ passages/);
    expect(text).toMatch(/```\n\s*1  Putin Turns Tables/);

    const some = await ld.slashCommand(ld.members.alice, 'source', { file: '000_0c2a6b0584480c89.txt', lines: '17-18' }).waitForReply();
    const description = plain(some.message!.embeds[0]!.description);
    expect(description).toMatch(/^000_0c2a6b0584480c89\.txt · L17–18\n/);
    expect(description).toMatch(/```\n17  .*Prigozhin.*\n18  /s);
    expect(description).not.toMatch(/\n16  /);
    expectNoViolations(ld);
  });

  it('/source refuses ../../.env and bad line ranges, privately', async () => {
    const { ld } = h;
    const refused = await ld.slashCommand(ld.members.alice, 'source', { file: '../../.env' }).waitForReply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.message!.content).toBe('`../../.env` is not a file in the corpus.');
    expect(refused.message!.embeds).toEqual([]);
    const range = await ld.slashCommand(ld.members.alice, 'source', { file: '004', lines: '9-3' }).waitForReply();
    expect(range.message!.content).toMatch(/`lines` must be a line number or a range/);
    expectNoViolations(ld);
  });

  it('/stats and /help', async () => {
    const { ld } = h;
    const stats = await ld.slashCommand(ld.members.alice, 'stats').waitForReply();
    const fields = Object.fromEntries(stats.message!.embeds[0]!.fields!.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ Files: '5', Passages: expect.stringMatching(/^\d+$/), 'Index on disk': expect.stringMatching(/KiB|MiB|B$/) });
    expect(Number(fields['Questions answered since start'])).toBeGreaterThan(0);

    const help = await ld.slashCommand(ld.members.alice, 'help').waitForReply();
    expect(help.ephemeral).toBe(true);
    expect(embedText(help.message)).toMatch(/verbatim quote/);
    expect(embedText(help.message)).toMatch(/\/reindex/);
    expectNoViolations(ld);
  });

  it('a question with @everyone and a role mention is answered without pinging anyone', async () => {
    const { ld } = h;
    const question = `@everyone <@&${ld.roles.moderator}> @here who is Putin's chef?`;
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question }).waitForReply();
    expect(reply.message!.embeds[0]!.title).toContain('@everyone');
    expect(reply.message!.allowed_mentions).toEqual(NO_PINGS_JSON);
    expectNoViolations(ld);
  });

  it('a 300-character question is answered within the embed limits', async () => {
    const { ld } = h;
    const question = ("Who is Putin's chef, the man behind the troll farm that used social media platforms to meddle in the election? ".repeat(3)).slice(0, 300);
    expect(question).toHaveLength(300);
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question }).waitForReply();
    const embed = reply.message!.embeds[0]!;
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    expect(embed.title!.endsWith('…')).toBe(true);
    expect(embed.description).toMatch(/Prigozhin/);
    expectNoViolations(ld);
  });

  it('answers a member who joined after the bot connected', async () => {
    const { ld } = h;
    const carol = ld.addMember({ username: 'carol' });
    const reply = await ld.slashCommand(carol, 'ask', { question: 'How many pages was the Director of National Intelligence report?' }).waitForReply();
    expect(reply.message!.embeds[0]!.description).toMatch(/15\\-\*\*page\*\* \*\*report/);
    expectNoViolations(ld);
  });

  it('a REST 500 on one reply is logged and the user told; the next question is answered', async () => {
    const { ld, bot, logs } = h;
    // discord.js retries a 5xx `retries` times: fail every attempt of this one reply.
    const attempts = bot.client.rest.options.retries + 1;
    ld.failNext(/^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 500, attempts);
    const failed = ld.slashCommand(ld.members.alice, 'ask', { question: 'Who finances NGOs according to Putin?' });
    const told = await failed.waitForReply();
    expect(told.ephemeral).toBe(true);
    const ref = /Something went wrong \(ref ([0-9a-f]{6})\)/.exec(told.message!.content)?.[1];
    expect(ref).toBeDefined();
    expect(ld.requests.filter((r) => r.status === 500)).toHaveLength(attempts);
    const logged = logs.find((l) => l.msg === 'handler failed' && l.ref === ref);
    expect(logged).toMatchObject({ level: 50, kind: 'command', command: 'ask', err: { status: 500 } });

    const next = await ld.slashCommand(ld.members.bob, 'ask', { question: 'Who finances NGOs according to Putin?' }).waitForReply();
    expect(next.message!.embeds[0]!.description).toMatch(/State Department/);
    expectNoViolations(ld);
  });

  it('resumes after the server closes the gateway socket, and answers the question sent meanwhile', async () => {
    const { ld, bot } = h;
    const resumed = new Promise<void>((resolve) => bot.client.once(Events.ShardResume, () => resolve()));
    const identifiesBefore = ld.gatewayLog.filter((l) => l.startsWith('identify')).length;
    ld.closeGateway();
    // Dispatched while the bot is disconnected: kept in the session and replayed on RESUME.
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: 'Which magazine reported on the apology Goldman issued?' }).waitForReply(15_000);
    await resumed;
    expect(reply.message!.embeds[0]!.description).toMatch(/Wired/);
    expect(ld.gatewayLog.filter((l) => l.startsWith('identify'))).toHaveLength(identifiesBefore);
    expect(ld.gatewayLog.some((l) => l.startsWith('resume'))).toBe(true);
    const after = await ld.slashCommand(ld.members.bob, 'help').waitForReply();
    expect(after.ephemeral).toBe(true);
    expectNoViolations(ld);
  });
});
