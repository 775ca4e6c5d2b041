/**
 * The one place that reads the environment. `.env` is loaded once with dotenv, every
 * variable is validated with zod, and the rest of the code receives a frozen `Config`.
 * Nothing else in the project touches `process.env`.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';

/** Project root (the folder holding package.json), so defaults work from any cwd. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_CORPUS_DIR = path.join(PROJECT_ROOT, 'index-data', 'corpus');
export const DEFAULT_INDEX_DIR = path.join(PROJECT_ROOT, 'index-data', 'index');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Blank strings count as unset, so `FOO=` in .env falls back to the default. */
const optionalString = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value ? value : undefined));

const envSchema = z.object({
  CORPUS_DIR: optionalString,
  INDEX_DIR: optionalString,
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()),
});

export interface Config {
  /** Folder of `.txt` / `.md` documents to answer from. */
  corpusDir: string;
  /** Folder where the built index is persisted. */
  indexDir: string;
  /** pino log level; unset lets each program choose (the bot logs `info`, CLIs `warn`). */
  logLevel?: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates an environment (a plain object, so tests pass their own) into a `Config`.
 * Throws `ConfigError` with one line naming the bad variable.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid setting ${name}: ${issue?.message ?? 'invalid value'}`);
  }
  const values = parsed.data;
  return Object.freeze({
    corpusDir: path.resolve(values.CORPUS_DIR ?? DEFAULT_CORPUS_DIR),
    indexDir: path.resolve(values.INDEX_DIR ?? DEFAULT_INDEX_DIR),
    ...(values.LOG_LEVEL ? { logLevel: values.LOG_LEVEL } : {}),
  });
}

let cached: Config | undefined;

/** Loads `.env` (if present) and the process environment once, and validates it. */
export function loadConfig(): Config {
  if (!cached) {
    dotenv.config({ path: path.join(PROJECT_ROOT, '.env'), quiet: true });
    cached = parseConfig(process.env);
  }
  return cached;
}
