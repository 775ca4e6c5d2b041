/** `/help` — what Verbatim does, its commands and query syntax. */
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/context.ts';
import { renderHelp } from '../src/discord/render.ts';
import { respond } from '../src/discord/respond.ts';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What Verbatim does and how to ask')
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: ChatInputCommandInteraction, _ctx: BotContext): Promise<void> {
  await respond(interaction, renderHelp());
}

export function ephemeral(): boolean {
  return true;
}
