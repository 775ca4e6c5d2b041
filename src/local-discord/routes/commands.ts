/**
 * REST routes of the application: who the bot is, where its gateway is, and its commands
 * (list and bulk overwrite, global and in the guild).
 */
import { randomBytes } from 'node:crypto';
import { ApplicationFlags, type APIApplication, type APIApplicationCommand } from 'discord-api-types/v10';
import type { LocalGuild } from '../guild.ts';
import { HttpError, ID, route, type Json, type Route } from '../http.ts';
import { snowflake } from '../snowflake.ts';

export function commandRoutes(guild: LocalGuild, gatewayUrl: () => string): Route[] {
  return [
    route('GET', '/gateway', false, () => ({ status: 200, body: { url: gatewayUrl() } })),
    route('GET', '/gateway/bot', true, () => ({
      status: 200,
      body: { url: gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } },
    })),
    route('GET', '/applications/@me', true, () => ({ status: 200, body: application(guild) })),
    route('GET', '/oauth2/applications/@me', true, () => ({ status: 200, body: application(guild) })),
    route('GET', '/users/@me', true, () => ({ status: 200, body: guild.botUser })),
    route('GET', `/applications/${ID}/commands`, true, ({ params }) => ({ status: 200, body: listCommands(guild, params[0]!) })),
    route('PUT', `/applications/${ID}/commands`, true, ({ params, body }) => ({ status: 200, body: putCommands(guild, params[0]!, undefined, body) })),
    route('GET', `/applications/${ID}/guilds/${ID}/commands`, true, ({ params }) => ({ status: 200, body: listCommands(guild, params[0]!, params[1]) })),
    route('PUT', `/applications/${ID}/guilds/${ID}/commands`, true, ({ params, body }) => ({ status: 200, body: putCommands(guild, params[0]!, params[1], body) })),
  ];
}

function application(guild: LocalGuild): APIApplication {
  const flags = ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.GatewayMessageContentLimited;
  return {
    id: guild.applicationId,
    name: 'Verbatim',
    icon: null,
    description: 'Answers questions with verbatim quotes.',
    bot_public: true,
    bot_require_code_grant: false,
    bot: guild.botUser,
    verify_key: randomBytes(32).toString('hex'),
    team: null,
    flags,
    flags_new: String(flags),
    summary: '',
    approximate_guild_count: 1,
  };
}

function checkScope(guild: LocalGuild, applicationId: string, guildId: string | undefined): void {
  if (applicationId !== guild.applicationId) throw new HttpError(403, 50001, 'Missing Access');
  if (guildId !== undefined && guildId !== guild.guildId) throw new HttpError(404, 10004, 'Unknown Guild');
}

function listCommands(guild: LocalGuild, applicationId: string, guildId?: string): APIApplicationCommand[] {
  checkScope(guild, applicationId, guildId);
  return [...(guildId ? guild.guildCommands : guild.globalCommands).values()];
}

/** Bulk overwrite, as Discord does it: a command keeps its id when its name stays. */
function putCommands(guild: LocalGuild, applicationId: string, guildId: string | undefined, body: unknown): APIApplicationCommand[] {
  checkScope(guild, applicationId, guildId);
  if (!Array.isArray(body)) throw new HttpError(400, 50035, 'Invalid Form Body');
  const store = guildId ? guild.guildCommands : guild.globalCommands;
  const previous = new Map([...store.values()].map((c) => [c.name, c]));
  store.clear();
  for (const definition of body as Json[]) {
    const name = String(definition.name);
    const before = previous.get(name);
    const command = {
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...structuredClone(definition),
      id: before?.id ?? guild.unregisteredCommandIds.get(name) ?? snowflake(),
      application_id: guild.applicationId,
      version: snowflake(),
      ...(guildId ? { guild_id: guildId } : {}),
    } as unknown as APIApplicationCommand;
    store.set(command.id, command);
  }
  return [...store.values()];
}
