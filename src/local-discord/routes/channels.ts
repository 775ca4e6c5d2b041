/**
 * REST routes of channels: read a channel or a message, post (a reply too), edit the bot's
 * own message, and start a thread (from a message or not).
 */
import { ChannelType, GatewayDispatchEvents, GatewayIntentBits, MessageFlags, MessageType, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import type { LocalGuild, TextChannel } from '../guild.ts';
import { HttpError, ID, isObject, messageData, route, type Json, type Route, type RouteContext, type RouteResult } from '../http.ts';
import { makeMessage, threadChannel } from '../payloads.ts';
import type { MessageRecord } from '../records.ts';
import { snowflake } from '../snowflake.ts';
import { threadNameProblems } from '../validate.ts';

export function channelRoutes(guild: LocalGuild): Route[] {
  return [
    route('GET', `/channels/${ID}`, true, ({ params }) => ({ status: 200, body: requireChannel(guild, params[0]!) })),
    route('GET', `/channels/${ID}/messages/${ID}`, true, ({ params }) => ({ status: 200, body: requireMessage(guild, params[0]!, params[1]!).api })),
    route('POST', `/channels/${ID}/messages`, true, (ctx) => createMessage(guild, ctx)),
    route('PATCH', `/channels/${ID}/messages/${ID}`, true, (ctx) => editMessage(guild, ctx)),
    route('POST', `/channels/${ID}/threads`, true, (ctx) => createThread(guild, ctx, undefined)),
    route('POST', `/channels/${ID}/messages/${ID}/threads`, true, (ctx) => createThread(guild, ctx, ctx.params[1]!)),
  ];
}

function requireChannel(guild: LocalGuild, channelId: string): TextChannel {
  const channel = guild.channel(channelId);
  if (!channel) throw new HttpError(404, 10003, 'Unknown Channel');
  return channel;
}

/** A message of the channel the bot can see (not another member's ephemeral one). */
function requireMessage(guild: LocalGuild, channelId: string, messageId: string): MessageRecord {
  requireChannel(guild, channelId);
  const message = guild.messagesById.get(messageId);
  if (!message || message.api.channel_id !== channelId || ((message.api.flags ?? 0) & MessageFlags.Ephemeral) !== 0) throw new HttpError(404, 10008, 'Unknown Message');
  return message;
}

function createMessage(guild: LocalGuild, { params, body }: RouteContext): RouteResult {
  const channelId = params[0]!;
  requireChannel(guild, channelId);
  const data = messageData(body);
  guild.checkMessageBody(`POST /channels/${channelId}/messages`, data);
  const hasContent = (typeof data.content === 'string' && data.content.length > 0) || (Array.isArray(data.embeds) && data.embeds.length > 0) || (Array.isArray(data.components) && data.components.length > 0);
  if (!hasContent) throw new HttpError(400, 50006, 'Cannot send an empty message');
  const replyTo = repliedTo(guild, channelId, data);
  const content = typeof data.content === 'string' ? data.content : '';
  const parsed = guild.parseMentions(content, guild.people.get(guild.botUserId)!);
  const api = makeMessage({
    id: snowflake(),
    channelId,
    author: guild.botUser,
    content,
    now: new Date().toISOString(),
    embeds: Array.isArray(data.embeds) ? (structuredClone(data.embeds) as APIEmbed[]) : [],
    components: Array.isArray(data.components) ? (structuredClone(data.components) as APIMessage['components']) : [],
    flags: typeof data.flags === 'number' ? data.flags & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications) : 0,
    type: replyTo ? MessageType.Reply : MessageType.Default,
    mentions: parsed.mentions,
    mentionRoles: parsed.mentionRoles,
    mentionEveryone: false,
    ...(replyTo ? { messageReference: replyTo.reference, referencedMessage: replyTo.message.api } : {}),
  });
  guild.storeMessage({ api, allowedMentions: data.allowed_mentions, ...(replyTo ? { messageReference: replyTo.reference } : {}) });
  guild.dispatchMessage(GatewayDispatchEvents.MessageCreate, api);
  guild.changed();
  return { status: 200, body: api };
}

/** The message a reply refers to; an unknown one is an error unless `fail_if_not_exists` is false. */
function repliedTo(guild: LocalGuild, channelId: string, data: Json): { message: MessageRecord; reference: NonNullable<APIMessage['message_reference']> } | undefined {
  if (!isObject(data.message_reference)) return undefined;
  const ref = data.message_reference;
  const refChannel = typeof ref.channel_id === 'string' ? ref.channel_id : channelId;
  const message = typeof ref.message_id === 'string' ? guild.messagesById.get(ref.message_id) : undefined;
  if (message && message.api.channel_id === refChannel) {
    return { message, reference: { type: 0, message_id: message.api.id, channel_id: refChannel, guild_id: guild.guildId } };
  }
  if (ref.fail_if_not_exists === false) return undefined;
  throw new HttpError(400, 50035, 'Invalid Form Body', { errors: { message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] } } });
}

function editMessage(guild: LocalGuild, { params, body }: RouteContext): RouteResult {
  const message = requireMessage(guild, params[0]!, params[1]!);
  if (message.api.author.id !== guild.botUserId) throw new HttpError(403, 50005, 'Cannot edit a message authored by another user');
  const data = messageData(body);
  guild.checkMessageBody(`PATCH /channels/${params[0]}/messages/${params[1]}`, data);
  guild.applyEdit(message, data);
  guild.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message.api);
  guild.changed();
  return { status: 200, body: message.api };
}

function createThread(guild: LocalGuild, { params, body }: RouteContext, messageId: string | undefined): RouteResult {
  const channelId = params[0]!;
  const where = `POST /channels/${channelId}${messageId ? `/messages/${messageId}` : ''}/threads`;
  const parent = requireChannel(guild, channelId);
  if (parent.type !== ChannelType.GuildText) throw new HttpError(400, 50024, 'Cannot execute action on this channel type');
  const data = messageData(body);
  if (guild.validateBodies) for (const problem of threadNameProblems(data.name)) guild.violation(where, problem);
  let starter: MessageRecord | undefined;
  if (messageId) {
    starter = requireMessage(guild, channelId, messageId);
    if (((starter.api.flags ?? 0) & MessageFlags.HasThread) !== 0) throw new HttpError(400, 160004, 'A thread has already been created for this message');
  }
  const type = messageId ? ChannelType.PublicThread : data.type === ChannelType.PublicThread ? ChannelType.PublicThread : ChannelType.PrivateThread;
  const autoArchive = [60, 1440, 4320, 10080].includes(Number(data.auto_archive_duration)) ? (Number(data.auto_archive_duration) as 60 | 1440 | 4320 | 10080) : 1440;
  const now = new Date().toISOString();
  const thread = threadChannel({
    id: messageId ?? snowflake(),
    guildId: guild.guildId,
    parentId: channelId,
    name: typeof data.name === 'string' ? data.name.slice(0, 100) : 'thread',
    ownerId: guild.botUserId,
    type,
    autoArchive,
    now,
  });
  guild.state.threads.push(thread);
  guild.channelMessages.set(thread.id, []);
  const member = { id: thread.id, user_id: guild.botUserId, join_timestamp: now, flags: 0 };
  guild.gateway.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true, member }, GatewayIntentBits.Guilds);
  if (starter) {
    starter.api.flags = (starter.api.flags ?? 0) | MessageFlags.HasThread;
    starter.api.thread = thread;
    guild.dispatchMessage(GatewayDispatchEvents.MessageUpdate, starter.api);
  }
  guild.changed();
  return { status: 201, body: { ...thread, member } };
}
