/** `/help` — what Verbatim does, its commands and query syntax. */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/context.ts';
import { slashCommand } from '../src/discord/options.ts';
import { renderHelp } from '../src/discord/render/help.ts';
import { respond } from '../src/discord/respond.ts';

export const data = slashCommand({ name: 'help', description: 'What Verbatim does and how to ask' });

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await respond(interaction, renderHelp(ctx.commands));
}

export function ephemeral(): boolean {
  return true;
}
