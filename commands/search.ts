/** `/search query:<text> [file:<autocomplete>] [limit:1–10]` — a compact list of passages. */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { linkOptions, type BotContext, type HandlerOutcome } from '../src/discord/context.ts';
import { fitChoices } from '../src/discord/limits.ts';
import { askIndex, cooldownNotice, matchSources } from '../src/discord/questions.ts';
import { MAX_QUESTION } from './ask.ts';
import { renderNotice, renderSearch } from '../src/discord/render.ts';
import { argumentsOf, slashCommand, type OptionSpec } from '../src/discord/options.ts';
import { respond } from '../src/discord/respond.ts';

export const options = [
  { type: 'string', name: 'query', description: 'Words, "exact phrase", -exclude', required: true, maxLength: MAX_QUESTION },
  { type: 'string', name: 'file', description: 'Only this document or folder', autocomplete: true, maxLength: 100 },
  { type: 'integer', name: 'limit', description: 'How many passages (1–10, default 5)', min: 1, max: 10 },
] as const satisfies readonly OptionSpec[];

export const data = slashCommand({ name: 'search', description: 'List the passages that match some words' }, options);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const wait = cooldownNotice(ctx, interaction.user.id);
  if (wait) {
    await respond(interaction, renderNotice(wait));
    return {};
  }
  const { query, file, limit = 5 } = argumentsOf(interaction, options);
  const outcome = await askIndex(ctx, query, { top: limit, requireRelevance: false, ...(file ? { file } : {}) });
  if ('error' in outcome) {
    await respond(interaction, renderNotice(outcome.error));
    return { answered: false, passages: 0 };
  }
  await respond(interaction, renderSearch(outcome.answer, linkOptions(ctx)));
  return { answered: outcome.answer.results.length > 0, passages: outcome.answer.results.length };
}

/** File names for the `file` option; no choices for any other focused option. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === 'file' ? fitChoices(matchSources(ctx, String(focused.value))) : []);
}
