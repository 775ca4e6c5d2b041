/** `/ask question:<text> [results:1–5] [private:boolean]` — the answer as quoted passages. */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { linkOptions, type BotContext, type HandlerOutcome } from '../src/discord/context.ts';
import { askIndex } from '../src/discord/ask-library.ts';
import { contextViews } from '../src/discord/source-files.ts';
import { BUTTON, renderAnswer, renderContext } from '../src/discord/render/answer.ts';
import { renderNotice } from '../src/discord/render/payload.ts';
import { argumentsOf, slashCommand, type OptionSpec } from '../src/discord/options.ts';
import { respond } from '../src/discord/respond.ts';
import { DEFAULT_TOP } from '../src/core/options.ts';

export const MAX_QUESTION = 300;

export const options = [
  { type: 'string', name: 'question', description: 'Your question', required: true, maxLength: MAX_QUESTION },
  { type: 'integer', name: 'results', description: `How many quotes (1–5, default ${DEFAULT_TOP})`, min: 1, max: 5 },
  { type: 'boolean', name: 'private', description: 'Only you see the answer' },
] as const satisfies readonly OptionSpec[];

export const data = slashCommand({ name: 'ask', description: 'Answer a question with verbatim quotes from the documents' }, options);

/** What `/help` adds to the command's line. */
export const help = 'Buttons: **More** (next quotes), **Context** (the lines around each quote).';

/** Questions count against the asker's cooldown (checked before `execute`). */
export const cooldown = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const args = argumentsOf(interaction, options);
  const question = args.question.slice(0, MAX_QUESTION);
  const top = args.results ?? DEFAULT_TOP;
  const ephemeral = args.private ?? false;
  const outcome = await askIndex(ctx, question, { top });
  if ('error' in outcome) {
    await respond(interaction, renderNotice(outcome.error));
    return { answered: false, passages: 0 };
  }
  const { answer } = outcome;
  const key = answer.answered ? ctx.answers.rememberResults(question, top, answer.results) : undefined;
  await respond(interaction, { ...renderAnswer(answer, { key, ...linkOptions(ctx) }), ephemeral });
  return { answered: answer.answered, passages: answer.results.length };
}

const EXPIRED = 'This answer is too old for its buttons (the bot restarted or forgot it). Please ask again.';

/** The buttons under an answer; both reply privately to whoever pressed them. */
export const buttons = {
  /** `more:<key>:<offset>` — the next results of the same question. */
  async [BUTTON.more](interaction: ButtonInteraction, [key, offset]: string[], ctx: BotContext): Promise<HandlerOutcome> {
    const remembered = key ? ctx.answers.get(key) : undefined;
    if (!remembered) {
      await respond(interaction, renderNotice(EXPIRED));
      return {};
    }
    const outcome = await askIndex(ctx, remembered.question, { top: remembered.top, offset: Math.max(0, Number(offset) || 0) });
    if ('error' in outcome) {
      await respond(interaction, renderNotice(outcome.error));
      return {};
    }
    const { answer } = outcome;
    // A new entry for this page: the first answer's Context keeps citing its own lines.
    const nextKey = ctx.answers.rememberResults(remembered.question, remembered.top, answer.results);
    await respond(interaction, { ...renderAnswer(answer, { key: nextKey, ...linkOptions(ctx) }), ephemeral: true });
    return { answered: answer.answered, passages: answer.results.length };
  },

  /** `ctx:<key>` — the cited lines with three lines before and after. */
  async [BUTTON.context](interaction: ButtonInteraction, [key]: string[], ctx: BotContext): Promise<HandlerOutcome> {
    const remembered = key ? ctx.answers.get(key) : undefined;
    if (!remembered) {
      await respond(interaction, renderNotice(EXPIRED));
      return {};
    }
    const views = await contextViews(ctx, remembered.cited);
    await respond(interaction, views.length ? renderContext(views, linkOptions(ctx)) : renderNotice('These files are no longer in the corpus.'));
    return { passages: views.length };
  },
};

export function ephemeral(interaction: ChatInputCommandInteraction): boolean {
  return argumentsOf(interaction, options).private ?? false;
}
