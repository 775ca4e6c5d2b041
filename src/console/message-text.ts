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
  text = linksToText(text);
  const parts = text.split('**');
  text = parts.map((part, i) => (i % 2 === 1 && style.color ? BOLD + part + RESET : part)).join('');
  return text.replace(/\\([\\*_~`|>#\-[\]()<:.!+=])/g, '$1');
}

/**
 * `[label](https://…)` → `label <https://…>`. A scanner, not a regex: a label may hold
 * backslash escapes (`\]` does not end it), and a pattern like `(?:\\.|[^\]])+` can split
 * a run of backslashes in exponentially many ways. Each `[` is read once: a `[` inside a
 * label that failed to become a link ends at the same `]`, so it cannot start a link either.
 */
function linksToText(text: string): string {
  let out = '';
  let copied = 0;
  // Where the next `)` is, found at most once per position: `indexOf` from every `[` would be quadratic.
  let closeParen = -1;
  let open = text.indexOf('[');
  while (open !== -1) {
    let end = open + 1;
    while (end < text.length && text[end] !== ']') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) break; // no `]` closes this label, nor any label after it
    const urlStart = end + 2;
    const scheme = text.startsWith('https:', urlStart) ? 6 : text.startsWith('http:', urlStart) ? 5 : 0;
    if (end > open + 1 && text[end + 1] === '(' && scheme) {
      if (closeParen < urlStart + scheme) closeParen = text.indexOf(')', urlStart + scheme);
      if (closeParen === -1) break; // no `)` anywhere after: no link can close
      if (closeParen > urlStart + scheme) {
        out += text.slice(copied, open) + `${text.slice(open + 1, end)} <${text.slice(urlStart, closeParen)}>`;
        copied = closeParen + 1;
        open = text.indexOf('[', copied);
        continue;
      }
    }
    open = text.indexOf('[', end + 1);
  }
  return out + text.slice(copied);
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
