/**
 * `npm start`: with DISCORD_TOKEN, the Discord bot; without it, the local prompt on the
 * bundled corpus (zero configuration).
 */
import { runCli } from './run.ts';

await runCli(async (config) => {
  // Load only what is used: the prompt should not pay for discord.js.
  if (config.discordToken) await (await import('../discord/run-bot.ts')).runBot(config);
  else await (await import('./prompt.ts')).runPrompt(config);
});
