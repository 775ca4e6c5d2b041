/**
 * Shared start-up for the command-line programs: argument parsing with one-line errors,
 * config, logger, and a last-resort handler that turns known failures into one line on
 * stderr and a non-zero exit instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError, type Config, type LogLevel } from '../config.ts';
import { CorpusError } from '../corpus.ts';
import { BotStartError } from '../discord/start-error.ts';
import { DatasetError } from '../eval/beir.ts';
import { createLogger, type Logger } from '../logger.ts';
import { QueryError } from '../query.ts';

/** A usage mistake: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
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
    const known = [UsageError, ConfigError, CorpusError, QueryError, DatasetError, BotStartError].some((type) => error instanceof type);
    const message = known ? (error as Error).message : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
    process.stderr.write(`verbatim: ${message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

/** A positive integer flag value, or a `UsageError` naming the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}
