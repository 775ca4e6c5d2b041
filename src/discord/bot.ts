/**
 * The Discord adapter: a discord.js client whose events are dispatched through the
 * command registry. One log line per interaction or mention; a failing handler gives the
 * user a private "Something went wrong (ref …)" and never takes the process down.
 */
import { randomBytes } from 'node:crypto';
import { Client, Events, GatewayIntentBits, type Interaction, type Message, type RepliableInteraction } from 'discord.js';
import { BackgroundReindexer, ReindexBusyError } from '../library/worker/background-reindex.ts';
import type { Config } from '../config.ts';
import { CorpusWatcher } from '../library/corpus-watcher.ts';
import { IndexLockedError } from '../library/index-lock.ts';
import { openIndex, type ReindexProgress } from '../library/indexer.ts';
import type { Logger } from '../logger.ts';
import { SearchThread } from '../library/worker/search-thread.ts';
import { AnswerCache } from './answer-cache.ts';
import type { BotContext, HandlerOutcome } from './context.ts';
import { Cooldown } from './cooldown.ts';
import { handleMention } from './mentions.ts';
import { commandRegistry, type CommandRegistry } from './registry.ts';
import { renderError, renderNotice } from './render/payload.ts';
import { deferResponse, NO_PINGS, replyToMessage, respond } from './respond.ts';
import { Library } from '../library/library.ts';

export interface Bot {
  client: Client;
  ctx: BotContext;
  /** With `WATCH_CORPUS`: the corpus watcher. */
  watcher?: CorpusWatcher;
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
  /** Indexes at least this large are searched on a worker thread. Default `SEARCH_THREAD_FROM_PASSAGES`; `0` always. */
  searchThreadFromPassages?: number;
}

export async function createBot(config: Config, logger: Logger, options: CreateBotOptions = {}): Promise<Bot> {
  if (!config.discordToken) throw new Error('DISCORD_TOKEN is not set');
  const registry = commandRegistry();
  const ctx = await botContext(config, logger, options, registry);
  await ctx.library.prepare();

  const watcher = config.watchCorpus ? corpusWatcher(config, ctx) : undefined;
  const client = discordClient(config);

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
    ...(watcher ? { watcher } : {}),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.discordToken);
      await ready;
      watcher?.start();
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, passages: ctx.library.index.passageCount }, 'bot ready');
    },
    async stop() {
      stopping = true;
      await watcher?.close();
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      await client.destroy();
      await ctx.library.close();
      logger.info('bot stopped');
    },
  };
}

/** The bot's context: the served index (opened, or built when stale), cooldowns, answers. */
async function botContext(config: Config, logger: Logger, options: CreateBotOptions, registry: CommandRegistry): Promise<BotContext> {
  const location = { corpusDir: config.corpusDir, indexDir: config.indexDir };
  const opened = await openIndex({ ...location, logger, onProgress: options.onIndexProgress ?? progressLogger(logger) });
  return {
    config,
    logger,
    library: new Library(
      opened,
      new BackgroundReindexer(location, logger),
      new SearchThread({ logger, ...(options.searchThreadFromPassages !== undefined ? { fromPassages: options.searchThreadFromPassages } : {}) }),
    ),
    cooldown: new Cooldown(config.cooldown),
    answers: new AnswerCache(),
    commands: [...registry.commands.values()],
  };
}

/** WATCH_CORPUS: the watcher reindexes as a moderator's /reindex would, one at a time. */
function corpusWatcher(config: Config, ctx: BotContext): CorpusWatcher {
  const { logger } = ctx;
  const watcher: CorpusWatcher = new CorpusWatcher(
    config.corpusDir,
    async () => {
      try {
        const report = await ctx.library.reindex({ full: false, requestedBy: 'corpus watcher' });
        logger.info({ audit: 'reindex', by: 'corpus watcher', result: 'ok', added: report.filesAdded.length, changed: report.filesChanged.length, removed: report.filesRemoved.length, passages: report.passages, durationMs: report.durationMs }, 'reindex done');
      } catch (error) {
        // Someone else is reindexing: look again once they are done.
        if (error instanceof ReindexBusyError || error instanceof IndexLockedError) watcher.changed();
        else throw error;
      }
    },
    { logger },
  );
  return watcher;
}

