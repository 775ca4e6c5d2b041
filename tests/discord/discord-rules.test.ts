import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFER_AFTER_MS, deferWhenSlow } from '../../src/discord/bot.ts';
import { parseLineRange } from '../../commands/source.ts';
import { BackgroundReindexer } from '../../src/library/worker/background-reindex.ts';
import { parseConfig } from '../../src/config.ts';
import { AnswerCache } from '../../src/discord/answer-cache.ts';
import type { BotContext } from '../../src/discord/context.ts';
import { Cooldown } from '../../src/discord/cooldown.ts';
import { canReindex } from '../../src/discord/permissions.ts';
import { matchSources } from '../../src/discord/autocomplete.ts';
import { contextViews, readSource, SourceRefusedError } from '../../src/discord/source-files.ts';
import { COMMANDS } from '../../commands/index.ts';
import { commandDefinitions, commandRegistry } from '../../src/discord/registry.ts';
import { renderAnswer } from '../../src/discord/render/answer.ts';
import { deferResponse, NO_PINGS, replyToMessage, respond } from '../../src/discord/respond.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { silentLogger } from '../../src/logger.ts';
import { ask } from '../../src/core/answer.ts';
import { SearchThread } from '../../src/library/worker/search-thread.ts';
import { Library } from '../../src/library/library.ts';
import { corpusCopy } from '../helpers.ts';

let ctx: BotContext;
beforeAll(async () => {
  const location = corpusCopy();
  const opened = await openIndex(location);
  ctx = {
    config: parseConfig({ CORPUS_DIR: location.corpusDir, INDEX_DIR: location.indexDir }),
    logger: silentLogger,
    library: new Library(opened, new BackgroundReindexer(location), new SearchThread()),
    cooldown: new Cooldown(5),
    answers: new AnswerCache(),
    commands: COMMANDS,
  };
});

describe('/reindex permission rule', () => {
  const mods = ['111111111111111111'];
  it('allows Manage Server or Administrator', () => {
    expect(canReindex(PermissionFlagsBits.ManageGuild, [], mods)).toBe(true);
    expect(canReindex(PermissionFlagsBits.Administrator, [], [])).toBe(true);
  });
  it('allows a moderator role without the permission', () => {
    expect(canReindex(PermissionFlagsBits.SendMessages, ['222222222222222222', mods[0]!], mods)).toBe(true);
  });
  it('refuses everyone else, even with other permissions', () => {
    expect(canReindex(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages, ['222222222222222222'], mods)).toBe(false);
    expect(canReindex(null, [], mods)).toBe(false);
  });
});

describe('/source path refusal', () => {
  it.each(['../../.env', '/etc/passwd', '..\\..\\.env', 'C:\\Windows\\win.ini', 'index-data/../.env', '.env', '', 'nope.txt', '00'])('refuses %j', async (name) => {
    await expect(readSource(ctx, name)).rejects.toBeInstanceOf(SourceRefusedError);
  });
  it('reads an indexed file by name, stem or unique prefix', async () => {
    for (const name of ['004_18fad831f6d1eeb5.txt', '004_18fad831f6d1eeb5', '004']) {
      const { source, text } = await readSource(ctx, name);
      expect(source).toBe('004_18fad831f6d1eeb5.txt');
      expect(text).toMatch(/^Putin Turns Tables/);
    }
  });
  it('parses line ranges', () => {
    expect(parseLineRange('12-20')).toEqual([12, 20]);
    expect(parseLineRange(' 7 ')).toEqual([7, 7]);
    expect(parseLineRange('12–14')).toEqual([12, 14]);
    expect(parseLineRange('20-12')).toBeUndefined();
    expect(parseLineRange('0')).toBeUndefined();
    expect(parseLineRange('1; rm -rf')).toBeUndefined();
  });
  it('gives context with 3 lines around each citation', async () => {
    const [view] = await contextViews(ctx, [{ source: '000_0c2a6b0584480c89.txt', lines: [17, 17] }]);
    expect(view!.context.map((l) => l.number)).toEqual([14, 15, 16, 17, 18, 19, 20]);
  });
  it('reads a UTF-16 file as the index does, so the cited lines are the same', async () => {
    // Saved again as Windows Notepad's "Unicode" (UTF-16 with its byte order mark).
    const file = path.join(ctx.config.corpusDir, '002_2031ec2101c65bec.txt');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, Buffer.from(`\ufeff${original}`, 'utf16le'));
    expect((await readSource(ctx, '002')).text).toBe(original);
    const [view] = await contextViews(ctx, [{ source: '002_2031ec2101c65bec.txt', lines: [3, 3] }]);
    expect(view!.context.find((line) => line.number === 3)?.text).toBe(original.split('\n')[2]);
  });
  it('autocompletes files, prefix matches first, at most 25', () => {
    expect(matchSources(ctx, '003')[0]).toEqual({ name: '003_c6d5608b06e78f00.txt', value: '003_c6d5608b06e78f00.txt' });
    expect(matchSources(ctx, '').length).toBe(5);
    expect(matchSources(ctx, 'zzz')).toEqual([]);
  });
});

