/** `/stats` — corpus size, index size, last reindex, uptime, questions answered. */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/context.ts';
import { slashCommand } from '../src/discord/options.ts';
import { renderStats } from '../src/discord/render/admin.ts';
import { respond } from '../src/discord/respond.ts';

export const data = slashCommand({ name: 'stats', description: 'How big the corpus is, when it was last reindexed, questions answered' });

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const { manifest, stats, index } = ctx.library;
  await respond(
    interaction,
    renderStats({
      files: index.fileCount,
      passages: index.passageCount,
      indexBytes: manifest.bytes.store + manifest.bytes.chunks + manifest.bytes.segments,
      lastReindex: stats.lastReindex ?? { at: manifest.builtAt, by: manifest.builtBy, durationMs: manifest.buildMs },
      uptimeSeconds: Math.floor((Date.now() - stats.startedAt) / 1000),
      questionsAnswered: stats.questionsAnswered,
    }),
  );
}
