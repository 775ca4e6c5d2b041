/** Discord markdown for Verbatim's pieces: escaped quotes with bold matches, references. */
import { isMarkdown } from '../library/documents.ts';
import { clip } from './limits.ts';

/**
 * Escapes everything the user or the corpus wrote, then bolds the matched words. Cutting
 * happens before formatting so markup is never split.
 */
export function formatQuote(quote: string, highlights: ReadonlyArray<readonly [number, number]>, maxChars: number): string {
  const text = clip(quote, maxChars);
  let out = '';
  let at = 0;
  for (const [start, end] of highlights) {
    if (end > text.length || start < at) continue; // a highlight cut off by `clip`
    out += escapeText(text.slice(at, start)) + '**' + escapeText(text.slice(start, end)) + '**';
    at = end;
  }
  return out + escapeText(text.slice(at));
}

/**
 * Every character Discord's Markdown gives a meaning to gets a backslash (Discord shows
 * `\x` as `x` for any punctuation x), in one pass: discord.js's `escapeMarkdown` runs a
 * dozen regexes and was the costliest step of rendering an answer under load.
 * `<` stops mentions, channels and timestamps from rendering; `#`, `-`, `>` and `1.`
 * cannot start a heading, list or quote; links lose their `://` so they never embed.
 */
const MARKDOWN_CHARS = /[\\*_~`|[\]()<>#-]|\.(?<=^\d+\.)/gm;

export function escapeText(text: string): string {
  return text.replace(MARKDOWN_CHARS, '\\$&').replace(/(https?):\/\//g, '$1:\u200b//');
}

/**
 * A code quote as a code block in its language: the lines as they are (never escaped: a
 * code block shows them literally), any ``` inside broken up so the block cannot be closed
 * early, cut at a whole line to fit `maxChars`. `shown` is how many lines it holds.
 */
export function formatCode(code: string, lang: string, maxChars: number): { block: string; shown: number } {
  const info = /^[\w+#.-]{1,20}$/u.test(lang) ? lang : '';
  const lines = code.split('\n');
  let body = '';
  let shown = 0;
  const room = maxChars - info.length - 8;
  for (const line of lines) {
    const text = line.replace(/\r$/u, '').replace(/`(?=``)/gu, '`\u200b');
    if (body.length + text.length + 1 > room) {
      if (shown === 0) {
        body = clip(text, Math.max(1, room - 1)) + '\n';
        shown = 1;
      }
      break;
    }
    body += text + '\n';
    shown++;
  }
  return { block: '```' + info + '\n' + body + '```', shown };
}

/** `source › Section · L12–14` (or `L12` for one line). */
function referenceLabel(source: string, lines: readonly [number, number], section?: string): string {
  return `${source}${section ? ` › ${section}` : ''} · ${rangeLabel(lines)}`;
}

function rangeLabel(lines: readonly [number, number]): string {
  return lines[0] === lines[1] ? `L${lines[0]}` : `L${lines[0]}–${lines[1]}`;
}

/**
 * One path segment for a link: `encodeURIComponent`, plus the characters it leaves alone
 * that end or confuse a Markdown link target (`(`, `)`) or that some renderers treat
 * specially (`!`, `*`, `'`).
 */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[()!*']/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * The reference, as a link to `${base}/${source}#L12-L14` when a base URL is set. The
 * label is escaped once (`escapeText` covers `[`, `]`, `(`, `)`); the URL is encoded, so
 * neither can end the link early whatever the file is called.
 */
export function formatReference(source: string, lines: readonly [number, number], sourceBaseUrl?: string, section?: string): string {
  return linked(escapeText(referenceLabel(source, lines, section)), source, lines, sourceBaseUrl);
}

/** More lines of a file just cited: `L19–21`, linked as `formatReference` links. */
export function formatLinesReference(source: string, lines: readonly [number, number], sourceBaseUrl?: string): string {
  return linked(rangeLabel(lines), source, lines, sourceBaseUrl);
}

function linked(label: string, source: string, lines: readonly [number, number], sourceBaseUrl: string | undefined): string {
  if (!sourceBaseUrl) return label;
  const path = source.split('/').map(encodePathSegment).join('/');
  const anchor = lines[0] === lines[1] ? `#L${lines[0]}` : `#L${lines[0]}-L${lines[1]}`;
  // GitHub shows Markdown rendered, where line anchors do nothing; `?plain=1` shows its lines.
  const plain = isMarkdown(source) && /^https:\/\/github\.com\//u.test(sourceBaseUrl) ? '?plain=1' : '';
  return `[${label}](${sourceBaseUrl}/${path}${plain}${anchor})`;
}
