/**
 * A small Discord-compatible server on 127.0.0.1 that the real discord.js client talks to as
 * to Discord: the REST routes a bot like Verbatim uses under `/api/v10` (`http.ts`,
 * `routes/`) and the v10 gateway (`gateway.ts`), over one guild (`guild.ts`: #general, a
 * public thread in it, roles and four members). This file is the test driver's side: it
 * acts as those people (slash commands, autocomplete, buttons, messages) and shows what the
 * bot answered, when, and every spec or limit violation it committed.
 *
 * Every request body the bot sends is checked against Discord's limits and, when the server
 * is given the spec's path (`spec`), its OpenAPI schema (`validate.ts`); a violation is
 * recorded in `violations` and logged, and the request still succeeds unless its JSON is
 * malformed. Protocol mistakes Discord refuses (a second
 * acknowledgement, an acknowledgement after 3 s, a follow-up before any acknowledgement) are
 * refused the same way here and recorded too.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationCommandOptionType, GatewayDispatchEvents, type APIApplicationCommand } from 'discord-api-types/v10';
import { LocalGuild } from './guild.ts';
import { handleRequest, type InjectedFailure, type Route } from './http.ts';
import { autocompleteInteraction, buttonInteraction, chatInputInteraction, makeMessage, type OptionValue, type TypedOption } from './payloads.ts';
import { DEFAULT_TIMEOUT_MS, InteractionRecord, type InteractionKind, type LocalInteraction, type LocalMember, type RequestRecord, type StoredMessage } from './records.ts';
import { channelRoutes } from './routes/channels.ts';
import { commandRoutes } from './routes/commands.ts';
import { interactionRoutes } from './routes/interactions.ts';
import { snowflake, snowflakeAt } from './snowflake.ts';
import { OpenApiSpec } from './validate.ts';

export interface LocalDiscordOptions {
  port?: number;
  token?: string;
  /** Check what the bot sends against Discord's limits and rules (default true). */
  validate?: boolean;
  /**
   * Path to Discord's OpenAPI spec (`openapi.json`): every request body is also checked against
   * its route's schema. A path that cannot be read fails the start. Without it, no schema check.
   */
  spec?: string;
  /** Where notes and violations are logged (default: stderr). */
  log?: (line: string) => void;
  /** HELLO's heartbeat interval (default 41250 ms, Discord's). */
  heartbeatIntervalMs?: number;
  /** Time an interaction may take to be acknowledged (default 3000 ms, Discord's). */
  interactionDeadlineMs?: number;
}

export async function startLocalDiscord(options: LocalDiscordOptions = {}): Promise<LocalDiscord> {
  const server = new LocalDiscord(options);
  await server.listen(options.port ?? 0);
  return server;
}

type ThreadInfo = { id: string; name: string; parent_id: string; message_id?: string };

export class LocalDiscord {
  readonly url: string = '';
  /** `${url}/api`, the DISCORD_API_URL value */
  readonly apiUrl: string = '';
  readonly gatewayUrl: string = '';
  readonly requests: RequestRecord[] = [];

  private readonly guild: LocalGuild;
  private readonly http: http.Server;
  private readonly failures: InjectedFailure[] = [];
  private closed = false;

