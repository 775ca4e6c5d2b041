/** What command handlers get: the current index and the bot's shared services. */
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BackgroundReindexer } from '../background-reindex.ts';
import type { Config } from '../config.ts';
import { linkBase } from '../corpus-git.ts';
import type { Manifest } from '../index-store.ts';
import type { OpenedIndex, ReindexReport } from '../indexer.ts';
import type { Logger } from '../logger.ts';
import type { VerbatimIndex } from '../search-index.ts';
import type { SearchThread } from '../search-thread.ts';
import type { AnswerCache } from './answer-cache.ts';
import type { Cooldown } from './cooldown.ts';

export interface BotStatsCounters {
  startedAt: number;
  questionsAnswered: number;
  lastReindex?: { at: string; by?: string; durationMs: number };
}

export interface BotContext {
  readonly config: Config;
  readonly logger: Logger;
  /** The index answering right now; replaced whole after a reindex. */
  index: VerbatimIndex;
  manifest: Manifest;
  readonly reindexer: BackgroundReindexer;
  /** Answers questions off the gateway's thread when the index is large. */
  readonly searcher: SearchThread;
  readonly cooldown: Cooldown;
  readonly answers: AnswerCache;
  readonly stats: BotStatsCounters;
  /** The commands this bot answers (`/help` is written from their definitions). */
  readonly commands: readonly SlashCommand[];
}

/** Facts a handler reports for the one log line of its interaction. */
export interface HandlerOutcome {
  answered?: boolean;
  passages?: number;
}

/** A slash command module in `commands/` (the discord.js guide's layout). */
export interface SlashCommand {
  data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome | void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  /** Whether this command's reply is private; used when the dispatcher must defer it under load. Default false. */
  ephemeral?(interaction: ChatInputCommandInteraction): boolean;
  /** What `/help` adds after the command's description. */
  help?: string;
  /** The command counts against its user's cooldown: the dispatcher checks it before `execute`. */
  cooldown?: boolean;
  /** Button handlers by custom-id prefix (`more`, `ctx`). */
  buttons?: Record<string, (interaction: ButtonInteraction, args: string[], ctx: BotContext) => Promise<HandlerOutcome | void>>;
}

/**
 * How this bot's references link: `SOURCE_BASE_URL`, its `{commit}` filled with the commit
 * the served index was built from (no links when that is unknown or the folder was dirty).
 */
export function linkOptions(ctx: Pick<BotContext, 'config' | 'manifest'>): { sourceBaseUrl?: string } {
  const sourceBaseUrl = linkBase(ctx.config.sourceBaseUrl, ctx.manifest.corpusGit);
  return sourceBaseUrl ? { sourceBaseUrl } : {};
}

/**
 * The one place the served index changes: after a reindex (a moderator's `/reindex` or the
 * corpus watcher's). Questions already running finish on the index they started with.
 */
export function serveReindexed(ctx: BotContext, { report, opened }: { report: ReindexReport; opened: OpenedIndex }, by: string): void {
  ctx.index = opened.index;
  ctx.manifest = opened.manifest;
  void ctx.searcher.prepare(opened.index);
  ctx.stats.lastReindex = { at: new Date().toISOString(), by, durationMs: report.durationMs };
}
