/** /stats and /reindex rendered as Discord messages. */
import type { ReindexProgress, ReindexReport } from '../../library/indexer.ts';
import { escapeText } from '../format.ts';
import { clip } from '../limits.ts';
import { COLOR_ADMIN, COLOR_ANSWER, type ReplyPayload } from './payload.ts';

export interface BotStats {
  files: number;
  passages: number;
  indexBytes: number;
  lastReindex?: { at: string; by?: string; durationMs: number };
  uptimeSeconds: number;
  questionsAnswered: number;
}

export function renderStats(stats: BotStats): ReplyPayload {
  const last = stats.lastReindex
    ? `<t:${Math.floor(Date.parse(stats.lastReindex.at) / 1000)}:R> by ${escapeText(stats.lastReindex.by ?? 'start-up')}, ${stats.lastReindex.durationMs} ms`
    : 'never';
  return {
    embeds: [
      {
        title: 'Verbatim statistics',
        color: COLOR_ANSWER,
        fields: [
          { name: 'Files', value: String(stats.files), inline: true },
          { name: 'Passages', value: String(stats.passages), inline: true },
          { name: 'Index on disk', value: formatBytes(stats.indexBytes), inline: true },
          { name: 'Last reindex', value: last },
          { name: 'Uptime', value: formatDuration(stats.uptimeSeconds), inline: true },
          { name: 'Questions answered since start', value: String(stats.questionsAnswered), inline: true },
        ],
      },
    ],
  };
}

export function renderReindexProgress({ phase, done, total }: ReindexProgress): ReplyPayload {
  const labels = { scan: 'Scanning the corpus', read: 'Reading files', index: 'Indexing passages', save: 'Saving the index' } as const;
  return { content: `⏳ ${labels[phase]}… ${total ? `${done}/${total}` : ''}`.trim() };
}

export function renderReindexReport(report: ReindexReport): ReplyPayload {
  const list = (names: string[]) => (names.length ? ` (${escapeText(clip(names.join(', '), 300))})` : '');
  const lines = [
    `Files added **${report.filesAdded.length}**${list(report.filesAdded)}`,
    `Files changed **${report.filesChanged.length}**${list(report.filesChanged)}`,
    `Files removed **${report.filesRemoved.length}**${list(report.filesRemoved)}`,
    `Files unchanged **${report.filesUnchanged}**`,
    `Passages added **${report.passagesAdded}**, removed **${report.passagesRemoved}**`,
  ];
  if (report.git) lines.unshift(gitLine(report.git));
  if (report.skipped.length) {
    lines.push(`Skipped ${report.skipped.length}: ${escapeText(clip(report.skipped.map((s) => `${s.source} (${s.reason})`).join(', '), 500))}`);
  }
  return {
    content: '',
    embeds: [
      {
        title: `${report.full ? 'Full rebuild' : 'Reindex'} done in ${report.durationMs} ms`,
        color: COLOR_ADMIN,
        description: lines.join('\n'),
        footer: { text: `${report.files} files · ${report.passages} passages` },
      },
    ],
  };
}

/** `Git: abc1234 → def5678, 3 files changed (…)` or `Git: already at abc1234`. */
function gitLine(git: NonNullable<ReindexReport['git']>): string {
  const short = (commit: string) => `\`${commit.slice(0, 7)}\``;
  if (git.from === git.to) return `Git: already up to date at ${short(git.to)}`;
  const files = git.changed.length ? ` (${escapeText(clip(git.changed.join(', '), 300))})` : '';
  return `Git: ${short(git.from)} → ${short(git.to)}, **${git.changed.length}** file${git.changed.length === 1 ? '' : 's'} changed${files}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : `${m}m ${Math.floor(seconds % 60)}s`;
}
