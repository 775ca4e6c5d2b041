/**
 * The settings (as the environment names them) that point the bot at a local Discord: its
 * token and API address, a corpus and index folder, its Moderator role, no cooldown. For
 * the audit, the Discord bench and the tests, which run the real bot against this server.
 */
import type { LocalDiscord } from './server.ts';

export function localBotSettings(server: LocalDiscord, folders: { corpusDir: string; indexDir: string }, logLevel = 'silent'): Record<string, string> {
  return {
    DISCORD_TOKEN: server.token,
    DISCORD_API_URL: server.apiUrl,
    CORPUS_DIR: folders.corpusDir,
    INDEX_DIR: folders.indexDir,
    MODERATOR_ROLE_IDS: server.roles.moderator,
    COOLDOWN: '0',
    LOG_LEVEL: logLevel,
  };
}
