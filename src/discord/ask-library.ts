/** Asking for /ask, /search, the More button and mentions: a question that cannot be searched becomes a message. */
import type { Result } from '../core/result.ts';
import type { Answer, AskOptions } from '../core/answer.ts';
import { QueryError } from '../core/query.ts';
import type { BotContext } from './context.ts';

export type AskOutcome = Result<{ answer: Answer }>;

/**
 * Asks the current index (on the search thread when it is large); a question that cannot be
 * searched becomes a message for the user.
 */
export async function askIndex(ctx: BotContext, question: string, options: AskOptions): Promise<AskOutcome> {
  try {
    return { answer: await ctx.library.ask(question, options) };
  } catch (error) {
    if (error instanceof QueryError) return { error: error.message };
    throw error;
  }
}
