/** What command handlers get: the library (the served index) and the bot's shared services. */
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../config.ts';
import { linkBase } from '../library/corpus-git.ts';
import type { Library } from '../library/library.ts';
import type { Logger } from '../logger.ts';
import type { AnswerCache } from './answer-cache.ts';
import type { Cooldown } from './cooldown.ts';

export interface BotContext {
  readonly config: Config;
  readonly logger: Logger;
  /** The one owner of the served index: asking, reindexing, the counts (`library.ts`). */
  readonly library: Library;
  readonly cooldown: Cooldown;
  readonly answers: AnswerCache;
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
export function linkOptions(ctx: Pick<BotContext, 'config' | 'library'>): { sourceBaseUrl?: string } {
  const sourceBaseUrl = linkBase(ctx.config.sourceBaseUrl, ctx.library.manifest.corpusGit);
  return sourceBaseUrl ? { sourceBaseUrl } : {};
}

