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
import { startLocalDiscord, type LocalDiscord, type StoredMessage } from '../local-discord/index.ts';
import { localBotSettings } from '../local-discord/bot-settings.ts';
import { createLogger } from '../logger.ts';
import { answerQuotes, isNoPing } from './answer-quotes.ts';
import { Failures, SourceLines, verbatimProblem } from './cli-audit.ts';
import { hostileStep, type Sent, type StepContext } from './discord-steps.ts';
import { hostileQuestions, Rng } from './hostile-text.ts';

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

type Counts = Omit<DiscordAuditReport, 'interactions' | 'byKind' | 'violations' | 'handlerErrorLogs' | 'failures' | 'failuresSample' | 'violationsSample' | 'forgedDelivered'>;

/** A temp corpus and index, with a canary beside the corpus that must never be shown. */
function auditFolder(rng: Rng): { root: string; corpusDir: string; indexDir: string; canary: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'verbatim-audit-discord-'));
  const corpusDir = path.join(root, 'corpus');
  cpSync(DEFAULT_CORPUS_DIR, corpusDir, { recursive: true });
  // `/source ../.env` and friends must never show it.
  const canary = `CANARY_${rng.int(1e8, 1e9 - 1)}_SECRET`;
  writeFileSync(path.join(root, '.env'), `DISCORD_TOKEN=${canary}\n`);
  writeFileSync(path.join(root, 'secret.txt'), `${canary}\n`);
  return { root, corpusDir, indexDir: path.join(root, 'index'), canary };
}

/** The real bot on the local Discord, its commands registered, its log lines kept. */
async function startBot(server: LocalDiscord, corpusDir: string, indexDir: string, logLines: string[]): Promise<Bot> {
  const rest = new REST({ api: server.apiUrl }).setToken(server.token);
  await rest.put(Routes.applicationGuildCommands(server.applicationId, server.guildId), { body: commandDefinitions() });
  const config = parseConfig(localBotSettings(server, { corpusDir, indexDir }));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logLines.push(line);
      done();
    },
  });
  const bot = await createBot(config, createLogger({ level: 'info', destination: sink }));
  await bot.start();
  await server.waitForBot(30_000);
  return bot;
}

const messageText = (message: StoredMessage) => JSON.stringify({ content: message.content, embeds: message.embeds, components: message.components });

