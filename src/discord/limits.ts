/**
 * Discord's message limits, and the last line of defence that keeps every payload inside
 * them. Renderers budget their text first; `fitMessage` guarantees the result whatever
 * they did, cutting at a word with `…` and never splitting a surrogate pair.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import { truncateAtWord } from '../core/text.ts';

export const LIMITS = Object.freeze({
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
  threadName: 100,
});

/** Cuts text to `max` UTF-16 units at a word boundary, ending with `…` when cut. */
export function clip(text: string, max: number): string {
  return truncateAtWord(text, max);
}

function embedLength(embed: APIEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

/** Each part of an embed within its own limit. */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = clip(out.title, LIMITS.embedTitle);
  if (out.description !== undefined) out.description = clip(out.description, LIMITS.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: clip(out.footer.text, LIMITS.footerText) };
  if (out.author) out.author = { ...out.author, name: clip(out.author.name, LIMITS.authorName) };
  if (out.fields) {
    out.fields = out.fields.slice(0, LIMITS.embedFields).map((field) => ({
      ...field,
      name: clip(field.name || '\u200b', LIMITS.fieldName),
      value: clip(field.value || '\u200b', LIMITS.fieldValue),
    }));
  }
  return out;
}

export interface MessageParts {
  content?: string;
  embeds?: APIEmbed[];
}

/**
 * Content ≤ 2000, ≤ 10 embeds, each part within its limit, and all embeds together
 * ≤ 6000 characters (the description of the last embeds is cut first).
 */
export function fitMessage<T extends MessageParts>(message: T): T {
  const out = { ...message };
  if (out.content !== undefined) out.content = clip(out.content, LIMITS.content);
  if (out.embeds) {
    const embeds = out.embeds.slice(0, LIMITS.embeds).map(fitEmbed);
    let excess = embeds.reduce((sum, embed) => sum + embedLength(embed), 0) - LIMITS.embedTotal;
    for (let i = embeds.length - 1; i >= 0 && excess > 0; i--) {
      const embed = embeds[i]!;
      const description = embed.description ?? '';
      const keep = Math.max(0, description.length - excess - 1);
      const clipped = keep > 0 ? clip(description, keep) : undefined;
      excess -= description.length - (clipped?.length ?? 0);
      embeds[i] = { ...embed, description: clipped };
      if (excess > 0 && embed.fields?.length) {
        excess -= embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
        embeds[i] = { ...embeds[i]!, fields: [] };
      }
    }
    out.embeds = embeds;
  }
  return out;
}

export interface Choice {
  name: string;
  value: string;
}

/** Autocomplete: at most 25 choices; names and values at most 100 characters. */
export function fitChoices(choices: readonly Choice[]): Choice[] {
  return choices
    .filter((choice) => choice.value.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((choice) => ({ name: clip(choice.name, LIMITS.choiceName), value: choice.value }));
}
