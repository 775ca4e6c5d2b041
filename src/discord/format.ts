/** Discord markdown for Verbatim's pieces: escaped quotes with bold matches, references. */
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

/** `source · L12–14` (or `L12` for one line). */
function referenceLabel(source: string, lines: readonly [number, number]): string {
  const range = lines[0] === lines[1] ? `L${lines[0]}` : `L${lines[0]}–${lines[1]}`;
  return `${source} · ${range}`;
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
export function formatReference(source: string, lines: readonly [number, number], sourceBaseUrl?: string): string {
  const label = escapeText(referenceLabel(source, lines));
  if (!sourceBaseUrl) return label;
  const path = source.split('/').map(encodePathSegment).join('/');
  const anchor = lines[0] === lines[1] ? `#L${lines[0]}` : `#L${lines[0]}-L${lines[1]}`;
  return `[${label}](${sourceBaseUrl}/${path}${anchor})`;
}