/** What is checked of every step the audit sent, and of every message the bot left. */
class Inspector {
  readonly counts: Counts = {
    refusedByClient: 0,
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
  /** Answer messages with buttons, for the More and Context presses. */
  readonly answers: StoredMessage[] = [];

  constructor(
    private readonly server: LocalDiscord,
    private readonly sources: SourceLines,
    private readonly failures: Failures,
    /** Neither may appear in anything the bot sent: the bot token, the canary. */
    private readonly secrets: readonly string[],
  ) {}

  /** Waits until the step is answered (or 10 s). */
  async settle(sent: Sent): Promise<void> {
    if ('refused' in sent) {
      this.counts.refusedByClient++;
      return;
    }
    if ('message' in sent) {
      const deadline = Date.now() + 10_000;
      while (this.mentionAnswers(sent).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      if (this.mentionAnswers(sent).length === 0) this.failures.add(`${sent.what}: no answer within 10 s`);
      else this.counts.mentionsAnswered++;
      return;
    }
    try {
      await sent.interaction.waitForReply(10_000);
    } catch (error) {
      this.failures.add(`${sent.what}: ${(error as Error).message}`);
    }
  }

  /** After a batch has settled: exactly one acknowledgement, in time, and what was sent. */
  verify(sent: Sent): void {
    if ('refused' in sent) return;
    if ('message' in sent) {
      const got = this.mentionAnswers(sent);
      if (got.length > 1) this.failures.add(`${sent.what}: answered ${got.length} times`);
      this.inspectText(sent.what, got.map(messageText).join('\n'));
      for (const message of got) this.inspectMessage(sent.what, message);
      return;
    }
    const { interaction } = sent;
    const callbacks = interaction.callbacks;
    if (callbacks.length === 0) {
      this.counts.unacknowledged++;
      this.failures.add(`${sent.what}: never acknowledged`);
      return;
    }
    if (callbacks.length === 1) this.counts.acknowledgedOnce++;
    else {
      this.counts.duplicates++;
      this.failures.add(`${sent.what}: acknowledged ${callbacks.length} times`);
    }
    const ackMs = callbacks[0]!.at - interaction.dispatchedAt;
    this.counts.slowestAckMs = Math.max(this.counts.slowestAckMs, ackMs);
    if (ackMs > DEADLINE_MS) {
      this.counts.late++;
      this.failures.add(`${sent.what}: acknowledged after ${Math.round(ackMs)} ms`);
    }
    const messages = [interaction.original(), ...interaction.followUps(), ...interaction.edits()].filter((m): m is StoredMessage => m !== undefined);
    this.inspectText(sent.what, [JSON.stringify(callbacks.map((c) => c.body)), ...messages.map(messageText)].join('\n'));
    for (const message of messages) this.inspectMessage(sent.what, message);
  }

  /** Every message the bot left anywhere (ephemeral ones included): no pings, no secret. */
  storedMessages(): void {
    const server = this.server;
    const channels = new Set([server.channels.general, server.channels.thread, ...server.threads().map((t) => t.id)]);
    for (const channelId of channels) {
      for (const message of server.messages(channelId)) {
        if (message.author.id !== server.botUserId) continue;
        if (!isNoPing(message.allowed_mentions)) {
          this.counts.pings++;
          this.failures.add(`stored message ${message.id}: allowed_mentions could ping: ${JSON.stringify(message.allowed_mentions)}`);
        }
        if (this.holdsSecret(messageText(message))) {
          this.counts.tokenLeaks++;
          this.failures.add(`stored message ${message.id}: holds the token or the canary`);
        }
      }
    }
    for (const thread of server.threads()) if (this.holdsSecret(thread.name)) this.failures.add(`thread name holds the token`);
  }

  holdsSecret(text: string): boolean {
    return this.secrets.some((secret) => text.includes(secret));
  }

  /** The bot's answer to a mention: a reply in the channel, or the first bot message in the thread opened on it. */
  private mentionAnswers(sent: { message: StoredMessage; channelId: string }): StoredMessage[] {
    const server = this.server;
    const replies = server
      .messages(sent.channelId)
      .filter((m) => m.author.id === server.botUserId && (m.message_reference as { message_id?: string } | undefined)?.message_id === sent.message.id);
    const inThread = server.messages(sent.message.id).filter((m) => m.author.id === server.botUserId);
    return [...replies, ...inThread];
  }

  /** Anything the bot sent for one interaction or mention must hold neither secret, nor an error ref. */
  private inspectText(where: string, text: string): void {
    if (this.holdsSecret(text)) {
      this.counts.tokenLeaks++;
      this.failures.add(`${where}: the bot token or the canary is in what the bot sent`);
    }
    if (ERROR_REF.test(text)) {
      this.counts.errorRefs++;
      this.failures.add(`${where}: handler error shown ("Something went wrong (ref …)")`);
    }
  }

  /** Pings and quotes of one message the bot sent. */
  private inspectMessage(where: string, message: StoredMessage): void {
    if (!isNoPing(message.allowed_mentions)) {
      this.counts.pings++;
      this.failures.add(`${where}: allowed_mentions could ping: ${JSON.stringify(message.allowed_mentions)}`);
    }
    const embed = message.embeds[0];
    if (!(embed?.description && /\n— /.test(embed.description) && (embed.description.startsWith('> ') || embed.description.startsWith('```')))) return;
    for (const quote of answerQuotes(embed.description)) {
      this.counts.quotesChecked++;
      const problem = verbatimProblem(this.sources, quote);
      if (problem) {
        this.counts.nonVerbatim++;
        this.failures.add(`${where}: non-verbatim quote: ${problem}`);
      }
    }
    if (message.components.length && !this.answers.some((m) => m.id === message.id)) this.answers.push(message);
  }
}

/** Sends the steps in batches sent at once, each batch settled and verified before the next. */
async function runBatches(options: DiscordAuditOptions, steps: StepContext, inspector: Inspector): Promise<void> {
  const batchSize = options.batch ?? 20;
  let sentCount = 0;
  for (let batch = 0; sentCount < options.interactions; batch++) {
    const size = Math.min(batchSize, options.interactions - sentCount);
    const sent: Sent[] = [];
    for (let i = 0; i < size; i++) sent.push(hostileStep(steps));
    sentCount += size;
    await Promise.all(sent.map((s) => inspector.settle(s)));
    // Late duplicates get a moment to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (const s of sent) inspector.verify(s);
    if (batch % 10 === 9) options.log(`discord: ${sentCount}/${options.interactions} interactions`);
    // Keep the pool of answers small and recent.
    if (inspector.answers.length > 40) inspector.answers.splice(0, inspector.answers.length - 40);
  }
}

/**
 * The bot's own log: no secret in any line, and every error it logged either shown to a
 * user (counted already) or a failure of its own. Returns the number of error lines.
 */
function checkLog(logLines: readonly string[], inspector: Inspector, failures: Failures): number {
  const leakingLines = logLines.filter((line) => inspector.holdsSecret(line));
  if (leakingLines.length) {
    inspector.counts.tokenLeaks += leakingLines.length;
    failures.add(`bot logs hold the token or the canary in ${leakingLines.length} lines: ${leakingLines[0]!.slice(0, 200)}`);
  }
  const errorLogs = logLines.filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 50;
    } catch {
      return false;
    }
  });
  for (const line of errorLogs.slice(0, 5)) {
    const parsed = JSON.parse(line) as { msg?: string; ref?: string; kind?: string; command?: string; err?: { message?: string } };
    failures.note(`bot logged an error: ${parsed.msg} (${parsed.kind ?? ''} ${parsed.command ?? ''}, ref ${parsed.ref ?? '-'}): ${parsed.err?.message ?? ''}`);
  }
  failures.count += Math.max(0, errorLogs.length - inspector.counts.errorRefs);
  return errorLogs.length;
}

