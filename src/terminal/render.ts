/** Renders an `Answer` (and reindex reports) for a terminal: plain text, ANSI only when asked. */
import { correctionLine, phraseLines, type Answer, type AnswerResult } from '../core/answer.ts';
import type { ReindexProgress, ReindexReport } from '../library/indexer.ts';
import { foldWhitespace } from '../core/text.ts';
import { lackingLine } from '../core/answer-type.ts';

export interface TerminalStyle {
  /** Use ANSI bold/colour (only when writing to a TTY). */
  color: boolean;
}

const BOLD_YELLOW = '\x1b[1;33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * `source:Lstart-Lend`, the reference format used everywhere in the terminal (editors open
 * it at the line), then a code example's lines (`, L19-L21`) and the section when the
 * document has one: `… › Using npm`.
 */
export function referenceText(source: string, lines: readonly [number, number], section?: string, exampleLines?: readonly [number, number]): string {
  const example = exampleLines ? `, L${exampleLines[0]}-L${exampleLines[1]}` : '';
  return `${source}:L${lines[0]}-L${lines[1]}${example}${section ? ` › ${section}` : ''}`;
}

export function renderAnswerText(answer: Answer, style: TerminalStyle): string {
  const dim = (text: string) => (style.color ? DIM + text + RESET : text);
  const corrected = correctionLine(answer.corrected, { shown: (word) => (style.color ? BOLD_YELLOW + word + RESET : word), typed: (word) => word });
  const head = [...(corrected === undefined ? [] : [corrected]), ...phraseLines(answer)];
  if (!answer.answered) {
    return [
      ...head,
      answer.lacking ? `Not found in the corpus. ${lackingLine(answer.lacking)}` : 'Not found in the corpus: no passage matches enough of the question.',
      dim(`(${answer.searched} passages searched · ${answer.tookMs} ms)`),
    ].join('\n');
  }
  const blocks = answer.results.map((result, i) => renderResult(result, answer.offset + i + 1, style));
  const footer = dim(
    `(${answer.results.length} of the best passages · ${answer.searched} searched · ${answer.tookMs} ms${answer.more ? ' · more available' : ''})`,
  );
  return [...head, ...blocks, footer].join('\n\n');
}

function renderResult(result: AnswerResult, rank: number, style: TerminalStyle): string {
  const highlighted = style.color ? highlight(result.quote, result.highlights) : result.quote;
  // Table rows and list items, a line each, under the first; code's lines are set off below.
  const quote = result.code === undefined ? highlighted.replaceAll('\n', '\n    ') : highlighted;
  const also = result.also.length ? ` (also at ${result.also.map((loc) => referenceText(loc.source, loc.lines, loc.section)).join(', ')})` : '';
  const header = result.tableHeader;
  const { example } = result;
  const reference = `   — ${referenceText(result.source, result.lines, result.section, example?.lines)}${header ? ` (header row: L${header.line})` : ''}${also}`;
  // Rows of a table under their header row, which the quote's lines leave out.
  if (header) return [`${rank}. “${foldWhitespace(header.text)}”`, '   …', `   “${quote}”`, reference].join('\n');
  // Prose, then the code example it introduces.
  if (result.code === undefined) return [`${rank}. “${quote}”`, ...(example ? [`   ${example.code || 'code'}:`, ...codeLines(example.quote)] : []), reference].join('\n');
  return [`${rank}. ${result.code || 'code'}:`, ...codeLines(quote), reference].join('\n');
}

/** Code keeps its lines and indentation, set off by a bar so it reads as a block. */
function codeLines(code: string): string[] {
  return code.split('\n').map((line) => `   │ ${line.replace(/\r$/u, '')}`.trimEnd()); // no trailing whitespace: invisible, and a blank line ended in "│ "
}

function highlight(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + BOLD_YELLOW + text.slice(start, end) + RESET;
    at = end;
  }
  return out + text.slice(at);
}

export function reindexReportText(report: ReindexReport): string {
  const list = (names: string[]) => (names.length ? `: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}` : '');
  const lines = [
    `${report.full ? 'Full rebuild' : 'Reindex'} done in ${report.durationMs} ms: ${report.files} files, ${report.passages} passages.`,
    `  files added ${report.filesAdded.length}${list(report.filesAdded)}`,
    `  files changed ${report.filesChanged.length}${list(report.filesChanged)}`,
    `  files removed ${report.filesRemoved.length}${list(report.filesRemoved)}`,
    `  files unchanged ${report.filesUnchanged}`,
    `  passages added ${report.passagesAdded}, removed ${report.passagesRemoved}`,
  ];
  if (report.git) {
    const { from, to, changed } = report.git;
    lines.splice(1, 0, from === to ? `  git: already up to date at ${to.slice(0, 7)}` : `  git: ${from.slice(0, 7)}..${to.slice(0, 7)}, ${changed.length} file${changed.length === 1 ? '' : 's'} changed${list(changed)}`);
  }
  for (const skip of report.skipped) lines.push(`  skipped ${skip.source}: ${skip.reason}`);
  return lines.join('\n');
}

/** What each phase of a build is doing, in words. */
export const PHASE_LABELS: Record<ReindexProgress['phase'], string> = {
  scan: 'Scanning the corpus',
  read: 'Reading files',
  index: 'Indexing passages',
  save: 'Saving the index',
};

/** A one-line progress bar: `read  [#########---------] 3/5`. */
export function progressBar({ phase, done, total }: ReindexProgress, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `${phase.padEnd(5)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/** `Building the index: Reading files… 3/5`. */
export function progressLine({ phase, done, total }: ReindexProgress): string {
  return `Building the index: ${PHASE_LABELS[phase]}… ${done}/${total}`;
}

export interface ProgressReporter {
  /** Pass as `openIndex`'s / `reindex`'s `onProgress`. */
  update(progress: ReindexProgress): void;
  /** The build is over (or never started): clears the redrawn line on a terminal. */
  finish(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Shows a build's progress on `out` (stderr): on a terminal one line redrawn in place (at
 * most every 100 ms, and at each new phase), otherwise a plain line at each new phase and
 * at most one every 5 s within a phase. Nothing at all when no progress is reported, as
 * when the index simply loads.
 */
export function progressReporter(out: ProgressStream, { now = () => Date.now() }: { now?: () => number } = {}): ProgressReporter {
  const tty = out.isTTY === true;
  let lastPhase: ReindexProgress['phase'] | undefined;
  let lastAt = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      const at = now();
      const newPhase = progress.phase !== lastPhase;
      if (!newPhase && at - lastAt < (tty ? 100 : 5000)) return;
      lastPhase = progress.phase;
      lastAt = at;
      if (tty) {
        out.write(`\r${progressLine(progress)}\x1b[K`);
        drawn = true;
      } else out.write(progressLine(progress) + '\n');
    },
    finish() {
      if (drawn) out.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/**
 * Runs a build (`openIndex`, `reindex`) with its progress shown on `out`, and the redrawn
 * line cleared however it ends.
 */
export async function withProgress<T>(out: ProgressStream, build: (onProgress: ProgressReporter['update']) => Promise<T>): Promise<T> {
  const progress = progressReporter(out);
  try {
    return await build(progress.update);
  } finally {
    progress.finish();
  }
}
