/**
 * A small Discord-compatible server on 127.0.0.1 that the real discord.js client talks to as
 * to Discord: the REST routes a bot like Verbatim uses under `/api/v10` (node:http) and the
 * v10 gateway (`gateway.ts`). One guild with #general, a public thread in it, roles and four
 * members; helpers act as those people (slash commands, autocomplete, buttons, messages)
 * and record what the bot answered, when, and every spec or limit violation it committed.
 *
 * Every request body the bot sends is checked against Discord's limits and, when the server
 * is given the spec's path (`spec`), its OpenAPI schema (`validate.ts`); a violation is
 * recorded in `violations` and logged, and the request still succeeds unless its JSON is
 * malformed. Protocol mistakes Discord refuses (a second
 * acknowledgement, an acknowledgement after 3 s, a follow-up before any acknowledgement) are
 * refused the same way here and recorded too.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  ApplicationFlags,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type APIApplication,
  type APIApplicationCommand,
  type APIEmbed,
  type APIGuildTextChannel,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import { Gateway } from './gateway.ts';
import {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  guildCreate,
  guildMember,
  makeMessage,
  makeRole,
  makeUser,
  messageDispatch,
  textChannel,
  threadChannel,
  type GuildState,
  type OptionValue,
  type Person,
  type TypedOption,
} from './payloads.ts';
import {
  DEFAULT_TIMEOUT_MS,
  InteractionRecord,
  Waiters,
  type InteractionKind,
  type LocalInteraction,
  type LocalMember,
  type MessageRecord,
  type RequestRecord,
  type StoredMessage,
} from './records.ts';
import { snowflake, snowflakeAt } from './snowflake.ts';
import { choiceProblems, messageProblems, OpenApiSpec, threadNameProblems } from './validate.ts';

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

/** What @everyone may do in the local guild. */
const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ChangeNickname;

/** The bot's managed role: what the README asks to invite it with. */
const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}


interface Route {
  method: string;
  pattern: RegExp;
  /** Needs `Authorization: Bot <token>`. */
  auth: boolean;
  handle(ctx: RouteContext): Promise<RouteResult> | RouteResult;
}

interface RouteContext {
  /** performance.now() when the request arrived */
  at: number;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  route: string;
}

interface RouteResult {
  status: number;
  body?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export async function startLocalDiscord(options: LocalDiscordOptions = {}): Promise<LocalDiscord> {
  const server = new LocalDiscord(options);
  await server.listen(options.port ?? 0);
  return server;
}

export class LocalDiscord {
  readonly url: string = '';
  /** `${url}/api`, the DISCORD_API_URL value */
  readonly apiUrl: string = '';
  readonly gatewayUrl: string = '';
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly channels: { general: string; thread: string };
  readonly roles: { everyone: string; moderator: string; manager: string; bot: string };
  readonly members: { alice: LocalMember; bob: LocalMember; mod: LocalMember; admin: LocalMember };
  readonly requests: RequestRecord[] = [];
  /** spec or limit violations seen in bot requests; tests assert it is empty */
  readonly violations: string[] = [];

  private readonly validateBodies: boolean;
  /** Discord's OpenAPI spec, when the server was given one. */
  private readonly spec: OpenApiSpec | undefined;
  private readonly deadlineMs: number;
  private readonly log: (line: string) => void;
  private readonly http: http.Server;
  private readonly gateway: Gateway;
  private readonly botUser: APIUser;
  private readonly guild: GuildState;
  private readonly people = new Map<string, Person>();
  private readonly messagesById = new Map<string, MessageRecord>();
  private readonly channelMessages = new Map<string, string[]>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly interactionsByToken = new Map<string, InteractionRecord>();
  private readonly globalCommands = new Map<string, APIApplicationCommand>();
  private readonly guildCommands = new Map<string, APIApplicationCommand>();
  private readonly unregisteredCommandIds = new Map<string, string>();
  private readonly failures: Array<{ match: RegExp; status: number; left: number }> = [];
  private readonly messageWaiters = new Waiters();
  private readonly botWaiters = new Waiters();
  private readonly routes: Route[];
  private closed = false;

