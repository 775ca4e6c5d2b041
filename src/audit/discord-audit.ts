/**
 * Audit part 2: hostile interactions against the real bot (`createBot`) connected to the
 * local Discord over the real wire protocol, on a temp copy of the corpus: /ask, /search,
 * /source, autocomplete, real and forged buttons, mentions, /help, /stats and a refused
 * /reindex, in batches sent at once.
 *
 * Checked for each: acknowledged exactly once and within 3 s, nothing the local server
 * records as a spec or limit violation, no "Something went wrong (ref …)", no bot token (or
 * the canary planted beside the corpus) in anything the bot sent or logged, no message that
 * could ping, and every quote of an answer embed verbatim at its cited lines.
 *
 * Option values Discord's client would not send (too long, out of range, wrong type) are
 * refused by the local server's helpers before anything is sent: they are counted as
 * "refused by the client", not as failures. Forged button custom ids (which a button left
 * from an older bot version, or a modified client, can deliver) are refused by the helper
 * too; they are then delivered as raw INTERACTION_CREATE payloads, which needs the local
 * server's internal dispatch (the one place here that uses non-public members).
 */
import { mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { REST, Routes } from 'discord.js';
import { DEFAULT_CORPUS_DIR, parseConfig } from '../config.ts';
import { createBot, type Bot } from '../discord/bot.ts';
import { commandDefinitions } from '../discord/registry.ts';
import { startLocalDiscord, type LocalDiscord, type LocalInteraction, type StoredMessage } from '../local-discord/index.ts';
import { createLogger } from '../logger.ts';
import { Failures, SourceLines, verbatimProblem } from './cli-audit.ts';
import { forgedCustomIds, hostileFileNames, hostileLineRanges, hostileQuestions, ON_TOPIC, Rng } from './hostile-text.ts';

export interface DiscordAuditOptions {
  seed: number;
  interactions: number;
  /** Interactions sent at once. Default 20. */
  batch?: number;
  /** Discord's OpenAPI spec: the local Discord checks every request body against it. */
  spec?: string;
  log: (line: string) => void;
}

export interface DiscordAuditReport {
  interactions: number;
  byKind: Record<string, number>;
  refusedByClient: number;
  forgedDelivered: number;
  acknowledgedOnce: number;
  unacknowledged: number;
  duplicates: number;
  late: number;
  slowestAckMs: number;
  violations: number;
  tokenLeaks: number;
  errorRefs: number;
  handlerErrorLogs: number;
  pings: number;
  quotesChecked: number;
  nonVerbatim: number;
  mentionsAnswered: number;
  failures: number;
  failuresSample: string[];
  violationsSample: string[];
}

const DEADLINE_MS = 3000;
const ERROR_REF = /Something went wrong \(ref/;

/** What one step sent: an interaction to check, a mention to check, or nothing (refused). */
type Sent =
  | { kind: string; what: string; interaction: LocalInteraction; forged?: boolean }
  | { kind: 'mention'; what: string; message: StoredMessage; channelId: string }
  | { kind: string; what: string; refused: string };

/** Markdown escapes and bold markers removed, links' zero-width space too: the text a quote was made from. */
export function unescapeMarkdown(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[\\*_~`|[\]()<>#\-.:!+=]/.test(text[i + 1]!)) {
      out += text[++i];
    } else if (c === '*' && text[i + 1] === '*') {
      i++;
    } else out += c;
  }
  return out.replace(/(https?):\u200b\/\//g, '$1://');
}

/**
 * The quotes of an answer embed with their references: `> quote` (prose) or a code block
 * (code, its fences' zero-width breaks taken out), each followed by
 * `— source[ › section] · L12–14`.
 */
export function answerQuotes(description: string): Array<{ source: string; lines: [number, number]; quote: string; code?: boolean }> {
  const out: Array<{ source: string; lines: [number, number]; quote: string; code?: boolean }> = [];
  const lines = description.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let quote: string;
    let code = false;
    if (lines[i]!.startsWith('> ')) quote = unescapeMarkdown(lines[i]!.slice(2));
    else if (lines[i]!.startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
      quote = body.join('\n').replace(/`\u200b(?=``)/g, '`');
      code = true;
    } else continue;
    const next = lines[i + 1];
    if (!next?.startsWith('— ')) continue;
    i++;
    const reference = unescapeMarkdown(next.slice(2)).replace(/ \(also \d+× elsewhere\)$/, '');
    const ref = /^(.*) · L(\d+)(?:–(\d+))?$/.exec(reference);
    if (!ref) continue;
    const from = Number(ref[2]);
    const source = ref[1]!.split(' › ')[0]!;
    out.push({ source, lines: [from, ref[3] ? Number(ref[3]) : from], quote, ...(code ? { code } : {}) });
  }
  return out;
}