describe('cooldown', () => {
  it('allows COOLDOWN questions per 30 s per user, then says when to retry', () => {
    let now = 1_000_000;
    const cooldown = new Cooldown(2, 30_000, () => now);
    expect(cooldown.take('a')).toEqual({ ok: true });
    now += 1000;
    expect(cooldown.take('a')).toEqual({ ok: true });
    expect(cooldown.take('b')).toEqual({ ok: true });
    now += 1000;
    expect(cooldown.take('a')).toEqual({ ok: false, retryAfterMs: 28_000 });
    now += 28_000;
    expect(cooldown.take('a')).toEqual({ ok: true });
  });
  it('0 turns it off', () => {
    const cooldown = new Cooldown(0);
    for (let i = 0; i < 100; i++) expect(cooldown.take('a').ok).toBe(true);
  });
});

describe('the reply path', () => {
  function fakeInteraction(state: { deferred?: boolean; replied?: boolean } = {}) {
    const calls: Array<[string, Record<string, unknown>]> = [];
    const record = (name: string) => async (options: Record<string, unknown>) => {
      calls.push([name, options]);
    };
    return {
      calls,
      interaction: { deferred: false, replied: false, ...state, reply: record('reply'), editReply: record('editReply'), followUp: record('followUp') },
    };
  }

  it('always sends allowed_mentions that ping nobody, on every kind of reply', async () => {
    const payload = renderAnswer(ask(ctx.library.index, '@everyone <@&123456789012345678> Who is Putin’s chef?'));
    for (const state of [{}, { deferred: true }, { replied: true }]) {
      const { calls, interaction } = fakeInteraction(state);
      await respond(interaction as never, payload);
      expect(calls).toHaveLength(1);
      expect(calls[0]![1].allowedMentions).toEqual({ parse: [], users: [], roles: [], repliedUser: false });
    }
    const sent: unknown[] = [];
    await replyToMessage({ reply: async (options: unknown) => sent.push(options) } as never, { content: '@everyone' });
    expect(sent[0]).toMatchObject({ allowedMentions: NO_PINGS });
  });

  it('picks reply, editReply or followUp from the interaction state, so nothing is acknowledged twice', async () => {
    const fresh = fakeInteraction();
    await respond(fresh.interaction as never, { content: 'x', ephemeral: true });
    expect(fresh.calls[0]![0]).toBe('reply');
    expect(fresh.calls[0]![1].flags).toBe(64);
    const deferred = fakeInteraction({ deferred: true });
    await respond(deferred.interaction as never, { content: 'x' });
    expect(deferred.calls[0]![0]).toBe('editReply');
    // A deferred reply already edited once (discord.js then says `replied`) is edited again, never followed up.
    const edited = fakeInteraction({ deferred: true, replied: true });
    await respond(edited.interaction as never, { content: 'x' });
    expect(edited.calls[0]![0]).toBe('editReply');
    const replied = fakeInteraction({ replied: true });
    await respond(replied.interaction as never, { content: 'x' });
    expect(replied.calls[0]![0]).toBe('followUp');
  });

  it('defers an interaction already DEFER_AFTER_MS old at once, and one answered off-thread when it gets that old unanswered', async () => {
    vi.useFakeTimers();
    try {
      const deferred: number[] = [];
      const interaction = (ageMs: number) => ({
        createdTimestamp: Date.now() - ageMs,
        deferred: false,
        replied: false,
        async deferReply() {
          deferred.push(ageMs);
        },
      });
      const cancel = await deferWhenSlow(interaction(1000) as never, false, ctx, true);
      await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS - 1000 - 1);
      expect(deferred).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(deferred).toEqual([1000]);
      cancel();
      const answeredInTime = await deferWhenSlow(interaction(200) as never, false, ctx, true);
      answeredInTime();
      await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS);
      expect(deferred).toEqual([1000]);
      // Answered in place: no timer, only the deferral of an interaction already late.
      await deferWhenSlow(interaction(1000) as never, false, ctx, false);
      await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS);
      expect(deferred).toEqual([1000]);
      await deferWhenSlow(interaction(2000) as never, false, ctx, false);
      expect(deferred).toEqual([1000, 2000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a deferral and an answer arriving at the same moment acknowledge the interaction once', async () => {
    // As discord.js does: the state changes only when Discord has answered the call.
    function slowInteraction() {
      const calls: string[] = [];
      const interaction = {
        deferred: false,
        replied: false,
        async reply() {
          calls.push('reply');
          await new Promise((resolve) => setTimeout(resolve, 20));
          interaction.replied = true;
        },
        async deferReply() {
          calls.push('deferReply');
          await new Promise((resolve) => setTimeout(resolve, 20));
          interaction.deferred = true;
        },
        async editReply() {
          calls.push('editReply');
          interaction.replied = true;
        },
        async followUp() {
          calls.push('followUp');
        },
      };
      return { calls, interaction };
    }
    const answerFirst = slowInteraction();
    await Promise.all([respond(answerFirst.interaction as never, { content: 'x' }), deferResponse(answerFirst.interaction as never, false)]);
    expect(answerFirst.calls).toEqual(['reply']);
    const deferralFirst = slowInteraction();
    await Promise.all([deferResponse(deferralFirst.interaction as never, false), respond(deferralFirst.interaction as never, { content: 'x' })]);
    expect(deferralFirst.calls).toEqual(['deferReply', 'editReply']);
  });

  it('cuts an oversized payload to the limits', async () => {
    const { calls, interaction } = fakeInteraction();
    await respond(interaction as never, { content: 'word '.repeat(1000) });
    expect((calls[0]![1].content as string).length).toBeLessThanOrEqual(2000);
  });
});