  constructor(options: LocalDiscordOptions = {}) {
    this.validateBodies = options.validate ?? true;
    this.spec = options.spec !== undefined && this.validateBodies ? OpenApiSpec.load(options.spec) : undefined;
    this.spec?.warmUp();
    this.deadlineMs = options.interactionDeadlineMs ?? 3000;
    this.log = options.log ?? ((line) => process.stderr.write(`[local-discord] ${line}\n`));
    const now = new Date().toISOString();

    this.botUserId = snowflake();
    this.applicationId = this.botUserId;
    this.token = options.token ?? `${Buffer.from(this.botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
    this.botUser = makeUser(this.botUserId, 'Verbatim', true);
    this.guildId = snowflake();
    this.channels = { general: snowflake(), thread: snowflake() };
    this.roles = { everyone: this.guildId, moderator: snowflake(), manager: snowflake(), bot: snowflake() };

    const owner = snowflake();
    const roles = [
      makeRole({ id: this.roles.everyone, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0 }),
      makeRole({ id: this.roles.moderator, name: 'Moderator', permissions: 0n, position: 1 }),
      makeRole({ id: this.roles.manager, name: 'Manager', permissions: PermissionFlagsBits.ManageGuild, position: 2 }),
      makeRole({ id: this.roles.bot, name: 'Verbatim', permissions: BOT_PERMISSIONS, position: 3, managedBy: this.botUserId }),
    ];
    const general = textChannel({ id: this.channels.general, guildId: this.guildId, name: 'general', position: 0 });
    const thread = threadChannel({ id: this.channels.thread, guildId: this.guildId, parentId: general.id, name: 'questions', ownerId: owner, now });
    this.guild = { id: this.guildId, name: 'Verbatim local', ownerId: owner, applicationId: this.applicationId, createdAt: now, roles, channels: [general], threads: [thread], people: [] };
    this.channelMessages.set(general.id, []);
    this.channelMessages.set(thread.id, []);

    this.addPerson({ user: this.botUser, roles: [this.roles.bot], permissions: EVERYONE_PERMISSIONS | BOT_PERMISSIONS, joinedAt: now });
    this.members = {
      alice: this.addMember({ username: 'alice' }),
      bob: this.addMember({ username: 'bob' }),
      mod: this.addMember({ username: 'mod', roles: [this.roles.moderator] }),
      admin: this.addMember({ username: 'admin', roles: [this.roles.manager] }),
    };
    // The guild's owner is a person too, so owner_id names a member.
    this.addPerson({ user: makeUser(owner, 'owner'), roles: [], permissions: EVERYONE_PERMISSIONS | PermissionFlagsBits.Administrator, joinedAt: now });

    this.gateway = new Gateway({
      token: this.token,
      url: () => this.gatewayUrl,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      ready: (sessionId) => ({
        v: 10,
        user: this.botUser,
        guilds: [{ id: this.guildId, unavailable: true }],
        session_id: sessionId,
        resume_gateway_url: this.gatewayUrl,
        shard: [0, 1],
        application: {
          id: this.applicationId,
          flags: ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.GatewayMessageContentLimited,
          flags_new: String(ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.GatewayMessageContentLimited),
        },
      }),
      guildCreates: () => [guildCreate(this.guild)],
      onIdentified: () => this.botWaiters.notify(),
      log: (line) => this.log(line),
    });

    this.routes = this.buildRoutes();
    this.http = http.createServer((req, res) => void this.onRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/gateway' || pathname === '/gateway/' || pathname === '/') this.gateway.handleUpgrade(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
  }

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

  private addPerson(person: Person): Person {
    this.people.set(person.user.id, person);
    this.guild.people.push(person);
    return person;
  }

  private permissionsOf(roles: readonly string[]): bigint {
    let permissions = EVERYONE_PERMISSIONS;
    for (const role of this.guild.roles) if (roles.includes(role.id)) permissions |= BigInt(role.permissions);
    return permissions;
  }

  addMember(input: { username: string; roles?: string[]; permissions?: bigint }): LocalMember {
    const roles = input.roles ?? [];
    const person = this.addPerson({
      user: makeUser(snowflake(), input.username),
      roles,
      permissions: input.permissions ?? this.permissionsOf(roles),
      joinedAt: new Date().toISOString(),
    });
    if (this.gateway) {
      this.gateway.dispatch(GatewayDispatchEvents.GuildMemberAdd, { ...guildMember(person), guild_id: this.guildId }, GatewayIntentBits.GuildMembers);
    }
    return { id: person.user.id, username: input.username, roles: [...roles], permissions: person.permissions };
  }

  private person(member: LocalMember): Person {
    const person = this.people.get(member.id);
    if (!person) throw new Error(`${member.username} is not a member of the local guild (use addMember)`);
    return person;
  }

  /**
   * resolves when a bot has identified and received GUILD_CREATE (and has not ended its
   * session since: a bot that disconnected for good does not count)
   */
  waitForBot(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.botWaiters.wait(() => (this.gateway.liveSessions().length > 0 ? true : undefined), timeoutMs, 'a bot to identify on the gateway').then(() => undefined);
  }

  // ---------------------------------------------------------------- channels and messages

  private channel(id: string): APIGuildTextChannel<ChannelType.GuildText> | APIThreadChannel | undefined {
    return this.guild.channels.find((c) => c.id === id) ?? this.guild.threads.find((t) => t.id === id);
  }

  /** A StoredMessage view of a message as it is now. @internal */
  snapshot(id: string): StoredMessage | undefined {
    const record = this.messagesById.get(id);
    if (!record) return undefined;
    const { api } = record;
    return {
      id: api.id,
      channel_id: api.channel_id,
      content: api.content,
      embeds: structuredClone(api.embeds),
      components: structuredClone(api.components ?? []),
      flags: api.flags ?? 0,
      ...(record.allowedMentions !== undefined ? { allowed_mentions: structuredClone(record.allowedMentions) } : {}),
      ...(record.messageReference !== undefined ? { message_reference: structuredClone(record.messageReference) } : {}),
      author: api.author,
      ...(record.interactionId ? { interactionId: record.interactionId } : {}),
      timestamp: api.timestamp,
      edited_timestamp: api.edited_timestamp,
    };
  }

  /** Every message in a channel or thread, oldest first (ephemeral ones included, with flag 64). */
  messages(channelId: string): StoredMessage[] {
    return (this.channelMessages.get(channelId) ?? []).map((id) => this.snapshot(id)).filter((m): m is StoredMessage => m !== undefined);
  }

  /** The first message in the channel (already there or still to come) that matches. */
  waitForMessage(channelId: string, predicate: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StoredMessage> {
    return this.messageWaiters.wait(() => this.messages(channelId).find(predicate), timeoutMs, `a message in channel ${channelId}`);
  }

  threads(): Array<{ id: string; name: string; parent_id: string; message_id?: string }> {
    return this.guild.threads.map((t) => ({
      id: t.id,
      name: t.name ?? '',
      parent_id: t.parent_id ?? '',
      ...(this.messagesById.has(t.id) ? { message_id: t.id } : {}),
    }));
  }

  /** The first thread (already there or still to come) that matches. */
  waitForThread(predicate: (t: { id: string; name: string; parent_id: string; message_id?: string }) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.messageWaiters.wait(() => this.threads().find(predicate), timeoutMs, 'a thread');
  }

  private storeMessage(record: MessageRecord): void {
    this.messagesById.set(record.api.id, record);
    const list = this.channelMessages.get(record.api.channel_id);
    if (list) list.push(record.api.id);
    else this.channelMessages.set(record.api.channel_id, [record.api.id]);
    const channel = this.channel(record.api.channel_id);
    if (channel) channel.last_message_id = record.api.id;
    if (channel && 'thread_metadata' in channel) {
      channel.message_count = (channel.message_count ?? 0) + 1;
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
    }
  }

  private changed(interaction?: InteractionRecord): void {
    interaction?.waiters.notify();
    this.messageWaiters.notify();
  }

  /** MESSAGE_CREATE or MESSAGE_UPDATE to sessions with the GuildMessages intent; content only where Discord would send it. */
  private dispatchMessage(event: GatewayDispatchEvents.MessageCreate | GatewayDispatchEvents.MessageUpdate, message: APIMessage): void {
    if ((message.flags ?? 0) & MessageFlags.Ephemeral) return;
    const author = this.people.get(message.author.id);
    const data = messageDispatch(message, this.guildId, author, (id) => this.people.get(id));
    const mentionsBot = message.mentions.some((u) => u.id === this.botUserId);
    const fromBot = message.author.id === this.botUserId;
    for (const session of this.gateway.liveSessions()) {
      if (!session.has(GatewayIntentBits.GuildMessages)) continue;
      const full = fromBot || mentionsBot || session.has(GatewayIntentBits.MessageContent);
      const d = full ? data : { ...data, content: '', embeds: [], attachments: [], components: [] };
      this.gateway.dispatchTo(session, event, d);
    }
  }

  /** Users, roles and @everyone/@here mentioned in a message's content. */
  private parseMentions(content: string, author: Person): { mentions: APIUser[]; mentionRoles: string[]; mentionEveryone: boolean } {
    const mentions: APIUser[] = [];
    for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) {
      const person = this.people.get(match[1]!);
      if (person && !mentions.some((u) => u.id === person.user.id)) mentions.push(person.user);
    }
    const mentionRoles = [...new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1]!))].filter((id) => this.guild.roles.some((r) => r.id === id));
    const mayPingEveryone = (author.permissions & (PermissionFlagsBits.MentionEveryone | PermissionFlagsBits.Administrator)) !== 0n;
    return { mentions, mentionRoles, mentionEveryone: mayPingEveryone && /@(everyone|here)\b/.test(content) };
  }

  /** posts a message as the member (MESSAGE_CREATE to the bot); mentionBot prefixes `<@botId> ` and fills `mentions` */
  sendMessage(member: LocalMember, channelId: string, content: string, options: { mentionBot?: boolean; mentionRoles?: string[]; mentionEveryone?: boolean } = {}): StoredMessage {
    const person = this.person(member);
    if (!this.channel(channelId)) throw new Error(`no channel ${channelId} in the local guild`);
    let text = options.mentionBot ? `<@${this.botUserId}> ${content}` : content;
    for (const role of options.mentionRoles ?? []) if (!text.includes(`<@&${role}>`)) text += ` <@&${role}>`;
    if (options.mentionEveryone && !/@everyone\b/.test(text)) text += ' @everyone';
    const parsed = this.parseMentions(text, person);
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
    this.storeMessage({ api });
    this.dispatchMessage(GatewayDispatchEvents.MessageCreate, api);
    this.changed();
    return this.snapshot(api.id)!;
  }

  // ---------------------------------------------------------------- interactions

  /** command definitions the bot PUT */
  registeredCommands(): unknown[] {
    return [...this.guildCommands.values(), ...this.globalCommands.values()].map((c) => structuredClone(c));
  }

  private command(name: string): APIApplicationCommand | undefined {
    return [...this.guildCommands.values()].find((c) => c.name === name) ?? [...this.globalCommands.values()].find((c) => c.name === name);
  }

  private commandId(name: string): string {
    const registered = this.command(name);
    if (registered) return registered.id;
    let id = this.unregisteredCommandIds.get(name);
    if (!id) this.unregisteredCommandIds.set(name, (id = snowflake()));
    return id;
  }

  /**
   * Options typed as the registered command declares them (or inferred when it is not
   * registered). Like Discord's client, refuses what the definition does not allow: unknown
   * options, wrong types, numbers out of range, strings too long.
   */
  private typedOptions(name: string, options: Record<string, OptionValue>, focused?: string): TypedOption[] {
    const definition = this.command(name);
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

  private newInteraction(kind: InteractionKind, member: LocalMember, channelId: string, sourceMessageId?: string, createdAgoMs = 0) {
    const person = this.person(member);
    const channel = this.channel(channelId);
    if (!channel) throw new Error(`no channel ${channelId} in the local guild`);
    const id = createdAgoMs > 0 ? snowflakeAt(Date.now() - createdAgoMs) : snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const record = new InteractionRecord(id, token, kind, channelId, person, this, sourceMessageId);
    this.interactions.set(id, record);
    this.interactionsByToken.set(token, record);
    const botPerson = this.people.get(this.botUserId)!;
    return { record, base: { id, token, applicationId: this.applicationId, guild: this.guild, channel: structuredClone(channel), person, appPermissions: botPerson.permissions } };
  }

  private dispatchInteraction(record: InteractionRecord, data: unknown): InteractionRecord {
    record.dispatchedAt = performance.now();
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, data);
    return record;
  }

  /** `where.createdAgoMs` backdates the interaction, as if it had waited that long in a queue before reaching the bot. */
  slashCommand(member: LocalMember, name: string, options: Record<string, OptionValue> = {}, where: { channelId?: string; createdAgoMs?: number } = {}): LocalInteraction {
    const typed = this.typedOptions(name, options);
    const definition = this.command(name);
    for (const required of definition?.options?.filter((o) => 'required' in o && o.required) ?? []) {
      if (!(required.name in options)) throw new Error(`/${name} needs the option "${required.name}"`);
    }
    const { record, base } = this.newInteraction('command', member, where.channelId ?? this.channels.general, undefined, where.createdAgoMs);
    return this.dispatchInteraction(record, chatInputInteraction({ ...base, commandId: this.commandId(name), name, options: typed }));
  }

  autocomplete(member: LocalMember, name: string, options: Record<string, OptionValue>, focused: string, where: { channelId?: string } = {}): LocalInteraction {
    if (!(focused in options)) throw new Error(`the focused option "${focused}" must be among the options`);
    const typed = this.typedOptions(name, options, focused);
    const { record, base } = this.newInteraction('autocomplete', member, where.channelId ?? this.channels.general);
    return this.dispatchInteraction(record, autocompleteInteraction({ ...base, commandId: this.commandId(name), name, options: typed }));
  }

  pressButton(member: LocalMember, message: StoredMessage, customId: string): LocalInteraction {
    const stored = this.messagesById.get(message.id);
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
    const stored = this.messagesById.get(message.id);
    if (!stored) throw new Error(`message ${message.id} is not on the local server`);
    const { record, base } = this.newInteraction('button', member, stored.api.channel_id, stored.api.id);
    return this.dispatchInteraction(record, buttonInteraction({ ...base, message: structuredClone(stored.api), customId }));
  }

  // ---------------------------------------------------------------- gateway and failures

  /** What happened on the gateway (identify, resume, close, disconnect), one line each. */
  get gatewayLog(): readonly string[] {
    return this.gateway.events;
  }

  /** closes the bot's gateway socket (default code 4000, resumable) */
  closeGateway(code = 4000): void {
    this.gateway.closeConnections(code);
  }

  /** the next `count` REST requests whose "METHOD path" matches answer `status` with a Discord-style error */
  failNext(match: RegExp, status = 500, count = 1): void {
    this.failures.push({ match, status, left: count });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('the local Discord server was closed');
    this.messageWaiters.close(error);
    this.botWaiters.close(error);
    for (const interaction of this.interactions.values()) interaction.waiters.close(error);
    await this.gateway.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private violation(where: string, reason: string): void {
    const line = `${where}: ${reason}`;
    this.violations.push(line);
    this.log(`violation: ${line}`);
  }

  // ---------------------------------------------------------------- HTTP

  private async readBody(req: IncomingMessage): Promise<{ raw: Buffer; type: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return { raw: Buffer.concat(chunks), type: String(req.headers['content-type'] ?? '') };
  }

  private async parseBody(raw: Buffer, type: string): Promise<unknown> {
    if (raw.length === 0) return undefined;
    if (/^multipart\/form-data/i.test(type)) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      // The JSON part of a multipart body; files (`files[n]`) are accepted and not kept.
      const payload = form.get('payload_json');
      return typeof payload === 'string' ? (JSON.parse(payload) as unknown) : {};
    }
    return JSON.parse(raw.toString('utf8')) as unknown;
  }

  private send(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined || status === 204) {
      res.writeHead(status === 200 && body === undefined ? 204 : status);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const record: RequestRecord = { method, path, body: undefined, status: 0, at: performance.now() };
    this.requests.push(record);
    const reply = (status: number, body?: unknown) => {
      record.status = status === 200 && body === undefined ? 204 : status;
      this.send(res, status, body);
    };
    try {
      const { raw, type } = await this.readBody(req);
      try {
        record.body = await this.parseBody(raw, type);
      } catch {
        return reply(400, { message: 'The request body contains invalid JSON.', code: 50109 });
      }
      const match = /^\/api\/v10(\/.*)$/.exec(path);
      const route = match?.[1] ?? '';
      const found = match ? this.findRoute(method, route) : undefined;
      const failure = this.failures.find((f) => f.left > 0 && f.match.test(`${method} ${path}`));
      if (failure) {
        failure.left--;
        if (failure.left === 0) this.failures.splice(this.failures.indexOf(failure), 1);
        this.log(`failing ${method} ${path} with ${failure.status} as asked`);
        return reply(failure.status, { message: `${failure.status}: ${http.STATUS_CODES[failure.status] ?? 'Error'}`, code: 0 });
      }
      if (!found) return reply(404, { message: '404: Not Found', code: 0 });
      if (found.route.auth && req.headers.authorization !== `Bot ${this.token}`) {
        return reply(401, { message: '401: Unauthorized', code: 0 });
      }
      if (this.spec && record.body !== undefined && method !== 'GET') {
        for (const problem of this.spec.problems(method, route, record.body)) this.violation(`${method} ${path}`, problem);
      }
      const result = await found.route.handle({ at: record.at, params: found.params, query: url.searchParams, body: record.body, route });
      return reply(result.status, result.body);
    } catch (error) {
      if (error instanceof HttpError) {
        return reply(error.status, { message: error.message, code: error.code, ...error.extra });
      }
      this.log(`internal error on ${method} ${path}: ${(error as Error).stack ?? String(error)}`);
      return reply(500, { message: '500: Internal Server Error', code: 0 });
    }
  }

  private findRoute(method: string, route: string): { route: Route; params: string[] } | undefined {
    for (const candidate of this.routes) {
      if (candidate.method !== method) continue;
      const m = candidate.pattern.exec(route);
      if (m) return { route: candidate, params: m.slice(1) };
    }
    return undefined;
  }

  private buildRoutes(): Route[] {
    const id = '(\\d{1,20})';
    const token = '([^/]+)';
    const r = (method: string, pattern: string, auth: boolean, handle: Route['handle']): Route => ({ method, pattern: new RegExp(`^${pattern}/?$`), auth, handle });
    return [
      r('GET', '/gateway', false, () => ({ status: 200, body: { url: this.gatewayUrl } })),
      r('GET', '/gateway/bot', true, () => ({
        status: 200,
        body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } },
      })),
      r('GET', '/applications/@me', true, () => ({ status: 200, body: this.application() })),
      r('GET', '/oauth2/applications/@me', true, () => ({ status: 200, body: this.application() })),
      r('GET', '/users/@me', true, () => ({ status: 200, body: this.botUser })),
      r('GET', `/applications/${id}/commands`, true, ({ params }) => ({ status: 200, body: this.listCommands(params[0]!) })),
      r('PUT', `/applications/${id}/commands`, true, ({ params, body }) => ({ status: 200, body: this.putCommands(params[0]!, undefined, body) })),
      r('GET', `/applications/${id}/guilds/${id}/commands`, true, ({ params }) => ({ status: 200, body: this.listCommands(params[0]!, params[1]) })),
      r('PUT', `/applications/${id}/guilds/${id}/commands`, true, ({ params, body }) => ({ status: 200, body: this.putCommands(params[0]!, params[1], body) })),
      r('POST', `/interactions/${id}/${token}/callback`, false, (ctx) => this.interactionCallback(ctx)),
      r('GET', `/webhooks/${id}/${token}/messages/@original`, false, ({ params }) => this.webhookGet(params[0]!, params[1]!, '@original')),
      r('PATCH', `/webhooks/${id}/${token}/messages/@original`, false, (ctx) => this.webhookEdit(ctx, '@original')),
      r('DELETE', `/webhooks/${id}/${token}/messages/@original`, false, ({ params }) => this.webhookDelete(params[0]!, params[1]!, '@original')),
      r('GET', `/webhooks/${id}/${token}/messages/${id}`, false, ({ params }) => this.webhookGet(params[0]!, params[1]!, params[2]!)),
      r('PATCH', `/webhooks/${id}/${token}/messages/${id}`, false, (ctx) => this.webhookEdit(ctx, ctx.params[2]!)),
      r('DELETE', `/webhooks/${id}/${token}/messages/${id}`, false, ({ params }) => this.webhookDelete(params[0]!, params[1]!, params[2]!)),
      r('POST', `/webhooks/${id}/${token}`, false, (ctx) => this.followUp(ctx)),
      r('GET', `/channels/${id}`, true, ({ params }) => ({ status: 200, body: this.requireChannel(params[0]!) })),
      r('GET', `/channels/${id}/messages/${id}`, true, ({ params }) => ({ status: 200, body: this.requireMessage(params[0]!, params[1]!).api })),
      r('POST', `/channels/${id}/messages`, true, (ctx) => this.createChannelMessage(ctx)),
      r('PATCH', `/channels/${id}/messages/${id}`, true, (ctx) => this.editChannelMessage(ctx)),
      r('POST', `/channels/${id}/threads`, true, (ctx) => this.createThread(ctx, undefined)),
      r('POST', `/channels/${id}/messages/${id}/threads`, true, (ctx) => this.createThread(ctx, ctx.params[1]!)),
    ];
  }

  private application(): APIApplication {
    return {
      id: this.applicationId,
      name: 'Verbatim',
      icon: null,
      description: 'Answers questions with verbatim quotes.',
      bot_public: true,
      bot_require_code_grant: false,
      bot: this.botUser,
      verify_key: randomBytes(32).toString('hex'),
      team: null,
      flags: ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.GatewayMessageContentLimited,
      flags_new: String(ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.GatewayMessageContentLimited),
      summary: '',
      approximate_guild_count: 1,
    };
  }

  // ---------------------------------------------------------------- REST: commands

  private checkApplication(applicationId: string): void {
    if (applicationId !== this.applicationId) throw new HttpError(403, 50001, 'Missing Access');
  }

  private checkGuild(guildId: string): void {
    if (guildId !== this.guildId) throw new HttpError(404, 10004, 'Unknown Guild');
  }

  private listCommands(applicationId: string, guildId?: string): APIApplicationCommand[] {
    this.checkApplication(applicationId);
    if (guildId) this.checkGuild(guildId);
    return [...(guildId ? this.guildCommands : this.globalCommands).values()];
  }

  private putCommands(applicationId: string, guildId: string | undefined, body: unknown): APIApplicationCommand[] {
    this.checkApplication(applicationId);
    if (guildId) this.checkGuild(guildId);
    if (!Array.isArray(body)) throw new HttpError(400, 50035, 'Invalid Form Body');
    const store = guildId ? this.guildCommands : this.globalCommands;
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
        id: before?.id ?? this.unregisteredCommandIds.get(name) ?? snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
        ...(guildId ? { guild_id: guildId } : {}),
      } as unknown as APIApplicationCommand;
      store.set(command.id, command);
    }
    return [...store.values()];
  }

  // ---------------------------------------------------------------- REST: interactions

  private interactionFor(applicationOrId: string, token: string, byId: boolean): InteractionRecord {
    const record = byId ? this.interactions.get(applicationOrId) : this.interactionsByToken.get(token);
    if (byId) {
      if (!record || record.token !== token) throw new HttpError(404, 10062, 'Unknown interaction');
      return record;
    }
    if (applicationOrId !== this.applicationId || !record) throw new HttpError(404, 10015, 'Unknown Webhook');
    return record;
  }

  private messageData(body: unknown): Json {
    return isObject(body) ? body : {};
  }

  private checkMessageBody(where: string, body: unknown): void {
    if (!this.validateBodies) return;
    for (const problem of messageProblems(body)) this.violation(where, problem);
  }

  private interactionMessage(record: InteractionRecord, data: Json, flags: number, type: MessageType): APIMessage {
    const { user } = record.person;
    return makeMessage({
      id: snowflake(),
      channelId: record.channelId,
      author: this.botUser,
      content: typeof data.content === 'string' ? data.content : '',
      now: new Date().toISOString(),
      embeds: Array.isArray(data.embeds) ? (structuredClone(data.embeds) as APIEmbed[]) : [],
      components: Array.isArray(data.components) ? (structuredClone(data.components) as APIMessage['components']) : [],
      flags,
      type,
      webhookId: this.applicationId,
      applicationId: this.applicationId,
      interactionMetadata:
        record.kind === 'button'
          ? { id: record.id, type: InteractionType.MessageComponent, user, authorizing_integration_owners: { 0: this.guildId }, interacted_message_id: record.sourceMessageId! }
          : { id: record.id, type: InteractionType.ApplicationCommand, user, authorizing_integration_owners: { 0: this.guildId } },
    });
  }

  /** Flags a bot may set on an interaction message: ephemeral, suppress embeds, suppress notifications. */
  private allowedFlags(data: Json): number {
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    return flags & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications);
  }

  private interactionCallback({ at, params, query, body }: RouteContext): RouteResult {
    const where = `POST /interactions/${params[0]}/…/callback`;
    const record = this.interactionFor(params[0]!, params[1]!, true);
    const payload = this.messageData(body);
    const type = typeof payload.type === 'number' ? payload.type : -1;
    if (record.acknowledged) {
      record.callbacks.push({ type, body, at });
      this.violation(where, `second acknowledgement (type ${type}) of an interaction already acknowledged with type ${record.callbacks[0]!.type}`);
      this.changed(record);
      throw new HttpError(400, 40060, 'Interaction has already been acknowledged.');
    }
    if (at - record.dispatchedAt > this.deadlineMs) {
      this.violation(where, `acknowledged after ${Math.round(at - record.dispatchedAt)} ms (Discord's deadline is ${this.deadlineMs} ms)`);
      throw new HttpError(404, 10062, 'Unknown interaction');
    }
    const allowed: Record<InteractionKind, number[]> = { command: [4, 5, 9], autocomplete: [8], button: [4, 5, 6, 7, 9] };
    if (!allowed[record.kind].includes(type)) {
      this.violation(where, `callback type ${type} is not allowed for a ${record.kind} interaction (allowed: ${allowed[record.kind].join(', ')})`);
      throw new HttpError(400, 50035, 'Invalid Form Body', { errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' }] } } });
    }
    const data = this.messageData(payload.data);
    record.callbacks.push({ type, body, at });
    let message: APIMessage | undefined;
    const commandType = record.kind === 'command' ? MessageType.ChatInputCommand : MessageType.Default;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        this.checkMessageBody(where, data);
        message = this.interactionMessage(record, data, this.allowedFlags(data), commandType);
        this.storeMessage({ api: message, interactionId: record.id, allowedMentions: data.allowed_mentions });
        record.originalId = message.id;
        record.callbackMessage = this.snapshot(message.id);
        this.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        message = this.interactionMessage(record, {}, (this.allowedFlags(data) & MessageFlags.Ephemeral) | MessageFlags.Loading, commandType);
        this.storeMessage({ api: message, interactionId: record.id });
        record.originalId = message.id;
        this.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        record.originalId = record.sourceMessageId;
        break;
      case InteractionResponseType.UpdateMessage: {
        this.checkMessageBody(where, data);
        const source = this.messagesById.get(record.sourceMessageId!);
        if (source) {
          this.applyEdit(source, data);
          message = source.api;
          record.callbackMessage = this.snapshot(source.api.id);
          this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, source.api);
        }
        record.originalId = record.sourceMessageId;
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const choices = Array.isArray(data.choices) ? (data.choices as Array<{ name: string; value: string | number }>) : [];
        if (this.validateBodies) for (const problem of choiceProblems(data.choices)) this.violation(where, problem);
        record.choices = structuredClone(choices);
        break;
      }
      case InteractionResponseType.Modal:
        break;
    }
    this.changed(record);
    if (query.get('with_response') !== 'true') return { status: 204 };
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction: {
        id: record.id,
        type: record.kind === 'command' ? InteractionType.ApplicationCommand : record.kind === 'button' ? InteractionType.MessageComponent : InteractionType.ApplicationCommandAutocomplete,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
              response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type: type as InteractionResponseType, ...(message ? { message } : {}) },
    };
    return { status: 200, body: result };
  }

