/**
 * A corpus file → its passages, by type: Markdown (`.md`, `.mdx`, `.markdown`) by its
 * structure (`markdown.ts`), anything else by paragraphs (`chunk.ts`).
 */
import { chunkDocument, type ChunkedDocument } from '../core/chunk.ts';
import { DEFAULT_MAX_PASSAGE_CHARS } from '../core/options.ts';
import { chunkMarkdown } from '../core/markdown.ts';

const MARKDOWN = /\.(?:md|mdx|markdown)$/iu;

export function isMarkdown(source: string): boolean {
  return MARKDOWN.test(source);
}

export function chunkFile(source: string, text: string, maxChars = DEFAULT_MAX_PASSAGE_CHARS): ChunkedDocument {
  const markdown = isMarkdown(source);
  return markdown && markdownIsTractable(text) ? chunkMarkdown(text, source, maxChars) : chunkDocument(text, { maxChars, markdown });
}

/** A GFM table's delimiter row: only `|`, `-`, `:` and blanks, with a `|` and a `-`. */
function isDelimiterRow(text: string, from: number, to: number): boolean {
  let pipe = false;
  let dash = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7c) pipe = true;
    else if (c === 0x2d) dash = true;
    else if (c !== 0x3a && c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return pipe && dash;
}

/** The cells of a table row: its unescaped `|`s, less a leading and a trailing one, plus one. */
function cellCount(text: string, from: number, to: number): number {
  let start = from;
  let end = to;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  if (text.charCodeAt(start) === 0x7c) start++;
  if (end > start && text.charCodeAt(end - 1) === 0x7c && text.charCodeAt(end - 2) !== 0x5c) end--;
  let cells = 1;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0x7c && text.charCodeAt(i - 1) !== 0x5c) cells++;
  return cells;
}

/**
 * The width of the list marker that opens a non-empty item at `at` — `-`, `*` or `+`, or
 * `1.`/`1)`, then a space or tab, then text — with that space; 0 when the line opens none.
 */
function itemMarker(text: string, at: number, lineEnd: number): number {
  const c = text.charCodeAt(at);
  const width = c === 0x2d || c === 0x2a || c === 0x2b ? 1 : c === 0x31 && (text[at + 1] === '.' || text[at + 1] === ')') ? 2 : 0;
  if (width === 0 || (text[at + width] !== ' ' && text[at + width] !== '\t')) return 0;
  for (let i = at + width + 1; i < lineEnd; i++) if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\r') return width + 1;
  return 0;
}

/** Markdown larger than this is cut by paragraphs (its parse would take minutes). */
const MARKDOWN_MAX_CHARS = 1024 * 1024;
/** Nesting deeper than this (block quotes, or indentation in columns) is not real documentation. */
const MAX_QUOTE_DEPTH = 32;
const MAX_INDENT_COLUMNS = 256;
/** Emphasis and link delimiters in one block of prose, beyond which inline parsing turns quadratic. */
const MAX_DELIMITERS_PER_BLOCK = 1000;

/**
 * Whether the Markdown parser can be trusted with this text in reasonable time. micromark's
 * block and inline parsing is superlinear on some inputs no documentation has — measured:
 * 1,000 nested list levels took 24 s, 50,000 nested quotes overflowed the stack, 100 KB of
 * `*a*a…` took 49 s — so such a file is cut by paragraphs instead (its passages are still
 * exact, it only loses sections and code marks). One linear pass over the lines.
 */
export function markdownIsTractable(text: string): boolean {
  if (text.length > MARKDOWN_MAX_CHARS) return false;
  let inFence = false;
  let delimiters = 0;
  let itemColumn = 0;
  let inTable = false;
  let previous: [number, number] | undefined; // the last non-blank line, for a table's header row
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    // Container prefix: spaces, tabs and `>` (list markers count as indentation below).
    let quotes = 0;
    let columns = 0;
    let at = lineStart;
    for (; at < lineEnd; at++) {
      const c = text.charCodeAt(at);
      if (c === 0x3e) quotes++;
      else if (c === 0x20) columns++;
      else if (c === 0x09) columns += 4;
      else break;
    }
    if (quotes > MAX_QUOTE_DEPTH || columns > MAX_INDENT_COLUMNS) return false;
    const fence = text.startsWith('```', at) || text.startsWith('~~~', at);
    if (fence) inFence = !inFence;
    // A blank line ends the block, and so does a list item: each item's text is parsed on its own
    // (a long tight list of links is not one block). What may be a paragraph's text instead does
    // not count as an item: an empty one, a number other than 1, four columns deeper than the
    // item it would nest in (`itemColumn`: where the last item's text starts, 0 when none is open).
    const marker = at < lineEnd ? itemMarker(text, at, lineEnd) : 0;
    if (at === lineEnd) delimiters = 0;
    else if (marker > 0 && columns < itemColumn + 4) {
      delimiters = 0;
      itemColumn = columns + marker;
    } else if (columns < itemColumn) itemColumn = 0;
    // So does a table row: a table's cells are parsed one by one. A table is a header row and
    // a delimiter row with as many cells; it goes on while rows start with `|`.
    if (inTable && !(at < lineEnd && text.charCodeAt(at) === 0x7c)) inTable = false;
    if (!inTable && !inFence && previous && isDelimiterRow(text, at, lineEnd) && cellCount(text, previous[0], previous[1]) === cellCount(text, at, lineEnd)) inTable = true;
    if (inTable) delimiters = 0;
    previous = at < lineEnd ? [at, lineEnd] : undefined;
    if (at < lineEnd && !inFence && !fence) {
      for (let i = at; i < lineEnd; i++) {
        const c = text.charCodeAt(i);
        // * _ [ ] ` ~ ! <
        if (c === 0x2a || c === 0x5f || c === 0x5b || c === 0x5d || c === 0x60 || c === 0x7e || c === 0x21 || c === 0x3c) delimiters++;
      }
      if (delimiters > MAX_DELIMITERS_PER_BLOCK) return false;
    }
    lineStart = lineEnd + 1;
  }
  return true;
}
