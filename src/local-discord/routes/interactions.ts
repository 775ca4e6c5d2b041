/**
 * REST routes of interactions: the acknowledgement (`/interactions/…/callback`, refused as
 * Discord refuses a second one, a late one or a type the interaction does not allow), and
 * the interaction webhook: the original response and follow-ups, read, edited and deleted.
 */
import {
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIEmbed,
  type APIMessage,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import type { LocalGuild } from '../guild.ts';
import { HttpError, ID, messageData, route, TOKEN, type Json, type Route, type RouteContext, type RouteResult } from '../http.ts';
import { makeMessage } from '../payloads.ts';
import type { InteractionKind, InteractionRecord, MessageRecord } from '../records.ts';
import { snowflake } from '../snowflake.ts';
import { choiceProblems } from '../validate.ts';

/** Callback types Discord accepts for each kind of interaction. */
const ALLOWED_CALLBACKS: Record<InteractionKind, number[]> = { command: [4, 5, 9], autocomplete: [8], button: [4, 5, 6, 7, 9] };

export function interactionRoutes(guild: LocalGuild): Route[] {
  const hook = `/webhooks/${ID}/${TOKEN}`;
  return [
    route('POST', `/interactions/${ID}/${TOKEN}/callback`, false, (ctx) => interactionCallback(guild, ctx)),
    route('GET', `${hook}/messages/@original`, false, ({ params }) => webhookGet(guild, params[0]!, params[1]!, '@original')),
    route('PATCH', `${hook}/messages/@original`, false, (ctx) => webhookEdit(guild, ctx, '@original')),
    route('DELETE', `${hook}/messages/@original`, false, ({ params }) => webhookDelete(guild, params[0]!, params[1]!, '@original')),
    route('GET', `${hook}/messages/${ID}`, false, ({ params }) => webhookGet(guild, params[0]!, params[1]!, params[2]!)),
    route('PATCH', `${hook}/messages/${ID}`, false, (ctx) => webhookEdit(guild, ctx, ctx.params[2]!)),
    route('DELETE', `${hook}/messages/${ID}`, false, ({ params }) => webhookDelete(guild, params[0]!, params[1]!, params[2]!)),
    route('POST', hook, false, (ctx) => followUp(guild, ctx)),
  ];
}

/** The interaction a callback (by id and token) or a webhook call (by application and token) names. */
function interactionFor(guild: LocalGuild, applicationOrId: string, token: string, byId: boolean): InteractionRecord {
  const record = byId ? guild.interactions.get(applicationOrId) : guild.interactionsByToken.get(token);
  if (byId) {
    if (!record || record.token !== token) throw new HttpError(404, 10062, 'Unknown interaction');
    return record;
  }
  if (applicationOrId !== guild.applicationId || !record) throw new HttpError(404, 10015, 'Unknown Webhook');
  return record;
}

function interactionMessage(guild: LocalGuild, record: InteractionRecord, data: Json, flags: number, type: MessageType): APIMessage {
  const { user } = record.person;
  return makeMessage({
    id: snowflake(),
    channelId: record.channelId,
    author: guild.botUser,
    content: typeof data.content === 'string' ? data.content : '',
    now: new Date().toISOString(),
    embeds: Array.isArray(data.embeds) ? (structuredClone(data.embeds) as APIEmbed[]) : [],
    components: Array.isArray(data.components) ? (structuredClone(data.components) as APIMessage['components']) : [],
    flags,
    type,
    webhookId: guild.applicationId,
    applicationId: guild.applicationId,
    interactionMetadata:
      record.kind === 'button'
        ? { id: record.id, type: InteractionType.MessageComponent, user, authorizing_integration_owners: { 0: guild.guildId }, interacted_message_id: record.sourceMessageId! }
        : { id: record.id, type: InteractionType.ApplicationCommand, user, authorizing_integration_owners: { 0: guild.guildId } },
  });
}

/** Flags a bot may set on an interaction message: ephemeral, suppress embeds, suppress notifications. */
function allowedFlags(data: Json): number {
  const flags = typeof data.flags === 'number' ? data.flags : 0;
  return flags & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications);
}