function isNoPing(allowed: unknown): boolean {
  if (typeof allowed !== 'object' || allowed === null) return false;
  const a = allowed as { parse?: unknown; users?: unknown; roles?: unknown; replied_user?: unknown };
  const parse = Array.isArray(a.parse) ? a.parse : [];
  if (!Array.isArray(a.parse) && a.parse !== undefined) return false;
  if (parse.some((p) => p === 'everyone' || p === 'users' || p === 'roles')) return false;
  if (Array.isArray(a.users) && a.users.length) return false;
  if (Array.isArray(a.roles) && a.roles.length) return false;
  // Without `parse`, Discord's default is to parse every kind: it must be there (empty).
  if (a.parse === undefined) return false;
  return a.replied_user !== true;
}

export async function discordAudit(options: DiscordAuditOptions): Promise<DiscordAuditReport> {
  const rng = new Rng(options.seed).fork('discord');
  const batchSize = options.batch ?? 20;
  const root = mkdtempSync(path.join(os.tmpdir(), 'verbatim-audit-discord-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  cpSync(DEFAULT_CORPUS_DIR, corpusDir, { recursive: true });
  // A canary beside the corpus: `/source ../.env` and friends must never show it.
  const canary = `CANARY_${rng.int(1e8, 1e9 - 1)}_SECRET`;
  writeFileSync(path.join(root, '.env'), `DISCORD_TOKEN=${canary}\n`);
  writeFileSync(path.join(root, 'secret.txt'), `${canary}\n`);

  const failures = new Failures();
  const byKind: Record<string, number> = {};
  const logLines: string[] = [];
  const serverLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logLines.push(line);
      done();
    },
  });
  let ld: LocalDiscord | undefined;
  let bot: Bot | undefined;
  const report = {
    refusedByClient: 0,
    forgedDelivered: 0,
    acknowledgedOnce: 0,
    unacknowledged: 0,
    duplicates: 0,
    late: 0,
    slowestAckMs: 0,
    tokenLeaks: 0,
    errorRefs: 0,
    pings: 0,
    quotesChecked: 0,
    nonVerbatim: 0,
    mentionsAnswered: 0,
  };
  const sources = new SourceLines(corpusDir);
  try {
    ld = await startLocalDiscord({ log: (line) => serverLines.push(line), ...(options.spec ? { spec: options.spec } : {}) });
    const server = ld;
    const rest = new REST({ api: server.apiUrl }).setToken(server.token);
    await rest.put(Routes.applicationGuildCommands(server.applicationId, server.guildId), { body: commandDefinitions() });
    const config = parseConfig({
      DISCORD_TOKEN: server.token,
      DISCORD_API_URL: server.apiUrl,
      CORPUS_DIR: corpusDir,
      INDEX_DIR: indexDir,
      MODERATOR_ROLE_IDS: server.roles.moderator,
      COOLDOWN: '0',
      LOG_LEVEL: 'silent',
    });
    bot = await createBot(config, createLogger({ level: 'info', destination: sink }));
    await bot.start();
    await server.waitForBot(30_000);
    const token = server.token;
    const members = [server.members.alice, server.members.bob, server.members.mod, server.members.admin];
    const member = () => rng.pick(members);
    const questions = hostileQuestions(options.seed + 1, Math.max(50, options.interactions));
    let qi = 0;
    const question = () => questions[qi++ % questions.length]!.text;
    /** Answer messages with buttons, for the More and Context presses. */
    const answers: StoredMessage[] = [];

    /** Anything the bot sent for one interaction or mention must hold neither the token nor the canary, nor an error ref. */
    const inspectText = (where: string, text: string) => {
      if (text.includes(token) || text.includes(canary)) {
        report.tokenLeaks++;
        failures.add(`${where}: the bot token or the canary is in what the bot sent`);
      }
      if (ERROR_REF.test(text)) {
        report.errorRefs++;
        failures.add(`${where}: handler error shown ("Something went wrong (ref …)")`);
      }
    };
    const messageText = (message: StoredMessage) => JSON.stringify({ content: message.content, embeds: message.embeds, components: message.components });
    /** Pings and quotes of one message the bot sent. */
    const inspectMessage = (where: string, message: StoredMessage) => {
      if (!isNoPing(message.allowed_mentions)) {
        report.pings++;
        failures.add(`${where}: allowed_mentions could ping: ${JSON.stringify(message.allowed_mentions)}`);
      }
      const embed = message.embeds[0];
      if (embed?.description && /\n— /.test(embed.description) && (embed.description.startsWith('> ') || embed.description.startsWith('```'))) {
        for (const quote of answerQuotes(embed.description)) {
          report.quotesChecked++;
          const problem = verbatimProblem(sources, quote);
          if (problem) {
            report.nonVerbatim++;
            failures.add(`${where}: non-verbatim quote: ${problem}`);
          }
        }
        if (message.components.length && !answers.some((m) => m.id === message.id)) answers.push(message);
      }
    };

    const trySend = (kind: string, what: string, send: () => LocalInteraction): Sent => {
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      try {
        return { kind, what, interaction: send() };
      } catch (error) {
        return { kind, what, refused: (error as Error).message };
      }
    };

    /** One hostile step, chosen at random. */
    const step = (): Sent => {
      const roll = rng.next();
      const who = member();
      if (roll < 0.24) {
        const q = question();
        const options: Record<string, string | number | boolean> = { question: rng.chance(0.85) ? q.slice(0, 300) : q };
        if (rng.chance(0.4)) options.results = rng.pick([1, 2, 3, 5, 0, 6, -1, 2.5, 1e9]);
        if (rng.chance(0.3)) options.private = rng.chance(0.8) ? rng.chance(0.5) : 'yes';
        return trySend('ask', `/ask ${JSON.stringify(options).slice(0, 120)}`, () => server.slashCommand(who, 'ask', options, { channelId: rng.pick([server.channels.general, server.channels.thread]) }));
      }
      if (roll < 0.38) {
        const options: Record<string, string | number> = { query: question().slice(0, rng.chance(0.9) ? 300 : 2000) };
        if (rng.chance(0.4)) options.file = hostileFileNames(rng);
        if (rng.chance(0.4)) options.limit = rng.pick([1, 5, 10, 0, 11, -3, 1.5]);
        return trySend('search', `/search ${JSON.stringify(options).slice(0, 120)}`, () => server.slashCommand(who, 'search', options));
      }
      if (roll < 0.5) {
        const options: Record<string, string> = { file: hostileFileNames(rng) };
        if (rng.chance(0.6)) options.lines = hostileLineRanges(rng);
        return trySend('source', `/source ${JSON.stringify(options)}`, () => server.slashCommand(who, 'source', options));
      }
      if (roll < 0.62) {
        const focused = rng.chance(0.5) ? hostileFileNames(rng) : question().slice(0, rng.pick([5, 50, 100, 300, 6000]));
        if (rng.chance(0.5)) return trySend('autocomplete', `autocomplete /source ${JSON.stringify(focused.slice(0, 80))}`, () => server.autocomplete(who, 'source', { file: focused }, 'file'));
        return trySend('autocomplete', `autocomplete /search ${JSON.stringify(focused.slice(0, 80))}`, () =>
          server.autocomplete(who, 'search', { query: rng.pick(ON_TOPIC), file: focused }, 'file'),
        );
      }
      if (roll < 0.72 && answers.length) {
        const message = rng.pick(answers);
        const ids = (message.components as Array<{ components?: Array<{ custom_id?: string }> }>).flatMap((row) => (row.components ?? []).map((b) => b.custom_id ?? ''));
        const id = rng.pick(ids);
        return trySend('button', `button ${id}`, () => server.pressButton(who, message, id));
      }
      if (roll < 0.8 && answers.length) {
        const message = rng.pick(answers);
        const realKey = (message.components as Array<{ components?: Array<{ custom_id?: string }> }>)[0]?.components?.[1]?.custom_id?.split(':')[1];
        const id = forgedCustomIds(rng, rng.chance(0.5) ? realKey : undefined);
        byKind['forged button'] = (byKind['forged button'] ?? 0) + 1;
        try {
          return { kind: 'forged button', what: `forged button ${JSON.stringify(id)}`, interaction: server.pressButton(who, message, id) };
        } catch {
          const interaction = server.pressForgedButton(who, message, id);
          report.forgedDelivered++;
          return { kind: 'forged button', what: `forged button ${JSON.stringify(id)}`, interaction, forged: true };
        }
      }
      if (roll < 0.94) {
        byKind.mention = (byKind.mention ?? 0) + 1;
        const channelId = rng.chance(0.6) ? server.channels.thread : server.channels.general;
        const text = rng.chance(0.1) ? rng.pick(['', ' ', '\u200b', `<@${server.botUserId}>`]) : question().slice(0, 1900);
        const message = server.sendMessage(who, channelId, text, {
          mentionBot: true,
          ...(rng.chance(0.2) ? { mentionEveryone: true } : {}),
          ...(rng.chance(0.2) ? { mentionRoles: [server.roles.moderator] } : {}),
        });
        return { kind: 'mention', what: `mention ${JSON.stringify(text.slice(0, 80))}`, message, channelId };
      }
      const name = rng.pick(['help', 'stats', 'reindex']);
      // /reindex by a plain member: refused by the bot (a real rebuild is the crash audit's work).
      const who2 = name === 'reindex' ? server.members.alice : who;
      return trySend(name, `/${name}`, () => server.slashCommand(who2, name, name === 'reindex' && rng.chance(0.5) ? { full: true } : {}));
    };

    /** The bot's answer to a mention: a reply in the channel, or the first bot message in the thread opened on it. */
    const mentionAnswers = (sent: { message: StoredMessage; channelId: string }): StoredMessage[] => {
      const replies = server
        .messages(sent.channelId)
        .filter((m) => m.author.id === server.botUserId && (m.message_reference as { message_id?: string } | undefined)?.message_id === sent.message.id);
      const inThread = server.messages(sent.message.id).filter((m) => m.author.id === server.botUserId);
      return [...replies, ...inThread];
    };

    const check = async (sent: Sent): Promise<void> => {
      if ('refused' in sent) {
        report.refusedByClient++;
        return;
      }
      if ('message' in sent) {
        const deadline = Date.now() + 10_000;
        while (mentionAnswers(sent).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
        const got = mentionAnswers(sent);
        if (got.length === 0) failures.add(`${sent.what}: no answer within 10 s`);
        else report.mentionsAnswered++;
        return;
      }
      const { interaction } = sent;
      try {
        await interaction.waitForReply(10_000);
      } catch (error) {
        failures.add(`${sent.what}: ${(error as Error).message}`);
      }
    };

    /** After a batch has settled: exactly one acknowledgement, in time, and what was sent. */
    const verify = (sent: Sent) => {
      if ('refused' in sent) return;
      if ('message' in sent) {
        const got = mentionAnswers(sent);
        if (got.length > 1) failures.add(`${sent.what}: answered ${got.length} times`);
        inspectText(sent.what, got.map(messageText).join('\n'));
        for (const message of got) inspectMessage(sent.what, message);
        return;
      }
      const { interaction } = sent;
      const callbacks = interaction.callbacks;
      if (callbacks.length === 0) {
        report.unacknowledged++;
        failures.add(`${sent.what}: never acknowledged`);
        return;
      }
      if (callbacks.length === 1) report.acknowledgedOnce++;
      else {
        report.duplicates++;
        failures.add(`${sent.what}: acknowledged ${callbacks.length} times`);
      }
      const ackMs = callbacks[0]!.at - interaction.dispatchedAt;
      report.slowestAckMs = Math.max(report.slowestAckMs, ackMs);
      if (ackMs > DEADLINE_MS) {
        report.late++;
        failures.add(`${sent.what}: acknowledged after ${Math.round(ackMs)} ms`);
      }
      const messages = [interaction.original(), ...interaction.followUps(), ...interaction.edits()].filter((m): m is StoredMessage => m !== undefined);
      inspectText(sent.what, [JSON.stringify(callbacks.map((c) => c.body)), ...messages.map(messageText)].join('\n'));
      for (const message of messages) inspectMessage(sent.what, message);
    };

    let sentCount = 0;
    for (let batch = 0; sentCount < options.interactions; batch++) {
      const size = Math.min(batchSize, options.interactions - sentCount);
      const sent: Sent[] = [];
      for (let i = 0; i < size; i++) sent.push(step());
      sentCount += size;
      await Promise.all(sent.map(check));
      // Late duplicates get a moment to show up before counting.
      await new Promise((resolve) => setTimeout(resolve, 150));
      for (const s of sent) verify(s);
      if (batch % 10 === 9) options.log(`discord: ${sentCount}/${options.interactions} interactions`);
      // Keep the pool of answers small and recent.
      if (answers.length > 40) answers.splice(0, answers.length - 40);
    }

    // Every message the bot left anywhere (ephemeral ones included): no pings, no token.
    const channels = new Set([server.channels.general, server.channels.thread, ...server.threads().map((t) => t.id)]);
    for (const channelId of channels) {
      for (const message of server.messages(channelId)) {
        if (message.author.id !== server.botUserId) continue;
        if (!isNoPing(message.allowed_mentions)) {
          report.pings++;
          failures.add(`stored message ${message.id}: allowed_mentions could ping: ${JSON.stringify(message.allowed_mentions)}`);
        }
        const text = messageText(message);
        if (text.includes(token) || text.includes(canary)) {
          report.tokenLeaks++;
          failures.add(`stored message ${message.id}: holds the token or the canary`);
        }
      }
    }
    for (const thread of server.threads()) if (thread.name.includes(token) || thread.name.includes(canary)) failures.add(`thread name holds the token`);
  } finally {
    await bot?.stop().catch((error: Error) => failures.add(`bot.stop failed: ${error.message}`));
    await ld?.close().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }

  const token = ld?.token ?? '\u0000never';
  const leakingLines = logLines.filter((line) => line.includes(token) || line.includes(canary));
  if (leakingLines.length) {
    report.tokenLeaks += leakingLines.length;
    failures.add(`bot logs hold the token or the canary in ${leakingLines.length} lines: ${leakingLines[0]!.slice(0, 200)}`);
  }
  const errorLogs = logLines.filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 50;
    } catch {
      return false;
    }
  });
  // Each error shown to a user was counted above; its log line is a detail. Errors logged
  // without one (a reply that could not be sent, a client error) are failures of their own.
  for (const line of errorLogs.slice(0, 5)) {
    const parsed = JSON.parse(line) as { msg?: string; ref?: string; kind?: string; command?: string; err?: { message?: string } };
    failures.note(`bot logged an error: ${parsed.msg} (${parsed.kind ?? ''} ${parsed.command ?? ''}, ref ${parsed.ref ?? '-'}): ${parsed.err?.message ?? ''}`);
  }
  failures.count += Math.max(0, errorLogs.length - report.errorRefs);
  const violations = ld?.violations ?? [];
  failures.count += violations.length;
  return {
    interactions: options.interactions,
    byKind,
    ...report,
    violations: violations.length,
    handlerErrorLogs: errorLogs.length,
    slowestAckMs: Math.round(report.slowestAckMs),
    failures: failures.count,
    failuresSample: failures.sample,
    violationsSample: violations.slice(0, 10),
  };
}
