/**
 * The hostile steps of the Discord audit: one random interaction or mention as a member
 * would send it (hostile questions, file names, line ranges, option values out of range,
 * real and forged buttons, mentions with @everyone and roles, the admin commands).
 */
import type { LocalDiscord, LocalInteraction, LocalMember, StoredMessage } from '../local-discord/index.ts';
import { forgedCustomIds, hostileFileNames, hostileLineRanges, ON_TOPIC, type Rng } from './hostile-text.ts';

/** What one step sent: an interaction to check, a mention to check, or nothing (refused). */
export type Sent =
  | { kind: string; what: string; interaction: LocalInteraction; forged?: boolean }
  | { kind: 'mention'; what: string; message: StoredMessage; channelId: string }
  | { kind: string; what: string; refused: string };

export interface StepContext {
  rng: Rng;
  server: LocalDiscord;
  /** The next hostile question. */
  question: () => string;
  /** Answer messages with buttons, for the More and Context presses. */
  answers: readonly StoredMessage[];
  /** Steps sent, by kind (counted here). */
  byKind: Record<string, number>;
  /** Forged button presses the local server's helper refused, delivered raw. */
  forgedDelivered: number;
}

/** One hostile step, chosen at random. */
export function hostileStep(ctx: StepContext): Sent {
  const { rng, server } = ctx;
  const roll = rng.next();
  const who = rng.pick([server.members.alice, server.members.bob, server.members.mod, server.members.admin]);
  if (roll < 0.24) return askStep(ctx, who);
  if (roll < 0.38) return searchStep(ctx, who);
  if (roll < 0.5) {
    const options: Record<string, string> = { file: hostileFileNames(rng) };
    if (rng.chance(0.6)) options.lines = hostileLineRanges(rng);
    return trySend(ctx, 'source', `/source ${JSON.stringify(options)}`, () => server.slashCommand(who, 'source', options));
  }
  if (roll < 0.62) return autocompleteStep(ctx, who);
  if (roll < 0.72 && ctx.answers.length) {
    const message = rng.pick(ctx.answers);
    const id = rng.pick(buttonIds(message));
    return trySend(ctx, 'button', `button ${id}`, () => server.pressButton(who, message, id));
  }
  if (roll < 0.8 && ctx.answers.length) return forgedButtonStep(ctx, who);
  if (roll < 0.94) return mentionStep(ctx, who);
  const name = rng.pick(['help', 'stats', 'reindex']);
  // /reindex by a plain member: refused by the bot (a real rebuild is the crash audit's work).
  const who2 = name === 'reindex' ? server.members.alice : who;
  return trySend(ctx, name, `/${name}`, () => server.slashCommand(who2, name, name === 'reindex' && rng.chance(0.5) ? { full: true } : {}));
}

function trySend(ctx: StepContext, kind: string, what: string, send: () => LocalInteraction): Sent {
  ctx.byKind[kind] = (ctx.byKind[kind] ?? 0) + 1;
  try {
    return { kind, what, interaction: send() };
  } catch (error) {
    return { kind, what, refused: (error as Error).message };
  }
}

function askStep(ctx: StepContext, who: LocalMember): Sent {
  const { rng, server } = ctx;
  const q = ctx.question();
  const options: Record<string, string | number | boolean> = { question: rng.chance(0.85) ? q.slice(0, 300) : q };
  if (rng.chance(0.4)) options.results = rng.pick([1, 2, 3, 5, 0, 6, -1, 2.5, 1e9]);
  if (rng.chance(0.3)) options.private = rng.chance(0.8) ? rng.chance(0.5) : 'yes';
  return trySend(ctx, 'ask', `/ask ${JSON.stringify(options).slice(0, 120)}`, () => server.slashCommand(who, 'ask', options, { channelId: rng.pick([server.channels.general, server.channels.thread]) }));
}

function searchStep(ctx: StepContext, who: LocalMember): Sent {
  const { rng, server } = ctx;
  const options: Record<string, string | number> = { query: ctx.question().slice(0, rng.chance(0.9) ? 300 : 2000) };
  if (rng.chance(0.4)) options.file = hostileFileNames(rng);
  if (rng.chance(0.4)) options.limit = rng.pick([1, 5, 10, 0, 11, -3, 1.5]);
  return trySend(ctx, 'search', `/search ${JSON.stringify(options).slice(0, 120)}`, () => server.slashCommand(who, 'search', options));
}

function autocompleteStep(ctx: StepContext, who: LocalMember): Sent {
  const { rng, server } = ctx;
  const focused = rng.chance(0.5) ? hostileFileNames(rng) : ctx.question().slice(0, rng.pick([5, 50, 100, 300, 6000]));
  if (rng.chance(0.5)) return trySend(ctx, 'autocomplete', `autocomplete /source ${JSON.stringify(focused.slice(0, 80))}`, () => server.autocomplete(who, 'source', { file: focused }, 'file'));
  return trySend(ctx, 'autocomplete', `autocomplete /search ${JSON.stringify(focused.slice(0, 80))}`, () => server.autocomplete(who, 'search', { query: rng.pick(ON_TOPIC), file: focused }, 'file'));
}

function buttonIds(message: StoredMessage): string[] {
  return (message.components as Array<{ components?: Array<{ custom_id?: string }> }>).flatMap((row) => (row.components ?? []).map((b) => b.custom_id ?? ''));
}

/** A custom id the message does not carry: refused by the helper, then delivered raw. */
function forgedButtonStep(ctx: StepContext, who: LocalMember): Sent {
  const { rng, server } = ctx;
  const message = rng.pick(ctx.answers);
  const realKey = (message.components as Array<{ components?: Array<{ custom_id?: string }> }>)[0]?.components?.[1]?.custom_id?.split(':')[1];
  const id = forgedCustomIds(rng, rng.chance(0.5) ? realKey : undefined);
  ctx.byKind['forged button'] = (ctx.byKind['forged button'] ?? 0) + 1;
  const what = `forged button ${JSON.stringify(id)}`;
  try {
    return { kind: 'forged button', what, interaction: server.pressButton(who, message, id) };
  } catch {
    const interaction = server.pressForgedButton(who, message, id);
    ctx.forgedDelivered++;
    return { kind: 'forged button', what, interaction, forged: true };
  }
}

function mentionStep(ctx: StepContext, who: LocalMember): Sent {
  const { rng, server } = ctx;
  ctx.byKind.mention = (ctx.byKind.mention ?? 0) + 1;
  const channelId = rng.chance(0.6) ? server.channels.thread : server.channels.general;
  const text = rng.chance(0.1) ? rng.pick(['', ' ', '\u200b', `<@${server.botUserId}>`]) : ctx.question().slice(0, 1900);
  const message = server.sendMessage(who, channelId, text, {
    mentionBot: true,
    ...(rng.chance(0.2) ? { mentionEveryone: true } : {}),
    ...(rng.chance(0.2) ? { mentionRoles: [server.roles.moderator] } : {}),
  });
  return { kind: 'mention', what: `mention ${JSON.stringify(text.slice(0, 80))}`, message, channelId };
}