function interactionCallback(guild: LocalGuild, { at, params, query, body }: RouteContext): RouteResult {
  const where = `POST /interactions/${params[0]}/…/callback`;
  const record = interactionFor(guild, params[0]!, params[1]!, true);
  const payload = messageData(body);
  const type = typeof payload.type === 'number' ? payload.type : -1;
  if (record.acknowledged) {
    record.callbacks.push({ type, body, at });
    guild.violation(where, `second acknowledgement (type ${type}) of an interaction already acknowledged with type ${record.callbacks[0]!.type}`);
    guild.changed(record);
    throw new HttpError(400, 40060, 'Interaction has already been acknowledged.');
  }
  if (at - record.dispatchedAt > guild.deadlineMs) {
    guild.violation(where, `acknowledged after ${Math.round(at - record.dispatchedAt)} ms (Discord's deadline is ${guild.deadlineMs} ms)`);
    throw new HttpError(404, 10062, 'Unknown interaction');
  }
  if (!ALLOWED_CALLBACKS[record.kind].includes(type)) {
    guild.violation(where, `callback type ${type} is not allowed for a ${record.kind} interaction (allowed: ${ALLOWED_CALLBACKS[record.kind].join(', ')})`);
    throw new HttpError(400, 50035, 'Invalid Form Body', { errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' }] } } });
  }
  record.callbacks.push({ type, body, at });
  const message = acknowledge(guild, record, type, messageData(payload.data), where);
  guild.changed(record);
  if (query.get('with_response') !== 'true') return { status: 204 };
  return { status: 200, body: callbackResponse(record, type, message) };
}

/** What an accepted callback does: the message it shows or changes, if any. */
function acknowledge(guild: LocalGuild, record: InteractionRecord, type: number, data: Json, where: string): APIMessage | undefined {
  const commandType = record.kind === 'command' ? MessageType.ChatInputCommand : MessageType.Default;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      guild.checkMessageBody(where, data);
      const message = interactionMessage(guild, record, data, allowedFlags(data), commandType);
      guild.storeMessage({ api: message, interactionId: record.id, allowedMentions: data.allowed_mentions });
      record.originalId = message.id;
      record.callbackMessage = guild.snapshot(message.id);
      guild.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
      return message;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const message = interactionMessage(guild, record, {}, (allowedFlags(data) & MessageFlags.Ephemeral) | MessageFlags.Loading, commandType);
      guild.storeMessage({ api: message, interactionId: record.id });
      record.originalId = message.id;
      guild.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
      return message;
    }
    case InteractionResponseType.DeferredMessageUpdate:
      record.originalId = record.sourceMessageId;
      return undefined;
    case InteractionResponseType.UpdateMessage: {
      guild.checkMessageBody(where, data);
      const source = guild.messagesById.get(record.sourceMessageId!);
      record.originalId = record.sourceMessageId;
      if (!source) return undefined;
      guild.applyEdit(source, data);
      record.callbackMessage = guild.snapshot(source.api.id);
      guild.dispatchMessage(GatewayDispatchEvents.MessageUpdate, source.api);
      return source.api;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      const choices = Array.isArray(data.choices) ? (data.choices as Array<{ name: string; value: string | number }>) : [];
      if (guild.validateBodies) for (const problem of choiceProblems(data.choices)) guild.violation(where, problem);
      record.choices = structuredClone(choices);
      return undefined;
    }
    default: // a modal: nothing is shown in the channel
      return undefined;
  }
}

/** The body of a callback asked `with_response=true`. */
function callbackResponse(record: InteractionRecord, type: number, message: APIMessage | undefined): RESTPostAPIInteractionCallbackWithResponseResult {
  return {
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
}

function webhookMessage(guild: LocalGuild, record: InteractionRecord, messageId: string): MessageRecord {
  const id = messageId === '@original' ? record.originalId : messageId;
  const message = id ? guild.messagesById.get(id) : undefined;
  const ours = message && (message.interactionId === record.id || id === record.originalId);
  if (!message || !ours) throw new HttpError(404, 10008, 'Unknown Message');
  return message;
}

function webhookGet(guild: LocalGuild, applicationId: string, token: string, messageId: string): RouteResult {
  const record = interactionFor(guild, applicationId, token, false);
  return { status: 200, body: webhookMessage(guild, record, messageId).api };
}

function webhookEdit(guild: LocalGuild, { params, body }: RouteContext, messageId: string): RouteResult {
  const where = `PATCH /webhooks/${params[0]}/…/messages/${messageId}`;
  const record = interactionFor(guild, params[0]!, params[1]!, false);
  const message = webhookMessage(guild, record, messageId);
  const data = messageData(body);
  guild.checkMessageBody(where, data);
  guild.applyEdit(message, data);
  if (message.api.id === record.originalId) record.editSnapshots.push(guild.snapshot(message.api.id)!);
  guild.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message.api);
  guild.changed(record);
  return { status: 200, body: message.api };
}

function webhookDelete(guild: LocalGuild, applicationId: string, token: string, messageId: string): RouteResult {
  const record = interactionFor(guild, applicationId, token, false);
  const message = webhookMessage(guild, record, messageId);
  guild.deleteMessage(message);
  // Discord sends no MESSAGE_DELETE for ephemeral messages.
  if (((message.api.flags ?? 0) & MessageFlags.Ephemeral) === 0) {
    guild.gateway.dispatch(GatewayDispatchEvents.MessageDelete, { id: message.api.id, channel_id: message.api.channel_id, guild_id: guild.guildId }, GatewayIntentBits.GuildMessages);
  }
  guild.changed(record);
  return { status: 204 };
}

function followUp(guild: LocalGuild, { params, query, body }: RouteContext): RouteResult {
  const where = `POST /webhooks/${params[0]}/…`;
  const record = interactionFor(guild, params[0]!, params[1]!, false);
  if (!record.acknowledged) {
    guild.violation(where, 'follow-up before the interaction was acknowledged');
    throw new HttpError(404, 10015, 'Unknown Webhook');
  }
  const data = messageData(body);
  guild.checkMessageBody(where, data);
  const original = record.originalId ? guild.messagesById.get(record.originalId) : undefined;
  let message: APIMessage;
  if (original && ((original.api.flags ?? 0) & MessageFlags.Loading) !== 0) {
    // Discord: the first follow-up after a defer takes the place of the "thinking…" message.
    guild.applyEdit(original, data);
    message = original.api;
    record.followUpIds.push(message.id);
    guild.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message);
  } else {
    message = interactionMessage(guild, record, data, allowedFlags(data), MessageType.Default);
    guild.storeMessage({ api: message, interactionId: record.id, allowedMentions: data.allowed_mentions });
    record.followUpIds.push(message.id);
    guild.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
  }
  guild.changed(record);
  return query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
}
