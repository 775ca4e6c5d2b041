/**
 * The one reply path to Discord. Every message Verbatim sends goes through here, which
 *  - sets `allowed_mentions` so nothing from the corpus or a question can ping anyone;
 *  - fits the payload within Discord's limits (`limits.ts`);
 *  - picks the right call for an interaction's state, so nothing is acknowledged twice:
 *    the calls for one interaction run one after another (a deferral on a timer and the
 *    answer arriving at the same moment must not both acknowledge it).
 */
import {
  MessageFlags,
  type Message,
  type MessageMentionOptions,
  type RepliableInteraction,
  type SendableChannels,
} from 'discord.js';
import { fitMessage } from './limits.ts';
import type { ReplyPayload } from './render/payload.ts';

/** No @everyone/@here, no role or user pings, not even the person replied to. */
export const NO_PINGS: MessageMentionOptions = Object.freeze({ parse: [], users: [], roles: [], repliedUser: false }) as MessageMentionOptions;

function messageOptions(payload: ReplyPayload) {
  const fitted = fitMessage(payload);
  return {
    ...(fitted.content !== undefined ? { content: fitted.content } : {}),
    ...(fitted.embeds ? { embeds: fitted.embeds } : {}),
    ...(fitted.components ? { components: fitted.components } : {}),
    allowedMentions: NO_PINGS,
  };
}

/** The last call under way for each interaction; the next one starts when it has settled. */
const underWay = new WeakMap<RepliableInteraction, Promise<unknown>>();

/** Runs `send` after every earlier call for the same interaction, so it sees the state they left. */
function inTurn(interaction: RepliableInteraction, send: () => Promise<void>): Promise<void> {
  const previous = underWay.get(interaction);
  const turn = previous ? previous.then(send, send) : send();
  underWay.set(interaction, turn.catch(() => {}));
  return turn;
}

/** Replies to an interaction: first reply, edit of a deferred reply, or a follow-up. */
export function respond(interaction: RepliableInteraction, payload: ReplyPayload): Promise<void> {
  return inTurn(interaction, () => send(interaction, payload));
}

async function send(interaction: RepliableInteraction, payload: ReplyPayload): Promise<void> {
  const options = messageOptions(payload);
  if (interaction.deferred) {
    // A deferred reply is one message that progress and the result each replace. discord.js
    // marks the interaction `replied` after the first edit; that must not turn the next edit
    // into a follow-up (which would be a second, public message).
    await interaction.editReply(options);
  } else if (interaction.replied) {
    await interaction.followUp({ ...options, ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  } else {
    await interaction.reply({ ...options, ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  }
}

/** Acknowledges now and answers later (for work that may pass Discord's 3-second deadline). */
export function deferResponse(interaction: RepliableInteraction, ephemeral: boolean): Promise<void> {
  return inTurn(interaction, async () => {
    if (!interaction.deferred && !interaction.replied) {
      await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    }
  });
}

/** Replies to a message (a mention in a thread). */
export async function replyToMessage(message: Message, payload: ReplyPayload): Promise<Message> {
  return message.reply(messageOptions(payload));
}

/** Sends to a channel or thread. */
export async function sendToChannel(channel: SendableChannels, payload: ReplyPayload): Promise<Message> {
  return channel.send(messageOptions(payload));
}
