/**
 * The Discord adapter: a discord.js client whose events are dispatched through the
 * command registry. One log line per interaction or mention; a failing handler gives the
 * user a private "Something went wrong (ref …)" and never takes the process down.
 */
import { randomBytes } from 'node:crypto';
import { Client, Events, GatewayIntentBits, type Interaction, type Message } from 'discord.js';
import { BackgroundReindexer } from '../background-reindex.ts';
import type { Config } from '../config.ts';
import { openIndex, type ReindexProgress } from '../indexer.ts';
import type { Logger } from '../logger.ts';
import { AnswerCache } from './answer-cache.ts';
import type { BotContext, HandlerOutcome } from './context.ts';
import { Cooldown } from './cooldown.ts';
import { handleMention } from './mentions.ts';
import { loadCommands, type CommandRegistry } from './registry.ts';
import { renderError, renderNotice } from './render.ts';
import { deferResponse, NO_PINGS, replyToMessage, respond } from './respond.ts';

export interface Bot {
  client: Client;
  ctx: BotContext;
  /** Logs in; resolves when the gateway session is ready. */
  start(): Promise<void>;
  /** Stops taking new work, waits for replies in flight, disconnects. */
  stop(): Promise<void>;
}

/** Remembers the last messages answered, so a message is never answered twice. */
class SeenMessages {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 10_000) {}
  /** True the first time an id is offered. */
  first(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}

/** How often, at most, the bot logs the progress of a build at start. */
export const PROGRESS_LOG_EVERY_MS = 2000;

/**
 * An `onProgress` that logs pino info lines (`building the index`, with phase, done and
 * total): the first at once, then at most one every `everyMs`.
 */
export function progressLogger(logger: Logger, { everyMs = PROGRESS_LOG_EVERY_MS, now = () => Date.now() } = {}): (progress: ReindexProgress) => void {
  let lastAt = -Infinity;
  return (progress) => {
    const at = now();
    if (at - lastAt < everyMs) return;
    lastAt = at;
    logger.info({ phase: progress.phase, done: progress.done, total: progress.total }, 'building the index');
  };
}

export interface CreateBotOptions {
  /**
   * Told the progress of building the index when it has to be built at start (nothing is
   * reported when it simply loads). Default: `progressLogger(logger)`.
   */
  onIndexProgress?: (progress: ReindexProgress) => void;
}

export async function createBot(config: Config, logger: Logger, options: CreateBotOptions = {}): Promise<Bot> {
  if (!config.discordToken) throw new Error('DISCORD_TOKEN is not set');
  const location = { corpusDir: config.corpusDir, indexDir: config.indexDir };
  const opened = await openIndex({ ...location, logger, onProgress: options.onIndexProgress ?? progressLogger(logger) });
  const registry = await loadCommands();
  const ctx: BotContext = {
    config,
    logger,
    index: opened.index,
    manifest: opened.manifest,
    reindexer: new BackgroundReindexer(location, logger),
    cooldown: new Cooldown(config.cooldown),
    answers: new AnswerCache(),
    stats: { startedAt: Date.now(), questionsAnswered: 0 },
  };

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    allowedMentions: NO_PINGS,
    rest: {
      ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
      // Interaction callbacks are exempt from Discord's global rate limit, but discord.js
      // counts them against its 50/s default: a burst of questions would queue answers
      // past the 3-second deadline. Real 429s from Discord are still honoured.
      globalRequestsPerSecond: 1000,
      // The REST timeout is a timer on this thread: when a burst keeps the thread busy, it
      // fires before the (already arrived) response is read, and discord.js then retries an
      // interaction callback Discord has already taken — a second acknowledgement, and a
      // handler that fails although its reply was sent. Measured with bench:discord at 100k
      // passages; the real cure is cheaper questions, this stops turning slowness into errors.
      timeout: 60_000,
    },
  });

  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const seen = new SeenMessages();

  client.on(Events.InteractionCreate, (interaction) => {
    if (!stopping) track(handleInteraction(interaction, registry, ctx));
  });
  client.on(Events.MessageCreate, (message) => {
    if (stopping || message.author.bot || message.webhookId || !client.user) return;
    if (!message.mentions.users.has(client.user.id) || !seen.first(message.id)) return;
    track(handleMessage(message, ctx));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ code: event.code, shard }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, 'gateway resumed'));

  return {
    client,
    ctx,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.discordToken);
      await ready;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, passages: ctx.index.passageCount }, 'bot ready');
    },
    async stop() {
      stopping = true;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      await client.destroy();
      logger.info('bot stopped');
    },
  };
}