  constructor(options: LocalDiscordOptions = {}) {
    const validate = options.validate ?? true;
    // Discord's OpenAPI spec, when the server was given one.
    const spec = options.spec !== undefined && validate ? OpenApiSpec.load(options.spec) : undefined;
    spec?.warmUp();
    const log = options.log ?? ((line: string) => process.stderr.write(`[local-discord] ${line}\n`));
    const guild = new LocalGuild({
      ...(options.token !== undefined ? { token: options.token } : {}),
      validate,
      log,
      gatewayUrl: () => this.gatewayUrl,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      deadlineMs: options.interactionDeadlineMs ?? 3000,
    });
    this.guild = guild;

    const routes: Route[] = [...commandRoutes(guild, () => this.gatewayUrl), ...interactionRoutes(guild), ...channelRoutes(guild)];
    const rest = { token: this.token, routes, requests: this.requests, failures: this.failures, spec, violation: (where: string, reason: string) => guild.violation(where, reason), log };
    this.http = http.createServer((req, res) => void handleRequest(req, res, rest));
    this.http.on('upgrade', (req, socket, head) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/gateway' || pathname === '/gateway/' || pathname === '/') guild.gateway.handleUpgrade(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
  }

  // The guild's ids, and its people as the driver acts as them.
  get token() { return this.guild.token; }
  get applicationId() { return this.guild.applicationId; }
  get botUserId() { return this.guild.botUserId; }
  get guildId() { return this.guild.guildId; }
  get channels() { return this.guild.channels; }
  get roles() { return this.guild.roles; }
  get members() { return this.guild.members; }
  /** spec or limit violations seen in bot requests; tests assert it is empty */
  get violations(): string[] { return this.guild.violations; }

  /** @internal */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => resolve());
    });
    const address = this.http.address() as AddressInfo;
    const self = this as { url: string; apiUrl: string; gatewayUrl: string };
    self.url = `http://127.0.0.1:${address.port}`;
    self.apiUrl = `${self.url}/api`;
    self.gatewayUrl = `ws://127.0.0.1:${address.port}/gateway`;
  }

  // ---------------------------------------------------------------- people

  addMember(input: { username: string; roles?: string[]; permissions?: bigint }): LocalMember {
    return this.guild.addMember(input);
  }

  /**
   * resolves when a bot has identified and received GUILD_CREATE (and has not ended its
   * session since: a bot that disconnected for good does not count)
   */
  waitForBot(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const { gateway, botWaiters } = this.guild;
    return botWaiters.wait(() => (gateway.liveSessions().length > 0 ? true : undefined), timeoutMs, 'a bot to identify on the gateway').then(() => undefined);
  }

  // ---------------------------------------------------------------- channels and messages

  /** A StoredMessage view of a message as it is now. @internal */
  snapshot(id: string): StoredMessage | undefined {
    return this.guild.snapshot(id);
  }

  /** Every message in a channel or thread, oldest first (ephemeral ones included, with flag 64). */
  messages(channelId: string): StoredMessage[] {
    return this.guild.messages(channelId);
  }

  /** The first message in the channel (already there or still to come) that matches. */
  waitForMessage(channelId: string, predicate: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StoredMessage> {
    return this.guild.waitForMessage(channelId, predicate, timeoutMs);
  }

  threads(): ThreadInfo[] {
    return this.guild.state.threads.map((t) => ({
      id: t.id,
      name: t.name ?? '',
      parent_id: t.parent_id ?? '',
      ...(this.guild.messagesById.has(t.id) ? { message_id: t.id } : {}),
    }));
  }

  /** The first thread (already there or still to come) that matches. */
  waitForThread(predicate: (t: ThreadInfo) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.guild.messageWaiters.wait(() => this.threads().find(predicate), timeoutMs, 'a thread');
  }

  /** posts a message as the member (MESSAGE_CREATE to the bot); mentionBot prefixes `<@botId> ` and fills `mentions` */
  sendMessage(member: LocalMember, channelId: string, content: string, options: { mentionBot?: boolean; mentionRoles?: string[]; mentionEveryone?: boolean } = {}): StoredMessage {
    const guild = this.guild;
    const person = guild.person(member);
    if (!guild.channel(channelId)) throw new Error(`no channel ${channelId} in the local guild`);
    let text = options.mentionBot ? `<@${this.botUserId}> ${content}` : content;
    for (const role of options.mentionRoles ?? []) if (!text.includes(`<@&${role}>`)) text += ` <@&${role}>`;
    if (options.mentionEveryone && !/@everyone\b/.test(text)) text += ' @everyone';
    const parsed = guild.parseMentions(text, person);
    const api = makeMessage({
      id: snowflake(),
      channelId,
      author: person.user,
      content: text,
      now: new Date().toISOString(),
      ...parsed,
      // sendMessage's own flag says @everyone is meant, whatever the member's permissions.
      mentionEveryone: parsed.mentionEveryone || options.mentionEveryone === true,
    });
    guild.storeMessage({ api });
    guild.dispatchMessage(GatewayDispatchEvents.MessageCreate, api);
    guild.changed();
    return guild.snapshot(api.id)!;
  }

  // ---------------------------------------------------------------- interactions

  /** command definitions the bot PUT */
  registeredCommands(): unknown[] {
    return [...this.guild.guildCommands.values(), ...this.guild.globalCommands.values()].map((c) => structuredClone(c));
  }

  private commandId(name: string): string {
    const registered = this.guild.command(name);
    if (registered) return registered.id;
    let id = this.guild.unregisteredCommandIds.get(name);
    if (!id) this.guild.unregisteredCommandIds.set(name, (id = snowflake()));
    return id;
  }

  private newInteraction(kind: InteractionKind, member: LocalMember, channelId: string, sourceMessageId?: string, createdAgoMs = 0) {
    const guild = this.guild;
    const person = guild.person(member);
    const channel = guild.channel(channelId);
    if (!channel) throw new Error(`no channel ${channelId} in the local guild`);
    const id = createdAgoMs > 0 ? snowflakeAt(Date.now() - createdAgoMs) : snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const record = new InteractionRecord(id, token, kind, channelId, person, guild, sourceMessageId);
    guild.interactions.set(id, record);
    guild.interactionsByToken.set(token, record);
    const botPerson = guild.people.get(this.botUserId)!;
    return { record, base: { id, token, applicationId: this.applicationId, guild: guild.state, channel: structuredClone(channel), person, appPermissions: botPerson.permissions } };
  }

  private dispatchInteraction(record: InteractionRecord, data: unknown): InteractionRecord {
    record.dispatchedAt = performance.now();
    this.guild.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, data);
    return record;
  }

  /** `where.createdAgoMs` backdates the interaction, as if it had waited that long in a queue before reaching the bot. */
  slashCommand(member: LocalMember, name: string, options: Record<string, OptionValue> = {}, where: { channelId?: string; createdAgoMs?: number } = {}): LocalInteraction {
    const definition = this.guild.command(name);
    const typed = typedOptions(definition, name, options);
    for (const required of definition?.options?.filter((o) => 'required' in o && o.required) ?? []) {
      if (!(required.name in options)) throw new Error(`/${name} needs the option "${required.name}"`);
    }
    const { record, base } = this.newInteraction('command', member, where.channelId ?? this.channels.general, undefined, where.createdAgoMs);
    return this.dispatchInteraction(record, chatInputInteraction({ ...base, commandId: this.commandId(name), name, options: typed }));
  }

  autocomplete(member: LocalMember, name: string, options: Record<string, OptionValue>, focused: string, where: { channelId?: string } = {}): LocalInteraction {
    if (!(focused in options)) throw new Error(`the focused option "${focused}" must be among the options`);
    const typed = typedOptions(this.guild.command(name), name, options, focused);
    const { record, base } = this.newInteraction('autocomplete', member, where.channelId ?? this.channels.general);
    return this.dispatchInteraction(record, autocompleteInteraction({ ...base, commandId: this.commandId(name), name, options: typed }));
  }

  pressButton(member: LocalMember, message: StoredMessage, customId: string): LocalInteraction {
    const stored = this.guild.messagesById.get(message.id);
    if (!stored) throw new Error(`message ${message.id} is not on the local server`);
    const buttons = (stored.api.components ?? []).flatMap((row) => ('components' in row ? (row.components as Array<{ custom_id?: string; disabled?: boolean }>) : []));
    const button = buttons.find((b) => b.custom_id === customId);
    if (!button) throw new Error(`message ${message.id} has no button ${customId} (it has: ${buttons.map((b) => b.custom_id).join(', ')})`);
    if (button.disabled) throw new Error(`button ${customId} is disabled`);
    const { record, base } = this.newInteraction('button', member, stored.api.channel_id, stored.api.id);
    return this.dispatchInteraction(record, buttonInteraction({ ...base, message: structuredClone(stored.api), customId }));
  }

  /**
   * A press with a custom id the message does not carry, as a modified client or a button
   * left by an older version of the bot can deliver. Hostile-input tests only.
   */
  pressForgedButton(member: LocalMember, message: StoredMessage, customId: string): LocalInteraction {
    const stored = this.guild.messagesById.get(message.id);
    if (!stored) throw new Error(`message ${message.id} is not on the local server`);
    const { record, base } = this.newInteraction('button', member, stored.api.channel_id, stored.api.id);
    return this.dispatchInteraction(record, buttonInteraction({ ...base, message: structuredClone(stored.api), customId }));
  }

  // ---------------------------------------------------------------- gateway and failures

  /** What happened on the gateway (identify, resume, close, disconnect), one line each. */
  get gatewayLog(): readonly string[] {
    return this.guild.gateway.events;
  }

  /** closes the bot's gateway socket (default code 4000, resumable) */
  closeGateway(code = 4000): void {
    this.guild.gateway.closeConnections(code);
  }

  /** the next `count` REST requests whose "METHOD path" matches answer `status` with a Discord-style error */
  failNext(match: RegExp, status = 500, count = 1): void {
    this.failures.push({ match, status, left: count });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('the local Discord server was closed');
    this.guild.messageWaiters.close(error);
    this.guild.botWaiters.close(error);
    for (const interaction of this.guild.interactions.values()) interaction.waiters.close(error);
    await this.guild.gateway.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/**
 * Options typed as the registered command declares them (or inferred when it is not
 * registered). Like Discord's client, refuses what the definition does not allow: unknown
 * options, wrong types, numbers out of range, strings too long.
 */
function typedOptions(definition: APIApplicationCommand | undefined, name: string, options: Record<string, OptionValue>, focused?: string): TypedOption[] {
  return Object.entries(options).map(([option, value]) => {
    const declared = definition?.options?.find((o) => o.name === option);
    if (definition && !declared) throw new Error(`/${name} has no option "${option}" (it has: ${(definition.options ?? []).map((o) => o.name).join(', ')})`);
    const isFocused = option === focused;
    if (declared && !isFocused) {
      const limits = declared as { min_value?: number; max_value?: number; max_length?: number };
      const expected = { [ApplicationCommandOptionType.String]: 'string', [ApplicationCommandOptionType.Integer]: 'number', [ApplicationCommandOptionType.Number]: 'number', [ApplicationCommandOptionType.Boolean]: 'boolean' }[declared.type as number];
      if (expected && typeof value !== expected) throw new Error(`/${name} ${option}: expected a ${expected}, got ${JSON.stringify(value)}`);
      if (declared.type === ApplicationCommandOptionType.Integer && !Number.isInteger(value)) throw new Error(`/${name} ${option}: expected a whole number, got ${value}`);
      if (typeof value === 'number' && ((limits.min_value !== undefined && value < limits.min_value) || (limits.max_value !== undefined && value > limits.max_value))) {
        throw new Error(`/${name} ${option}: ${value} is outside ${limits.min_value ?? '…'}–${limits.max_value ?? '…'}`);
      }
      if (typeof value === 'string' && limits.max_length !== undefined && value.length > limits.max_length) {
        throw new Error(`/${name} ${option}: at most ${limits.max_length} characters (got ${value.length})`);
      }
    }
    let type: ApplicationCommandOptionType;
    if (declared) type = declared.type;
    else if (typeof value === 'boolean') type = ApplicationCommandOptionType.Boolean;
    else if (typeof value === 'number') type = Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
    else type = ApplicationCommandOptionType.String;
    // While typing, the focused option's value is the text typed so far.
    return { name: option, type, value: isFocused ? String(value) : value, ...(isFocused ? { focused: true } : {}) };
  });
}
