/**
 * The local guild and everything in it: the bot and four members with their roles, #general
 * and a thread, the messages, interactions and commands, the gateway the bot's sessions
 * listen on, and the violations seen. What the REST routes (`routes/`) and the test driver
 * (`server.ts`) both read and change, kept in one place.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationFlags,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type APIApplicationCommand,
  type APIEmbed,
  type APIGuildTextChannel,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
} from 'discord-api-types/v10';
import { Gateway } from './gateway.ts';
import type { Json } from './http.ts';
import { guildCreate, guildMember, makeRole, makeUser, messageDispatch, textChannel, threadChannel, type GuildState, type Person } from './payloads.ts';
import { DEFAULT_TIMEOUT_MS, Waiters, type InteractionRecord, type LocalMember, type MessageRecord, type StoredMessage } from './records.ts';
import { snowflake } from './snowflake.ts';
import { messageProblems } from './validate.ts';

/** What @everyone may do in the local guild. */
export const EVERYONE_PERMISSIONS =
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

export interface LocalGuildOptions {
  token?: string;
  /** Check what the bot sends against Discord's limits and rules. */
  validate: boolean;
  log: (line: string) => void;
  /** The gateway's address, known once the server listens. */
  gatewayUrl: () => string;
  heartbeatIntervalMs: number;
  /** Time an interaction may take to be acknowledged. */
  deadlineMs: number;
}

export type TextChannel = APIGuildTextChannel<ChannelType.GuildText> | APIThreadChannel;

export class LocalGuild {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly botUser: APIUser;
  readonly guildId: string;
  readonly channels: { general: string; thread: string };
  readonly roles: { everyone: string; moderator: string; manager: string; bot: string };
  readonly members: { alice: LocalMember; bob: LocalMember; mod: LocalMember; admin: LocalMember };
  /** The guild as GUILD_CREATE describes it (channels, threads, roles, people). */
  readonly state: GuildState;
  readonly gateway: Gateway;
  readonly validateBodies: boolean;
  readonly deadlineMs: number;
  /** spec or limit violations seen in bot requests; tests assert it is empty */
  readonly violations: string[] = [];

