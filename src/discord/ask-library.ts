/** Asking for /ask, /search, the More button and mentions: a question that cannot be searched becomes a message. */
import type { Result } from '../core/result.ts';
import type { Answer, AskOptions } from '../core/answer.ts';
import { QueryError } from '../core/query.ts';
import type { BotContext } from './context.ts';

export type AskOutcome = Result<{ answer: Answer }>;

/**
 * Discord's markup for users, roles, channels, custom emoji and timestamps (`<@123…>`,
 * `<#123…>`, `<:pepe:123…>`, `<t:1700000000:R>`), which a member's question carries as text: not
 * words to search. A user's ID matched the guide's example `client_id` and answered "how do i make
 * a slash command" with an invite link. A command mention (`</ask:123…>`) keeps its name.
 */
const DISCORD_MARKUP = /<(?:@[!&]?\d{1,20}|#\d{1,20}|a?:\w{1,32}:\d{1,20}|t:-?\d{1,20}(?::[tTdDfFR])?|id:\w{1,20})>/gu;
const COMMAND_MENTION = /<\/([-_\p{L}\p{N} ]{1,100}):\d{1,20}>/gu;

/** The question as words: Discord's markup for mentions, emoji and timestamps left out. */
export function withoutDiscordMarkup(question: string): string {
  return question.replace(COMMAND_MENTION, ' /$1 ').replace(DISCORD_MARKUP, ' ').replace(/\s+/gu, ' ').trim();
}

/**
 * Asks the current index (on the search thread when it is large); a question that cannot be
 * searched becomes a message for the user.
 */
export async function askIndex(ctx: BotContext, question: string, options: AskOptions): Promise<AskOutcome> {
  try {
    return { answer: await ctx.library.ask(withoutDiscordMarkup(question), options) };
  } catch (error) {
    if (error instanceof QueryError) return { error: error.message };
    throw error;
  }
}