/**
 * An interaction older than this when its turn comes (a burst is queued ahead of it) is
 * acknowledged with a deferral first, which is cheap, and answered by an edit: Discord's
 * 3-second deadline is for the acknowledgement.
 */
export const DEFER_WHEN_OLDER_THAN_MS = 1500;

function isLate(interaction: Interaction): boolean {
  return Date.now() - interaction.createdTimestamp > DEFER_WHEN_OLDER_THAN_MS;
}

function errorRef(): string {
  return randomBytes(3).toString('hex');
}

async function handleInteraction(interaction: Interaction, registry: CommandRegistry, ctx: BotContext): Promise<void> {
  const started = performance.now();
  // How long the interaction waited before we got to it (Discord's clock vs ours).
  const queuedMs = Date.now() - interaction.createdTimestamp;
  let kind = 'interaction';
  let name = '';
  let outcome: HandlerOutcome | void = {};
  try {
    if (interaction.isChatInputCommand()) {
      kind = 'command';
      name = interaction.commandName;
      const command = registry.commands.get(name);
      if (!command) throw new Error(`unknown command ${name}`);
      if (isLate(interaction)) await deferResponse(interaction, command.ephemeral?.(interaction) ?? false);
      outcome = await command.execute(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      kind = 'autocomplete';
      name = interaction.commandName;
      await registry.commands.get(name)?.autocomplete?.(interaction, ctx);
      // Every autocomplete gets exactly one answer: none to offer is an empty list (a
      // command or option without autocomplete, an option the handler does not know).
      if (!interaction.responded) await interaction.respond([]);
    } else if (interaction.isButton()) {
      kind = 'button';
      const [prefix = '', ...args] = interaction.customId.split(':');
      name = prefix;
      const handler = registry.buttons.get(prefix);
      if (!handler) {
        // A button of an older version of the bot, or a forged id: not a crash, a notice.
        ctx.logger.warn({ customId: interaction.customId.slice(0, 100) }, 'unknown button');
        await respond(interaction, renderNotice('This button no longer does anything. Please ask again.'));
        return;
      }
      // Button answers (More, Context) are private.
      if (isLate(interaction)) await deferResponse(interaction, true);
      outcome = await handler(interaction, args, ctx);
    } else {
      return;
    }
  } catch (error) {
    const ref = errorRef();
    ctx.logger.error({ ref, err: error, kind, command: name }, 'handler failed');
    outcome = { answered: false };
    if (interaction.isRepliable()) {
      await respond(interaction, renderError(ref)).catch((replyError) => ctx.logger.error({ ref, err: replyError }, 'could not send the error reply'));
    } else if (interaction.isAutocomplete() && !interaction.responded) {
      await interaction.respond([]).catch(() => {});
    }
  } finally {
    ctx.logger.info(
      {
        kind,
        command: name,
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        latencyMs: Math.round(performance.now() - started),
        queuedMs,
        answered: outcome?.answered,
        passages: outcome?.passages,
      },
      'interaction',
    );
  }
}

async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  const started = performance.now();
  let outcome: HandlerOutcome = {};
  try {
    outcome = await handleMention(message, ctx);
  } catch (error) {
    const ref = errorRef();
    ctx.logger.error({ ref, err: error }, 'mention handler failed');
    await replyToMessage(message, { content: renderError(ref).content })
      .catch((replyError) => ctx.logger.error({ ref, err: replyError }, 'could not send the error reply'));
  } finally {
    ctx.logger.info(
      {
        kind: 'mention',
        guildId: message.guildId,
        channelId: message.channelId,
        userId: message.author.id,
        latencyMs: Math.round(performance.now() - started),
        answered: outcome.answered,
        passages: outcome.passages,
      },
      'mention',
    );
  }
}