  readonly people = new Map<string, Person>();
  readonly messagesById = new Map<string, MessageRecord>();
  readonly channelMessages = new Map<string, string[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly globalCommands = new Map<string, APIApplicationCommand>();
  readonly guildCommands = new Map<string, APIApplicationCommand>();
  /** Ids handed out for commands used before the bot registered them. */
  readonly unregisteredCommandIds = new Map<string, string>();
  readonly messageWaiters = new Waiters();
  readonly botWaiters = new Waiters();
  readonly log: (line: string) => void;

  constructor(options: LocalGuildOptions) {
    this.validateBodies = options.validate;
    this.deadlineMs = options.deadlineMs;
    this.log = options.log;
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
    this.state = { id: this.guildId, name: 'Verbatim local', ownerId: owner, applicationId: this.applicationId, createdAt: now, roles, channels: [general], threads: [thread], people: [] };
    this.channelMessages.set(general.id, []);
    this.channelMessages.set(thread.id, []);
    this.gateway = this.openGateway(options);

    this.addPerson({ user: this.botUser, roles: [this.roles.bot], permissions: EVERYONE_PERMISSIONS | BOT_PERMISSIONS, joinedAt: now });
    this.members = {
      alice: this.addMember({ username: 'alice' }),
      bob: this.addMember({ username: 'bob' }),
      mod: this.addMember({ username: 'mod', roles: [this.roles.moderator] }),
      admin: this.addMember({ username: 'admin', roles: [this.roles.manager] }),
    };
    // The guild's owner is a person too, so owner_id names a member.
    this.addPerson({ user: makeUser(owner, 'owner'), roles: [], permissions: EVERYONE_PERMISSIONS | PermissionFlagsBits.Administrator, joinedAt: now });
  }

  private openGateway(options: LocalGuildOptions): Gateway {
    const flags = ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.GatewayMessageContentLimited;
    return new Gateway({
      token: this.token,
      url: options.gatewayUrl,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      ready: (sessionId) => ({
        v: 10,
        user: this.botUser,
        guilds: [{ id: this.guildId, unavailable: true }],
        session_id: sessionId,
        resume_gateway_url: options.gatewayUrl(),
        shard: [0, 1],
        application: { id: this.applicationId, flags, flags_new: String(flags) },
      }),
      guildCreates: () => [guildCreate(this.state)],
      onIdentified: () => this.botWaiters.notify(),
      log: (line) => this.log(line),
    });
  }

  // ---------------------------------------------------------------- people

  private addPerson(person: Person): Person {
    this.people.set(person.user.id, person);
    this.state.people.push(person);
    return person;
  }

  private permissionsOf(roles: readonly string[]): bigint {
    let permissions = EVERYONE_PERMISSIONS;
    for (const role of this.state.roles) if (roles.includes(role.id)) permissions |= BigInt(role.permissions);
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
    this.gateway.dispatch(GatewayDispatchEvents.GuildMemberAdd, { ...guildMember(person), guild_id: this.guildId }, GatewayIntentBits.GuildMembers);
    return { id: person.user.id, username: input.username, roles: [...roles], permissions: person.permissions };
  }

  person(member: LocalMember): Person {
    const person = this.people.get(member.id);
    if (!person) throw new Error(`${member.username} is not a member of the local guild (use addMember)`);
    return person;
  }

  /** Users, roles and @everyone/@here mentioned in a message's content. */
  parseMentions(content: string, author: Person): { mentions: APIUser[]; mentionRoles: string[]; mentionEveryone: boolean } {
    const mentions: APIUser[] = [];
    for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) {
      const person = this.people.get(match[1]!);
      if (person && !mentions.some((u) => u.id === person.user.id)) mentions.push(person.user);
    }
    const mentionRoles = [...new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1]!))].filter((id) => this.state.roles.some((r) => r.id === id));
    const mayPingEveryone = (author.permissions & (PermissionFlagsBits.MentionEveryone | PermissionFlagsBits.Administrator)) !== 0n;
    return { mentions, mentionRoles, mentionEveryone: mayPingEveryone && /@(everyone|here)\b/.test(content) };
  }

  // ---------------------------------------------------------------- channels and messages

  channel(id: string): TextChannel | undefined {
    return this.state.channels.find((c) => c.id === id) ?? this.state.threads.find((t) => t.id === id);
  }

  /** A StoredMessage view of a message as it is now. */
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
  waitForMessage(channelId: string, predicate: (m: StoredMessage) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StoredMessage> {
    return this.messageWaiters.wait(() => this.messages(channelId).find(predicate), timeoutMs, `a message in channel ${channelId}`);
  }

  storeMessage(record: MessageRecord): void {
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

  deleteMessage(record: MessageRecord): void {
    this.messagesById.delete(record.api.id);
    const list = this.channelMessages.get(record.api.channel_id);
    if (list) list.splice(list.indexOf(record.api.id), 1);
  }

  /** Replaces what an edit body sets; a loading (deferred) message stops loading. */
  applyEdit(record: MessageRecord, data: Json): void {
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

  /** Wakes whoever waits on messages, and on this interaction's replies. */
  changed(interaction?: InteractionRecord): void {
    interaction?.waiters.notify();
    this.messageWaiters.notify();
  }

  /** MESSAGE_CREATE or MESSAGE_UPDATE to sessions with the GuildMessages intent; content only where Discord would send it. */
  dispatchMessage(event: GatewayDispatchEvents.MessageCreate | GatewayDispatchEvents.MessageUpdate, message: APIMessage): void {
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

  // ---------------------------------------------------------------- commands

  command(name: string): APIApplicationCommand | undefined {
    return [...this.guildCommands.values()].find((c) => c.name === name) ?? [...this.globalCommands.values()].find((c) => c.name === name);
  }

  // ---------------------------------------------------------------- violations

  violation(where: string, reason: string): void {
    const line = `${where}: ${reason}`;
    this.violations.push(line);
    this.log(`violation: ${line}`);
  }

  /** Discord's limits on a message body (content, embeds, components, allowed mentions). */
  checkMessageBody(where: string, body: unknown): void {
    if (!this.validateBodies) return;
    for (const problem of messageProblems(body)) this.violation(where, problem);
  }
}
