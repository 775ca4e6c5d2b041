/**
 * `npm run deploy-commands`: registers the slash commands from `commands/` — in
 * DISCORD_GUILD_ID (instant) or globally when it is unset.
 */
import { REST, Routes, type APIApplication } from 'discord.js';
import { commandDefinitions } from '../discord/registry.ts';
import { runCli, UsageError } from './run.ts';

await runCli(async (config) => {
  if (!config.discordToken) throw new UsageError('DISCORD_TOKEN is not set (see .env.example)');
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken);
  const body = commandDefinitions();
  let saved: unknown[];
  let clientId = config.discordClientId;
  try {
    clientId ??= ((await rest.get(Routes.currentApplication())) as APIApplication).id;
    const route = config.discordGuildId ? Routes.applicationGuildCommands(clientId, config.discordGuildId) : Routes.applicationCommands(clientId);
    saved = (await rest.put(route, { body })) as unknown[];
  } catch (error) {
    // One line, without the token: Discord's message (e.g. 401: Unauthorized) or the network error.
    throw new UsageError(`Discord refused the registration: ${(error as Error).message.split('\n')[0]}`);
  }
  process.stdout.write(`Registered ${saved.length} commands ${config.discordGuildId ? `in guild ${config.discordGuildId}` : 'globally (may take up to an hour to appear)'}: ${body.map((c) => '/' + c.name).join(' ')}\n`);
});
