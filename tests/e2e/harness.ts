/**
 * End-to-end harness: the local Discord-compatible server and the REAL bot (`createBot`)
 * connected to it over HTTP and WebSocket on 127.0.0.1, with a temp copy of the corpus and
 * a logger whose lines the tests can read.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { REST, Routes } from 'discord.js';
import { expect } from 'vitest';
import { DEFAULT_CORPUS_DIR, parseConfig } from '../../src/config.ts';
import { createBot, type Bot } from '../../src/discord/bot.ts';
import { commandDefinitions } from '../../src/discord/registry.ts';
import { createLogger } from '../../src/logger.ts';
import { localBotSettings } from '../../src/local-discord/bot-settings.ts';
import { startLocalDiscord, type LocalDiscord, type LocalDiscordOptions, type StoredMessage } from '../../src/local-discord/index.ts';
import { DISCORD_SPEC } from '../helpers.ts';

export interface Harness {
  ld: LocalDiscord;
  bot: Bot;
  root: string;
  corpusDir: string;
  indexDir: string;
  /** The bot's log lines (pino JSON, parsed). */
  logs: Array<Record<string, unknown>>;
  /** The local server's notes (violations, forced failures). */
  serverLog: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra files written into the corpus copy before the bot starts. */
  prepare?: (corpusDir: string) => void;
  server?: LocalDiscordOptions;
  /** Register the commands as `npm run deploy-commands` does (guild commands), so options are typed by their definitions. */
  registerCommands?: boolean;
  /** Passed to `createBot`: `0` makes the bot answer every question on its search thread. */
  searchThreadFromPassages?: number;
  /** More settings, as in `.env` (e.g. `SOURCE_BASE_URL`, `CORPUS_GIT_PULL`). */
  settings?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'verbatim-e2e-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  cpSync(DEFAULT_CORPUS_DIR, corpusDir, { recursive: true });
  options.prepare?.(corpusDir);

  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const serverLines: string[] = [];
  const ld = await startLocalDiscord({ log: (line) => serverLines.push(line), spec: DISCORD_SPEC, ...options.server });
  if (options.registerCommands !== false) {
    const rest = new REST({ api: ld.apiUrl }).setToken(ld.token);
    await rest.put(Routes.applicationGuildCommands(ld.applicationId, ld.guildId), { body: commandDefinitions() });
  }
  const config = parseConfig({ ...localBotSettings(ld, { corpusDir, indexDir }), ...options.settings });
  const bot = await createBot(config, createLogger({ level: 'info', destination: sink }), {
    ...(options.searchThreadFromPassages !== undefined ? { searchThreadFromPassages: options.searchThreadFromPassages } : {}),
  });
  await bot.start();
  await ld.waitForBot();
  return {
    ld,
    bot,
    root,
    corpusDir,
    indexDir,
    logs,
    serverLog: serverLines,
    async stop() {
      await bot.stop();
      await ld.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every test ends with this: the bot sent nothing Discord would refuse or that breaks a limit. */
export function expectNoViolations(ld: LocalDiscord): void {
  expect(ld.violations).toEqual([]);
}

/** allowed_mentions that ping nobody, as the bot must send on every message. */
export const NO_PINGS_JSON = { parse: [], users: [], roles: [], replied_user: false };

export function embedText(message: StoredMessage | undefined): string {
  const embed = message?.embeds[0];
  return [embed?.title, embed?.description, ...(embed?.fields ?? []).map((f) => `${f.name}: ${f.value}`), embed?.footer?.text].filter(Boolean).join('\n');
}

export function buttonIds(message: StoredMessage | undefined): string[] {
  return ((message?.components ?? []) as Array<{ components?: Array<{ custom_id?: string }> }>).flatMap((row) => (row.components ?? []).map((b) => b.custom_id ?? ''));
}

/** Markdown escapes removed (`000\\_0c2a…` → `000_0c2a…`), to compare with what a person reads. */
export function plain(markdown: string | undefined): string {
  return (markdown ?? '').replace(/\\([\\*_~`|>#\-[\]()<:.!+=])/g, '$1');
}