export async function discordAudit(options: DiscordAuditOptions): Promise<DiscordAuditReport> {
  const rng = new Rng(options.seed).fork('discord');
  const { root, corpusDir, indexDir, canary } = auditFolder(rng);
  const failures = new Failures();
  const logLines: string[] = [];
  const serverLines: string[] = [];
  let ld: LocalDiscord | undefined;
  let bot: Bot | undefined;
  let inspector: Inspector | undefined;
  const byKind: Record<string, number> = {};
  let forgedDelivered = 0;
  try {
    ld = await startLocalDiscord({ log: (line) => serverLines.push(line), ...(options.spec ? { spec: options.spec } : {}) });
    inspector = new Inspector(ld, new SourceLines(corpusDir), failures, [ld.token, canary]);
    bot = await startBot(ld, corpusDir, indexDir, logLines);
    const questions = hostileQuestions(options.seed + 1, Math.max(50, options.interactions));
    let qi = 0;
    const steps: StepContext = { rng, server: ld, question: () => questions[qi++ % questions.length]!.text, answers: inspector.answers, byKind, forgedDelivered: 0 };
    await runBatches(options, steps, inspector);
    forgedDelivered = steps.forgedDelivered;
    inspector.storedMessages();
  } finally {
    await bot?.stop().catch((error: Error) => failures.add(`bot.stop failed: ${error.message}`));
    await ld?.close().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
  const checked = inspector!; // set: the try block above completed
  const handlerErrorLogs = checkLog(logLines, checked, failures);
  const violations = ld?.violations ?? [];
  failures.count += violations.length;
  return {
    interactions: options.interactions,
    byKind,
    ...checked.counts,
    forgedDelivered,
    violations: violations.length,
    handlerErrorLogs,
    slowestAckMs: Math.round(checked.counts.slowestAckMs),
    failures: failures.count,
    failuresSample: failures.sample,
    violationsSample: violations.slice(0, 10),
  };
}