  /** Replaces what an edit body sets; a loading (deferred) message stops loading. */
  private applyEdit(record: MessageRecord, data: Json): void {
    const api = record.api;
    const wasLoading = ((api.flags ?? 0) & MessageFlags.Loading) !== 0;
    if ('content' in data) api.content = typeof data.content === 'string' ? data.content : '';
    if ('embeds' in data) api.embeds = Array.isArray(data.embeds) ? (structuredClone(data.embeds) as APIEmbed[]) : [];
    if ('components' in data) api.components = Array.isArray(data.components) ? (structuredClone(data.components) as APIMessage['components']) : [];
    if ('allowed_mentions' in data) record.allowedMentions = data.allowed_mentions;
    if (typeof data.flags === 'number') api.flags = ((api.flags ?? 0) & ~MessageFlags.SuppressEmbeds) | (data.flags & MessageFlags.SuppressEmbeds);
    if (wasLoading) api.flags = (api.flags ?? 0) & ~MessageFlags.Loading;
    else api.edited_timestamp = new Date().toISOString();
  }

  private webhookMessage(record: InteractionRecord, messageId: string): MessageRecord {
    const id = messageId === '@original' ? record.originalId : messageId;
    const message = id ? this.messagesById.get(id) : undefined;
    const ours = message && (message.interactionId === record.id || id === record.originalId);
    if (!message || !ours) throw new HttpError(404, 10008, 'Unknown Message');
    return message;
  }

