/** Shared by /ask, /search, the buttons and mentions: asking, and reading cited lines. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { matchFiles, type Answer, type AskOptions } from '../answer.ts';
import { QueryError } from '../query.ts';
import type { AutocompleteInteraction } from 'discord.js';
import type { BotContext } from './context.ts';
import { fitChoices } from './limits.ts';
import type { ContextView, NumberedLine } from './render.ts';
import { VerbatimError } from '../errors.ts';

export type AskOutcome = { answer: Answer } | { error: string };

/**
 * Asks the current index (on the search thread when it is large); a question that cannot be
 * searched becomes a message for the user.
 */
export async function askIndex(ctx: BotContext, question: string, options: AskOptions): Promise<AskOutcome> {
  try {
    return { answer: await ctx.library.ask(question, options) };
  } catch (error) {
    if (error instanceof QueryError) return { error: error.message };
    throw error;
  }
}

/** Folders and files for a command's `file` option; no choices for any other focused option. */
export async function fileAutocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === 'file' ? fitChoices(matchSources(ctx, String(focused.value))) : []);
}

/** Says when a user who asked too often may ask again, or undefined when they may now. */
export function cooldownNotice(ctx: BotContext, userId: string): string | undefined {
  const verdict = ctx.cooldown.take(userId);
  if (verdict.ok) return undefined;
  const at = Math.ceil((Date.now() + verdict.retryAfterMs) / 1000);
  return `You're asking quickly — at most ${ctx.cooldown.limit} questions per ${ctx.cooldown.windowMs / 1000} s. Try again <t:${at}:R>.`;
}

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
  return { source, text: await fs.readFile(real, 'utf8') };
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

/**
 * Autocomplete over the indexed files and their folders: names starting with what was
 * typed first (the whole path or its last part), then names containing it. Folders end
 * in `/` and say how many files they hold.
 */
export function matchSources(ctx: BotContext, typed: string): Array<{ name: string; value: string }> {
  const needle = typed.trim().replace(/\\/g, '/').toLowerCase();
  const files = ctx.library.index.sources();
  const folderSizes = new Map<string, number>();
  for (const source of files) {
    for (let slash = source.indexOf('/'); slash !== -1; slash = source.indexOf('/', slash + 1)) {
      const folder = source.slice(0, slash + 1);
      folderSizes.set(folder, (folderSizes.get(folder) ?? 0) + 1);
    }
  }
  const entries = [...folderSizes.keys(), ...files].filter((entry) => entry.length <= 100);
  const lastPart = (entry: string) => entry.slice(entry.lastIndexOf('/', entry.length - 2) + 1);
  const starts = entries.filter((e) => e.toLowerCase().startsWith(needle) || lastPart(e).toLowerCase().startsWith(needle));
  const startSet = new Set(starts);
  const contains = entries.filter((e) => !startSet.has(e) && e.toLowerCase().includes(needle));
  return [...starts, ...contains].slice(0, 25).map((entry) => {
    const count = folderSizes.get(entry);
    return { name: count === undefined ? entry : `${entry} (${count} file${count === 1 ? '' : 's'})`.slice(0, 100), value: entry };
  });
}
