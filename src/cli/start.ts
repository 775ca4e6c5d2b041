/**
 * `npm start`: with DISCORD_TOKEN, the Discord bot; without it (zero configuration), a
 * local Discord-compatible server with the real bot connected and a terminal prompt
 * acting as a member (`src/console/console.ts`).
 */
import { checkLocation } from '../library/storage-check.ts';
import { runCli } from './run.ts';

await runCli(async (config) => {
  // A bad CORPUS_DIR or INDEX_DIR is one line naming it, before anything is started.
  await checkLocation(config);
  if (config.discordToken) await (await import('../discord/run-bot.ts')).runBot(config);
  else await (await import('../console/console.ts')).runLocalConsole(config);
});
