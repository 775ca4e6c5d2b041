/**
 * `npm start`: with DISCORD_TOKEN, the Discord bot; without it (zero configuration), a
 * local Discord-compatible server with the real bot connected and a terminal prompt
 * acting as a member (`src/local-discord/console.ts`).
 */
import { runCli } from './run.ts';

await runCli(async (config) => {
  if (config.discordToken) await (await import('../discord/run-bot.ts')).runBot(config);
  else await (await import('../local-discord/console.ts')).runLocalConsole(config);
});
