/**
 * `/reindex [full:boolean]` — moderators only. Runs in a worker thread while questions are
 * still answered from the old index; progress edits at most every 2 s; one at a time.
 */
import { GuildMember, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { ReindexBusyError } from '../src/library/worker/background-reindex.ts';
import { CorpusGitError } from '../src/library/corpus-git.ts';
import { IndexLockedError } from '../src/library/index-lock.ts';
import type { ReindexProgress } from '../src/library/indexer.ts';
import type { BotContext, HandlerOutcome } from '../src/discord/context.ts';
import { canReindex } from '../src/discord/permissions.ts';
import { renderReindexProgress, renderReindexReport } from '../src/discord/render/admin.ts';
import { renderNotice } from '../src/discord/render/payload.ts';
import { argumentsOf, slashCommand, type OptionSpec } from '../src/discord/options.ts';
import { deferResponse, respond } from '../src/discord/respond.ts';

export const PROGRESS_EVERY_MS = 2000;

export const options = [{ type: 'boolean', name: 'full', description: 'Rebuild everything instead of only changed files' }] as const satisfies readonly OptionSpec[];

/** What `/help` adds to the command's line. */
export const help = 'Only changed files are read again, and questions are answered from the current index meanwhile.';

export const data = slashCommand({ name: 'reindex', description: 'Re-read the documents (moderators)', memberPermissions: PermissionFlagsBits.ManageGuild }, options);

function memberRoleIds(interaction: ChatInputCommandInteraction): string[] {
  const member = interaction.member;
  if (!member) return [];
  return member instanceof GuildMember ? [...member.roles.cache.keys()] : [...member.roles];
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const who = `${interaction.user.username} (${interaction.user.id})`;
  if (!canReindex(interaction.memberPermissions?.bitfield, memberRoleIds(interaction), ctx.config.moderatorRoleIds)) {
    ctx.logger.info({ audit: 'reindex', userId: interaction.user.id, result: 'refused: no permission' }, 'reindex refused');
    await respond(interaction, renderNotice('Only moderators (Manage Server, or a moderator role) can reindex.'));
    return {};
  }
  if (ctx.library.reindexing) {
    await respond(interaction, renderNotice('A reindex is already running; questions are still answered from the current index. Try again when it has finished.'));
    return {};
  }
  const full = argumentsOf(interaction, options).full ?? false;
  await deferResponse(interaction, true);

  // Progress edits are chained so they never overtake each other or the final report.
  let edits = Promise.resolve();
  let lastEdit = 0;
  const onProgress = (progress: ReindexProgress) => {
    const now = Date.now();
    if (now - lastEdit < PROGRESS_EVERY_MS) return;
    lastEdit = now;
    edits = edits.then(() => respond(interaction, renderReindexProgress(progress))).catch((error) => ctx.logger.warn({ err: error }, 'progress edit failed'));
  };
  const started = Date.now();
  try {
    const report = await ctx.library.reindex({ full, requestedBy: who, gitPull: ctx.config.corpusGitPull, onProgress });
    ctx.logger.info({ audit: 'reindex', userId: interaction.user.id, full, result: 'ok', files: report.files, passages: report.passages, durationMs: report.durationMs }, 'reindex done');
    await edits;
    await respond(interaction, renderReindexReport(report));
    return { passages: report.passages };
  } catch (error) {
    if (error instanceof ReindexBusyError || error instanceof IndexLockedError) {
      // Another process (a `npm run reindex`, a second bot) may be writing the same index.
      ctx.logger.info({ audit: 'reindex', userId: interaction.user.id, full, result: 'refused: another reindex is running' }, 'reindex refused');
      await edits;
      await respond(interaction, renderNotice('A reindex is already running; questions are still answered from the current index. Try again when it has finished.'));
      return {};
    }
    if (error instanceof CorpusGitError) {
      // Nothing was written: the index being served stays as it was.
      ctx.logger.warn({ audit: 'reindex', userId: interaction.user.id, full, result: 'refused: git pull failed', reason: error.message }, 'reindex refused');
      await edits;
      await respond(interaction, renderNotice(`Could not update the documents from Git: ${error.message}\nQuestions are still answered from the current index.`));
      return {};
    }
    ctx.logger.info({ audit: 'reindex', userId: interaction.user.id, full, result: 'failed', durationMs: Date.now() - started }, 'reindex failed');
    await edits;
    throw error;
  }
}

export function ephemeral(): boolean {
  return true;
}
