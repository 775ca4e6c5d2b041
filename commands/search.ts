/** `/search query:<text> [file:<autocomplete>] [limit:1–10]` — a compact list of passages. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { linkOptions, type BotContext, type HandlerOutcome } from '../src/discord/context.ts';
import { askIndex } from '../src/discord/ask-library.ts';
import { fileAutocomplete } from '../src/discord/autocomplete.ts';
import { MAX_QUESTION } from './ask.ts';
import { renderSearch } from '../src/discord/render/answer.ts';
import { renderNotice } from '../src/discord/render/payload.ts';
import { argumentsOf, slashCommand, type OptionSpec } from '../src/discord/options.ts';
import { respond } from '../src/discord/respond.ts';

export const options = [
  { type: 'string', name: 'query', description: 'Words, "exact phrase", -exclude', required: true, maxLength: MAX_QUESTION },
  { type: 'string', name: 'file', description: 'Only this document or folder', autocomplete: true, maxLength: 100 },
  { type: 'integer', name: 'limit', description: 'How many passages (1–10, default 5)', min: 1, max: 10 },
] as const satisfies readonly OptionSpec[];

export const data = slashCommand({ name: 'search', description: 'List the passages that match some words' }, options);

/** Searches count against the asker's cooldown (checked before `execute`). */
export const cooldown = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const { query, file, limit = 5 } = argumentsOf(interaction, options);
  const outcome = await askIndex(ctx, query, { top: limit, requireRelevance: false, ...(file ? { file } : {}) });
  if ('error' in outcome) {
    await respond(interaction, renderNotice(outcome.error));
    return { answered: false, passages: 0 };
  }
  await respond(interaction, renderSearch(outcome.answer, linkOptions(ctx)));
  return { answered: outcome.answer.results.length > 0, passages: outcome.answer.results.length };
}

export { fileAutocomplete as autocomplete };