function discordClient(config: Config): Client {
  return new Client({
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
}

/**
 * An interaction not answered this long after Discord created it (a burst queued ahead of
 * it, a slow search) is acknowledged with a deferral, which is cheap, and answered by an
 * edit: Discord's 3-second deadline is for the acknowledgement.
 */
export const DEFER_AFTER_MS = 1500;

/**
 * Defers `interaction` at once if it is already that old when its turn comes. When its
 * answer is computed off this thread (`waitsOffThread`), also defers it if it is still
 * unanswered `DEFER_AFTER_MS` after its creation; returns the cancel of that timer. Answered
 * in place, the work cannot be interrupted anyway, and under a burst of 1,000 questions the
 * timer only added deferrals (`npm run bench:discord` at 100k passages: acknowledgement p99
 * 2.35 s without it, 2.99 s with it).
 */
export async function deferWhenSlow(interaction: RepliableInteraction, ephemeral: boolean, ctx: BotContext, waitsOffThread: boolean): Promise<() => void> {
  const left = interaction.createdTimestamp + DEFER_AFTER_MS - Date.now();
  if (left <= 0) {
    await deferResponse(interaction, ephemeral);
    return () => {};
  }
  if (!waitsOffThread) return () => {};
  const timer = setTimeout(() => {
    deferResponse(interaction, ephemeral).catch((error) => ctx.logger.warn({ err: error }, 'could not defer the interaction'));
  }, left);
  return () => clearTimeout(timer);
}

function errorRef(): string {
  return randomBytes(3).toString('hex');
}

/** What an interaction is, for the log: its kind, and its command or button prefix. */
function interactionName(interaction: Interaction): { kind: string; name: string } {
  if (interaction.isChatInputCommand()) return { kind: 'command', name: interaction.commandName };
  if (interaction.isAutocomplete()) return { kind: 'autocomplete', name: interaction.commandName };
  if (interaction.isButton()) return { kind: 'button', name: interaction.customId.split(':')[0] ?? '' };
  return { kind: 'interaction', name: '' };
}

async function handleInteraction(interaction: Interaction, registry: CommandRegistry, ctx: BotContext): Promise<void> {
  const started = performance.now();
  // How long the interaction waited before we got to it (Discord's clock vs ours).
  const queuedMs = Date.now() - interaction.createdTimestamp;
  const { kind, name } = interactionName(interaction);
  let outcome: HandlerOutcome | void = {};
  const deferral = { cancel: () => {} };
  try {
    outcome = await runInteraction(interaction, registry, ctx, deferral);
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
    deferral.cancel();
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

/** Runs the command, autocomplete or button handler; `deferral.cancel` stops a pending deferral. */
async function runInteraction(interaction: Interaction, registry: CommandRegistry, ctx: BotContext, deferral: { cancel: () => void }): Promise<HandlerOutcome | void> {
  if (interaction.isChatInputCommand()) {
    const command = registry.commands.get(interaction.commandName);
    if (!command) throw new Error(`unknown command ${interaction.commandName}`);
    const wait = command.cooldown ? ctx.cooldown.notice(interaction.user.id) : undefined;
    if (wait) return respond(interaction, renderNotice(wait));
    deferral.cancel = await deferWhenSlow(interaction, command.ephemeral?.(interaction) ?? false, ctx, ctx.library.offThread);
    return command.execute(interaction, ctx);
  }
  if (interaction.isAutocomplete()) {
    await registry.commands.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
    // Every autocomplete gets exactly one answer: none to offer is an empty list (a
    // command or option without autocomplete, an option the handler does not know).
    if (!interaction.responded) await interaction.respond([]);
    return;
  }
  if (interaction.isButton()) {
    const [prefix = '', ...args] = interaction.customId.split(':');
    const handler = registry.buttons.get(prefix);
    if (!handler) {
      // A button of an older version of the bot, or a forged id: not a crash, a notice.
      ctx.logger.warn({ customId: interaction.customId.slice(0, 100) }, 'unknown button');
      return respond(interaction, renderNotice('This button no longer does anything. Please ask again.'));
    }
    // Button answers (More, Context) are private.
    deferral.cancel = await deferWhenSlow(interaction, true, ctx, ctx.library.offThread);
    return handler(interaction, args, ctx);
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
