/** Reading corpus files for /source and the Context button: only indexed files, only inside the corpus folder. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { matchFiles } from '../core/answer.ts';
import { decodeCorpusText } from '../library/corpus.ts';
import { VerbatimError } from '../core/errors.ts';
import type { BotContext } from './context.ts';
import type { ContextView, NumberedLine } from './render/answer.ts';

export class SourceRefusedError extends VerbatimError {
  override name = 'SourceRefusedError';
}

/**
 * The corpus file for a user-given name. Only names of indexed files are accepted (so
 * `../../.env` or an absolute path can never be read), and the real path must still be
 * inside the corpus folder.
 */
export async function readSource(ctx: BotContext, name: string): Promise<{ source: string; text: string }> {
  const trimmed = name.trim();
  const refuse = () => new SourceRefusedError(`\`${trimmed.slice(0, 80).replace(/`/g, "'")}\` is not a file in the corpus.`);
  if (!trimmed || trimmed.includes('..') || path.isAbsolute(trimmed) || /^[a-z]:/i.test(trimmed) || trimmed.includes('\0')) throw refuse();
  let source = ctx.library.index.file(trimmed) ? trimmed : undefined;
  if (!source) {
    const matches = [...matchFiles(ctx.library.index, trimmed).sources];
    if (matches.length === 1) source = matches[0];
    else if (matches.length > 1) throw new SourceRefusedError(candidateList(trimmed, matches));
  }
  if (!source) throw refuse();
  const root = await fs.realpath(ctx.config.corpusDir);
  const real = await fs.realpath(path.join(root, source)).catch(() => undefined);
  if (!real || !real.startsWith(root + path.sep)) throw refuse();
  // Decoded as the index read it, so the lines are those cited.
  const bytes = await fs.readFile(real);
  return { source, text: decodeCorpusText(bytes) ?? bytes.toString('utf8') };
}

/** "`README.md` matches 12 files; which one?" and the candidates, so the user can pick one. */
function candidateList(name: string, matches: readonly string[]): string {
  const shown = matches.slice(0, 15).map((source) => `\`${source.replace(/`/g, "'")}\``);
  const more = matches.length > shown.length ? `\n…and ${matches.length - shown.length} more.` : '';
  return `\`${name.slice(0, 80).replace(/`/g, "'")}\` matches ${matches.length} files; which one?\n${shown.join('\n')}${more}`;
}

export function numberedLines(text: string, from: number, to: number): NumberedLine[] {
  const lines = text.split('\n');
  const out: NumberedLine[] = [];
  for (let n = Math.max(1, from); n <= Math.min(lines.length, to); n++) out.push({ number: n, text: lines[n - 1]!.replace(/\r$/, '') });
  return out;
}

/** The cited lines of each quote with `around` lines before and after. */
export async function contextViews(ctx: BotContext, cited: ReadonlyArray<{ readonly source: string; readonly lines: readonly [number, number] }>, around = 3): Promise<ContextView[]> {
  const views: ContextView[] = [];
  for (const { source, lines } of cited) {
    try {
      const { text } = await readSource(ctx, source);
      views.push({ source, lines: [lines[0], lines[1]], context: numberedLines(text, lines[0] - around, lines[1] + around) });
    } catch (error) {
      if (!(error instanceof SourceRefusedError)) throw error;
    }
  }
  return views;
}
