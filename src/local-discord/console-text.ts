/**
 * Discord messages as a person would read them in a terminal: embeds as text blocks,
 * Markdown made plain (bold kept on a TTY), buttons listed with numbers to press.
 */
import type { APIEmbed } from 'discord-api-types/v10';

export interface TextStyle {
  color: boolean;
}

export interface ButtonRef {
  label: string;
  customId: string;
  disabled: boolean;
}

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Discord Markdown → terminal text: escapes removed, **bold** kept as ANSI bold on a TTY, links as "label <url>". */
export function markdownToText(markdown: string, style: TextStyle): string {
  let text = markdown.replace(/\u200b/g, '');
  text = text.replace(/<t:(\d+)(?::[tTdDfFR])?>/g, (_, s: string) => new Date(Number(s) * 1000).toLocaleString());
  text = text.replace(/\[((?:\\.|[^\]])+)\]\((https?:[^)]+)\)/g, (_, label: string, url: string) => `${label} <${url}>`);
  const parts = text.split('**');
  text = parts.map((part, i) => (i % 2 === 1 && style.color ? BOLD + part + RESET : part)).join('');
  return text.replace(/\\([\\*_~`|>#\-[\]()<:.!+=])/g, '$1');
}

export function embedToText(embed: APIEmbed, style: TextStyle): string {
  const bar = '┃ ';
  const lines: string[] = [];
  if (embed.title) lines.push(style.color ? BOLD + markdownToText(embed.title, { color: false }) + RESET : markdownToText(embed.title, style));
  if (embed.description) lines.push(...markdownToText(embed.description, style).split('\n'));
  for (const field of embed.fields ?? []) lines.push(`${markdownToText(field.name, style)}: ${markdownToText(field.value, style)}`);
  if (embed.footer?.text) lines.push(style.color ? DIM + embed.footer.text + RESET : embed.footer.text);
  return lines.map((line) => bar + line).join('\n');
}

/** The buttons of a message's components, in order. */
export function buttonsOf(components: unknown[]): ButtonRef[] {
  const buttons: ButtonRef[] = [];
  for (const row of components as Array<{ components?: Array<{ type: number; label?: string; custom_id?: string; disabled?: boolean }> }>) {
    for (const component of row.components ?? []) {
      if (component.type === 2 && component.custom_id) buttons.push({ label: component.label ?? '?', customId: component.custom_id, disabled: component.disabled ?? false });
    }
  }
  return buttons;
}

export interface RenderedMessage {
  text: string;
  buttons: ButtonRef[];
}

/** A message: who sent it, its content, embeds and numbered buttons (numbers start at `firstButton`). */
export function messageToText(
  message: { content?: string; embeds?: APIEmbed[]; components?: unknown[]; flags?: number },
  style: TextStyle,
  firstButton = 1,
): RenderedMessage {
  const out: string[] = [];
  const ephemeral = ((message.flags ?? 0) & 64) !== 0;
  out.push(`Verbatim${ephemeral ? ' (only you can see this)' : ''}:`);
  if (message.content) out.push(...markdownToText(message.content, style).split('\n').map((l) => '  ' + l));
  for (const embed of message.embeds ?? []) out.push(embedToText(embed, style));
  const buttons = buttonsOf(message.components ?? []);
  if (buttons.length) {
    out.push(buttons.map((b, i) => `[${firstButton + i}] ${b.label}${b.disabled ? ' (disabled)' : ''}`).join('   '));
  }
  return { text: out.join('\n'), buttons };
}
