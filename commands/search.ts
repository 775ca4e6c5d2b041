/** `/search query:<text> [file:<autocomplete>] [limit:1–10]` — a compact list of passages. */
import { InteractionContextType, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { linkOptions, type BotContext, type HandlerOutcome } from '../src/discord/context.ts';
import { fitChoices } from '../src/discord/limits.ts';
import { askIndex, cooldownNotice, matchSources } from '../src/discord/questions.ts';
import { renderNotice, renderSearch } from '../src/discord/render.ts';
import { respond } from '../src/discord/respond.ts';

export const data = new SlashCommandBuilder()
  .setName('search')
  .setDescription('List the passages that match some words')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('query').setDescription('Words, "exact phrase", -exclude').setRequired(true).setMaxLength(300))
  .addStringOption((o) => o.setName('file').setDescription('Only this document').setAutocomplete(true).setMaxLength(100))
  .addIntegerOption((o) => o.setName('limit').setDescription('How many passages (1–10, default 5)').setMinValue(1).setMaxValue(10));

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const wait = cooldownNotice(ctx, interaction.user.id);
  if (wait) {
    await respond(interaction, renderNotice(wait));
    return {};
  }
  const query = interaction.options.getString('query', true);
  const file = interaction.options.getString('file') ?? undefined;
  const limit = interaction.options.getInteger('limit') ?? 5;
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