describe('command registry', () => {
  it('has one module per command (the static list in commands/index.ts), with valid definitions', () => {
    const registry = commandRegistry();
    expect([...registry.commands.keys()].sort()).toEqual(['ask', 'help', 'reindex', 'search', 'source', 'stats']);
    expect([...registry.buttons.keys()].sort()).toEqual(['ctx', 'more']);
    const definitions = commandDefinitions(registry);
    const reindex = definitions.find((d) => d.name === 'reindex')!;
    expect(reindex.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    const askOptions = definitions.find((d) => d.name === 'ask')!.options!;
    expect(askOptions.map((o) => o.name)).toEqual(['question', 'results', 'private']);
    expect(askOptions[0]).toMatchObject({ max_length: 300, required: true });
    expect(askOptions[1]).toMatchObject({ min_value: 1, max_value: 5 });
    for (const definition of definitions) expect(definition.description.length).toBeLessThanOrEqual(100);
  });

  it('refuses two commands of one name or two button handlers of one prefix', () => {
    const ask = COMMANDS.find((command) => command.data.name === 'ask')!;
    expect(() => commandRegistry([ask, ask])).toThrow('two commands are named ask');
    const renamed = { ...ask, data: { ...ask.data, name: 'ask2', toJSON: ask.data.toJSON } };
    expect(() => commandRegistry([ask, renamed])).toThrow(/two button handlers use the prefix (more|ctx)/);
  });
});

describe('settings', () => {
  it('validates Discord settings with one line naming the variable, never its value', () => {
    expect(() => parseConfig({ DISCORD_GUILD_ID: 'abc' })).toThrow(/^Invalid setting DISCORD_GUILD_ID/);
    expect(() => parseConfig({ COOLDOWN: 'many' })).toThrow(/^Invalid setting COOLDOWN/);
    expect(() => parseConfig({ DISCORD_API_URL: 'ftp://x' })).toThrow(/DISCORD_API_URL/);
    try {
      parseConfig({ DISCORD_TOKEN: 'secret token with spaces' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/DISCORD_TOKEN/);
      expect((error as Error).message).not.toContain('secret');
    }
    const config = parseConfig({ MODERATOR_ROLE_IDS: '111111111111111111, 222222222222222222', COOLDOWN: '3', DISCORD_API_URL: 'http://127.0.0.1:9/api/' });
    expect(config.moderatorRoleIds).toEqual(['111111111111111111', '222222222222222222']);
    expect(config.cooldown).toBe(3);
    expect(config.discordApiUrl).toBe('http://127.0.0.1:9/api');
  });
});
