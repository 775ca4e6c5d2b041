/**
 * The one place that reads the environment. `.env` is loaded once with dotenv, every
 * variable is validated with zod, and the rest of the code receives a frozen `Config`.
 * Nothing else in the project touches `process.env`.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { VerbatimError } from './core/errors.ts';

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

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');
const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((url) => /^https?:\/\//.test(url), 'must start with http:// or https://')
  .transform(withoutTrailingSlashes);

function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`), unset = false. */
const flag = optionalString.pipe(
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .optional(),
);

const envSchema = z.object({
  CORPUS_DIR: optionalString,
  INDEX_DIR: optionalString,
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()),
  DISCORD_TOKEN: optionalString.pipe(z.string().regex(/^[\w.-]+$/, 'must be a bot token (no spaces or quotes)').optional()),
  DISCORD_CLIENT_ID: optionalString.pipe(snowflake.optional()),
  DISCORD_GUILD_ID: optionalString.pipe(snowflake.optional()),
  DISCORD_API_URL: optionalString.pipe(httpUrl.optional()),
  MODERATOR_ROLE_IDS: optionalString.pipe(
    z
      .string()
      .transform((list) => list.split(',').map((id) => id.trim()).filter(Boolean))
      .pipe(z.array(snowflake))
      .optional(),
  ),
  SOURCE_BASE_URL: optionalString.pipe(httpUrl.optional()),
  CORPUS_GIT_PULL: flag,
  WATCH_CORPUS: flag,
  COOLDOWN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of questions (0 turns it off)')
      .transform(Number)
      .pipe(z.number().max(1000, 'must be at most 1000'))
      .optional(),
  ),
});

export interface Config {
  /** Folder of `.txt` / `.md` documents to answer from. */
  corpusDir: string;
  /** Folder where the built index is persisted. */
  indexDir: string;
  /** pino log level; unset lets each program choose (the bot logs `info`, CLIs `warn`). */
  logLevel?: LogLevel;
  /** Bot token; without it `npm start` runs locally. Never logged or shown. */
  discordToken?: string;
  /** Application id; when unset it is read from the token's application. */
  discordClientId?: string;
  /** Guild for instant command registration; global when unset. */
  discordGuildId?: string;
  /** REST base as discord.js takes it (`rest.api`), e.g. `http://127.0.0.1:PORT/api`. */
  discordApiUrl?: string;
  /** Roles allowed to `/reindex` besides Manage Server. */
  moderatorRoleIds: string[];
  /**
   * Makes references links: `${sourceBaseUrl}/${source}#L12-L14`. `{commit}` in it becomes
   * the commit the index was built from (`corpus-git.ts`).
   */
  sourceBaseUrl?: string;
  /** `git pull --ff-only` in the corpus before every reindex. */
  corpusGitPull: boolean;
  /** Reindex by itself a few seconds after corpus files change. */
  watchCorpus: boolean;
  /** Questions per user per 30 s; 0 turns the limit off. */
  cooldown: number;
}

export class ConfigError extends VerbatimError {
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
    // Name the setting, never echo its value: it may be a secret.
    throw new ConfigError(`Invalid setting ${name}: ${issue?.message ?? 'invalid value'}`);
  }
  const values = parsed.data;
  return Object.freeze({
    corpusDir: path.resolve(values.CORPUS_DIR ?? DEFAULT_CORPUS_DIR),
    indexDir: path.resolve(values.INDEX_DIR ?? DEFAULT_INDEX_DIR),
    ...(values.LOG_LEVEL ? { logLevel: values.LOG_LEVEL } : {}),
    ...(values.DISCORD_TOKEN ? { discordToken: values.DISCORD_TOKEN } : {}),
    ...(values.DISCORD_CLIENT_ID ? { discordClientId: values.DISCORD_CLIENT_ID } : {}),
    ...(values.DISCORD_GUILD_ID ? { discordGuildId: values.DISCORD_GUILD_ID } : {}),
    ...(values.DISCORD_API_URL ? { discordApiUrl: values.DISCORD_API_URL } : {}),
    moderatorRoleIds: values.MODERATOR_ROLE_IDS ?? [],
    ...(values.SOURCE_BASE_URL ? { sourceBaseUrl: values.SOURCE_BASE_URL } : {}),
    corpusGitPull: values.CORPUS_GIT_PULL ?? false,
    watchCorpus: values.WATCH_CORPUS ?? false,
    cooldown: values.COOLDOWN ?? 5,
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

/**
 * The environment for a child process of ours (a bot under benchmark): this process's
 * environment with the given settings replacing Verbatim's own.
 */
export function childEnvironment(settings: Record<string, string>): Record<string, string | undefined> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in envSchema.shape)));
  return { ...inherited, ...settings };
}
