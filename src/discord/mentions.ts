/** Mentions as questions: the text without the mention, and the thread opened for it. */
import { ChannelType, type Message } from 'discord.js';
import { linkOptions, type BotContext, type HandlerOutcome } from './context.ts';
import { clip, LIMITS } from './limits.ts';
import { askIndex, withoutDiscordMarkup } from './ask-library.ts';
import { renderAnswer } from './render/answer.ts';
import { renderMentionHelp } from './render/help.ts';
import type { ReplyPayload } from './render/payload.ts';
import { replyToMessage, sendToChannel } from './respond.ts';
import { DEFAULT_TOP } from '../core/options.ts';

/**
 * The question in a message that mentions the bot: the text without the bot's mentions, nor
 * Discord's other markup (`withoutDiscordMarkup`): a thread is named after it, and a message that
 * mentions only people gets the short help.
 */
export function questionFromMention(content: string, botId: string): string {
  return withoutDiscordMarkup(content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' '));
}

/** A thread name for a question: ≤ 100 characters, cut at a word, never empty. */
export function threadName(question: string): string {
  const oneLine = question.replace(/\s+/g, ' ').trim();
  return clip(oneLine || 'Question', LIMITS.threadName);
}

const THREADABLE = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/**
 * Answers a message that mentions the bot: in a thread, a reply there; in a text channel,
 * a new thread on the message, answered inside it.
 */
export async function handleMention(message: Message, ctx: BotContext): Promise<HandlerOutcome> {
  const botId = message.client.user.id;
  const question = questionFromMention(message.content, botId);
  let payload: ReplyPayload;
  let outcome: HandlerOutcome = {};
  const wait = question ? ctx.cooldown.notice(message.author.id) : undefined;
  if (!question) payload = renderMentionHelp();
  else if (wait) payload = { content: wait };
  else {
    const asked = await askIndex(ctx, question, { top: DEFAULT_TOP });
    if ('error' in asked) payload = { content: asked.error };
    else {
      const { answer } = asked;
      const key = answer.answered ? ctx.answers.rememberResults(question, DEFAULT_TOP, answer.results) : undefined;
      payload = renderAnswer(answer, { key, ...linkOptions(ctx) });
      outcome = { answered: answer.answered, passages: answer.results.length };
    }
  }
  if (!message.channel.isThread() && THREADABLE.has(message.channel.type) && question && !message.hasThread) {
    const thread = await message.startThread({ name: threadName(question) });
    await sendToChannel(thread, payload);
  } else {
    await replyToMessage(message, payload);
  }
  return outcome;
}
