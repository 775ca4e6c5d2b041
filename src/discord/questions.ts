/** Shared by /ask, /search, the buttons and mentions: asking, and reading cited lines. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveFile, type Answer, type AskOptions } from '../answer.ts';
import { QueryError } from '../query.ts';
import type { BotContext } from './context.ts';
import type { ContextView, NumberedLine } from './render.ts';

export type AskOutcome = { answer: Answer } | { error: string };

/**
 * Asks the current index (on the search thread when it is large); a question that cannot be
 * searched becomes a message for the user.
 */
export async function askIndex(ctx: BotContext, question: string, options: AskOptions): Promise<AskOutcome> {
  try {
    const answer = await ctx.searcher.ask(ctx.index, question, options);
    if (answer.answered) ctx.stats.questionsAnswered++;
    return { answer };
  } catch (error) {
    if (error instanceof QueryError) return { error: error.message };
    throw error;
  }
}

/** Says when a user who asked too often may ask again, or undefined when they may now. */
export function cooldownNotice(ctx: BotContext, userId: string): string | undefined {
  const verdict = ctx.cooldown.take(userId);
  if (verdict.ok) return undefined;
  const at = Math.ceil((Date.now() + verdict.retryAfterMs) / 1000);
  return `You're asking quickly — at most ${ctx.cooldown.limit} questions per ${ctx.cooldown.windowMs / 1000} s. Try again <t:${at}:R>.`;
}

export class SourceRefusedError extends Error {
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
  let source = ctx.index.file(trimmed) ? trimmed : undefined;
  if (!source) {
    try {
      const matches = [...resolveFile(ctx.index, trimmed)];
      if (matches.length === 1) source = matches[0];
    } catch {
      // several files match: refused below
    }
  }
  if (!source) throw refuse();
  const root = await fs.realpath(ctx.config.corpusDir);
  const real = await fs.realpath(path.join(root, source)).catch(() => undefined);
  if (!real || !real.startsWith(root + path.sep)) throw refuse();
  return { source, text: await fs.readFile(real, 'utf8') };
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

/** Autocomplete over the indexed files: names containing what was typed, prefixes first. */
export function matchSources(ctx: BotContext, typed: string): Array<{ name: string; value: string }> {
  const needle = typed.trim().toLowerCase();
  const sources = ctx.index.sources().filter((s) => s.length <= 100);
  const starts = sources.filter((s) => s.toLowerCase().startsWith(needle) || s.toLowerCase().split('/').pop()!.startsWith(needle));
  const contains = sources.filter((s) => !starts.includes(s) && s.toLowerCase().includes(needle));
  return [...starts, ...contains].slice(0, 25).map((source) => ({ name: source, value: source }));
}