  private webhookGet(applicationId: string, token: string, messageId: string): RouteResult {
    const record = this.interactionFor(applicationId, token, false);
    return { status: 200, body: this.webhookMessage(record, messageId).api };
  }

  private webhookEdit({ params, body }: RouteContext, messageId: string): RouteResult {
    const where = `PATCH /webhooks/${params[0]}/…/messages/${messageId}`;
    const record = this.interactionFor(params[0]!, params[1]!, false);
    const message = this.webhookMessage(record, messageId);
    const data = this.messageData(body);
    this.checkMessageBody(where, data);
    this.applyEdit(message, data);
    if (message.api.id === record.originalId) record.editSnapshots.push(this.snapshot(message.api.id)!);
    this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message.api);
    this.changed(record);
    return { status: 200, body: message.api };
  }

  private webhookDelete(applicationId: string, token: string, messageId: string): RouteResult {
    const record = this.interactionFor(applicationId, token, false);
    const message = this.webhookMessage(record, messageId);
    this.messagesById.delete(message.api.id);
    const list = this.channelMessages.get(message.api.channel_id);
    if (list) list.splice(list.indexOf(message.api.id), 1);
    if ((message.api.flags ?? 0) & MessageFlags.Ephemeral) {
      // Discord sends no MESSAGE_DELETE for ephemeral messages.
    } else {
      this.gateway.dispatch(GatewayDispatchEvents.MessageDelete, { id: message.api.id, channel_id: message.api.channel_id, guild_id: this.guildId }, GatewayIntentBits.GuildMessages);
    }
    this.changed(record);
    return { status: 204 };
  }

  private followUp({ params, query, body }: RouteContext): RouteResult {
    const where = `POST /webhooks/${params[0]}/…`;
    const record = this.interactionFor(params[0]!, params[1]!, false);
    if (!record.acknowledged) {
      this.violation(where, 'follow-up before the interaction was acknowledged');
      throw new HttpError(404, 10015, 'Unknown Webhook');
    }
    const data = this.messageData(body);
    this.checkMessageBody(where, data);
    const original = record.originalId ? this.messagesById.get(record.originalId) : undefined;
    let message: APIMessage;
    if (original && ((original.api.flags ?? 0) & MessageFlags.Loading) !== 0) {
      // Discord: the first follow-up after a defer takes the place of the "thinking…" message.
      this.applyEdit(original, data);
      message = original.api;
      record.followUpIds.push(message.id);
      this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message);
    } else {
      message = this.interactionMessage(record, data, this.allowedFlags(data), MessageType.Default);
      this.storeMessage({ api: message, interactionId: record.id, allowedMentions: data.allowed_mentions });
      record.followUpIds.push(message.id);
      this.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
    }
    this.changed(record);
    return query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
  }

  // ---------------------------------------------------------------- REST: channels

  private requireChannel(channelId: string): APIGuildTextChannel<ChannelType.GuildText> | APIThreadChannel {
    const channel = this.channel(channelId);
    if (!channel) throw new HttpError(404, 10003, 'Unknown Channel');
    return channel;
  }

  private requireMessage(channelId: string, messageId: string): MessageRecord {
    this.requireChannel(channelId);
    const message = this.messagesById.get(messageId);
    if (!message || message.api.channel_id !== channelId || ((message.api.flags ?? 0) & MessageFlags.Ephemeral) !== 0) throw new HttpError(404, 10008, 'Unknown Message');
    return message;
  }

  private createChannelMessage({ params, body }: RouteContext): RouteResult {
    const channelId = params[0]!;
    const where = `POST /channels/${channelId}/messages`;
    this.requireChannel(channelId);
    const data = this.messageData(body);
    this.checkMessageBody(where, data);
    const hasContent = (typeof data.content === 'string' && data.content.length > 0) || (Array.isArray(data.embeds) && data.embeds.length > 0) || (Array.isArray(data.components) && data.components.length > 0);
    if (!hasContent) throw new HttpError(400, 50006, 'Cannot send an empty message');
    let referenced: MessageRecord | undefined;
    let reference: APIMessage['message_reference'];
    if (isObject(data.message_reference)) {
      const ref = data.message_reference;
      const refChannel = typeof ref.channel_id === 'string' ? ref.channel_id : channelId;
      referenced = typeof ref.message_id === 'string' ? this.messagesById.get(ref.message_id) : undefined;
      if (!referenced || referenced.api.channel_id !== refChannel) {
        if (ref.fail_if_not_exists !== false) {
          throw new HttpError(400, 50035, 'Invalid Form Body', { errors: { message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] } } });
        }
        referenced = undefined;
      } else {
        reference = { type: 0, message_id: referenced.api.id, channel_id: refChannel, guild_id: this.guildId };
      }
    }
    const content = typeof data.content === 'string' ? data.content : '';
    const parsed = this.parseMentions(content, this.people.get(this.botUserId)!);
    const api = makeMessage({
      id: snowflake(),
      channelId,
      author: this.botUser,
      content,
      now: new Date().toISOString(),
      embeds: Array.isArray(data.embeds) ? (structuredClone(data.embeds) as APIEmbed[]) : [],
      components: Array.isArray(data.components) ? (structuredClone(data.components) as APIMessage['components']) : [],
      flags: typeof data.flags === 'number' ? data.flags & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications) : 0,
      type: referenced ? MessageType.Reply : MessageType.Default,
      mentions: parsed.mentions,
      mentionRoles: parsed.mentionRoles,
      mentionEveryone: false,
      ...(reference ? { messageReference: reference, referencedMessage: referenced!.api } : {}),
    });
    this.storeMessage({ api, allowedMentions: data.allowed_mentions, ...(reference ? { messageReference: reference } : {}) });
    this.dispatchMessage(GatewayDispatchEvents.MessageCreate, api);
    this.changed();
    return { status: 200, body: api };
  }

  private editChannelMessage({ params, body }: RouteContext): RouteResult {
    const where = `PATCH /channels/${params[0]}/messages/${params[1]}`;
    const message = this.requireMessage(params[0]!, params[1]!);
    if (message.api.author.id !== this.botUserId) throw new HttpError(403, 50005, 'Cannot edit a message authored by another user');
    const data = this.messageData(body);
    this.checkMessageBody(where, data);
    this.applyEdit(message, data);
    this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message.api);
    this.changed();
    return { status: 200, body: message.api };
  }

  private createThread({ params, body }: RouteContext, messageId: string | undefined): RouteResult {
    const channelId = params[0]!;
    const where = `POST /channels/${channelId}${messageId ? `/messages/${messageId}` : ''}/threads`;
    const parent = this.requireChannel(channelId);
    if (parent.type !== ChannelType.GuildText) throw new HttpError(400, 50024, 'Cannot execute action on this channel type');
    const data = this.messageData(body);
    if (this.validateBodies) for (const problem of threadNameProblems(data.name)) this.violation(where, problem);
    let starter: MessageRecord | undefined;
    if (messageId) {
      starter = this.requireMessage(channelId, messageId);
      if (((starter.api.flags ?? 0) & MessageFlags.HasThread) !== 0) throw new HttpError(400, 160004, 'A thread has already been created for this message');
    }
    const type = messageId ? ChannelType.PublicThread : data.type === ChannelType.PublicThread ? ChannelType.PublicThread : ChannelType.PrivateThread;
    const autoArchive = [60, 1440, 4320, 10080].includes(Number(data.auto_archive_duration)) ? (Number(data.auto_archive_duration) as 60 | 1440 | 4320 | 10080) : 1440;
    const now = new Date().toISOString();
    const thread = threadChannel({
      id: messageId ?? snowflake(),
      guildId: this.guildId,
      parentId: channelId,
      name: typeof data.name === 'string' ? data.name.slice(0, 100) : 'thread',
      ownerId: this.botUserId,
      type,
      autoArchive,
      now,
    });
    this.guild.threads.push(thread);
    this.channelMessages.set(thread.id, []);
    const member = { id: thread.id, user_id: this.botUserId, join_timestamp: now, flags: 0 };
    this.gateway.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true, member }, GatewayIntentBits.Guilds);
    if (starter) {
      starter.api.flags = (starter.api.flags ?? 0) | MessageFlags.HasThread;
      starter.api.thread = thread;
      this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, starter.api);
    }
    this.changed();
    return { status: 201, body: { ...thread, member } };
  }
}
