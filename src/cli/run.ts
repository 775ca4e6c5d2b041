/**
 * Shared start-up for the command-line programs: argument parsing with one-line errors,
 * config, logger, and a last-resort handler that turns known failures into one line on
 * stderr and a non-zero exit instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config, type LogLevel } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { VerbatimError } from '../core/errors.ts';

/** A usage mistake: printed as one line, exit code 2. */
export class UsageError extends VerbatimError {
  override name = 'UsageError';
  override readonly exitCode = 2;
}

/**
 * Flags and positionals, strictly: an unknown `--flag` is a `UsageError` (exit 2). A
 * single-dash word that is not one of the flags' short forms (`-putin`, `-3`) is a
 * positional, kept in its place: `-word` is the query syntax for excluding a word, so
 * `ask who is -putin chef` needs no `--`. Everything after `--` is positional too.
 */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  const shorts = new Map<string, 'string' | 'boolean'>();
  for (const option of Object.values(options)) if (option.short) shorts.set(option.short, option.type);
  // Dash words are swapped for placeholders parseArgs takes as positionals, then restored.
  const words = new Map<string, string>();
  const args: string[] = [];
  let expectValue = false;
  let rest = false;
  for (const arg of argv) {
    if (rest || expectValue) {
      expectValue = false;
      args.push(arg);
    } else if (arg === '--') {
      rest = true;
      args.push(arg);
    } else if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      expectValue = !arg.includes('=') && options[name]?.type === 'string';
      args.push(arg);
    } else if (arg.length > 1 && arg.startsWith('-') && !(arg.length === 2 && shorts.has(arg[1]!))) {
      const placeholder = `\u0000${words.size}`;
      words.set(placeholder, arg);
      args.push(placeholder);
    } else {
      expectValue = arg.length === 2 && arg.startsWith('-') && shorts.get(arg[1]!) === 'string';
      args.push(arg);
    }
  }
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { ...parsed, positionals: parsed.positionals.map((word) => words.get(word) ?? word) };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
}

export function cliLogger(config: Config, fallback: LogLevel = 'warn'): Logger {
  return createLogger({ level: config.logLevel ?? fallback, pretty: true });
}

/** Runs `main`; known errors become `verbatim: <message>` on stderr with a non-zero exit. */
export async function runCli(main: (config: Config) => Promise<number | void>): Promise<void> {
  try {
    const code = await main(loadConfig());
    process.exitCode = code ?? 0;
  } catch (error) {
    const known = error instanceof VerbatimError;
    const message = known ? error.message : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
    process.stderr.write(`verbatim: ${message}\n`);
    process.exitCode = known ? error.exitCode : 1;
  }
}

/** A positive integer flag value, or a `UsageError` naming the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}
