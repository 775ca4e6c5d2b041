/**
 * Document → passages. A passage is a paragraph (a run of non-blank lines); a paragraph
 * longer than `maxChars` is split into windows of whole sentences. Every passage's text is
 * the exact slice of the document at its line range, so quotes are verbatim by construction.
 */
import type { TableHeader } from './passage.ts';
import { lineAt, lineStarts, sentenceRanges } from './text.ts';
import { DEFAULT_MAX_PASSAGE_CHARS } from './options.ts';

/** One passage of one file, before deduplication. */
export interface Chunk {
  /** Exact text of the document at `lines` (leading/trailing whitespace trimmed). */
  text: string;
  /** 1-based inclusive `[start, end]` line range. */
  lines: [number, number];
  /** Markdown: the heading path above the passage (`Installation › Using npm`). */
  section?: string;
  /** Markdown: the passage is code (from a fenced or indented block), in this language (`''` unknown). */
  code?: { lang: string };
  /** Markdown: the passage is rows of a table with this header row (shown above quotes that leave it out). */
  tableHeader?: TableHeader;
  /** Markdown: inline HTML tags in `text`, `[start, end, …]` offsets, not indexed (`analyzedText`). */
  markup?: number[];
}

export interface ChunkedDocument {
  /** First Markdown `#` heading, else the first non-empty line (whitespace folded). */
  title: string;
  chunks: Chunk[];
}

export interface ChunkOptions {
  /** Paragraphs longer than this (UTF-16 units) are split into sentence windows. Default 700. */
  maxChars?: number;
  /** Treat the text as Markdown (title from the first `#` heading). Default: false. */
  markdown?: boolean;
}

/**
 * Bump whenever `chunkDocument` can cut a file differently or a passage carries something
 * new (4: a table piece's header row; 5: neighbouring Markdown paragraphs of a section merged
 * while they fit; 6: inline HTML kept out of analysis, `markup`; 7: fences inside lists and
 * quotes without their fence lines, Python-Markdown and MyST blocks; 8: headings without attribute
 * lists; 9: TOML front matter; 10: Liquid, shortcode and TOC marker lines; 11: a code block's language
 * without `:no-line-numbers`, `{4}`; 12: marker lines at any indentation, as nested blocks have them;
 * 13: HTML blocks' visible text, attribute values kept only when shown; 14: `.mdx` parsed as MDX; 15: an
 * HTML block cut at its comments; 16: a run of prose in a list
 * ends at what ends one outside it — code in a nested item, container markers — and mdBook's
 * `{{#include …}}` lines are not text; 17: a `.md` file's `import`/`export` statements, as
 * Docusaurus compiles `.md` as MDX; 18: a file
 * that starts with a byte order mark is cut where it is without one; 19: react.dev's
 * heading ids left out of sections; 20: the heading that names a page, and what is a section; 21: attribute-list lines and
 * MyST options are not text, long tables are parsed as Markdown; 22: template syntax
 * inside lines and HTML character references are markup; 23: lists of links to
 * other pages are navigation, Nextra's heading ids; 24: code in Hugo's and Jekyll's
 * template tags; 25: MyST targets, code-directive options, toctrees and includes;
 * 26: Liquid in HTML blocks is markup, a closing `:::` under a table is not a row; 27: titled
 * blocks' titles in the section path, and no run of prose across a titled block's edge; 28: an
 * HTML block that is one heading element is no passage; 29: nor is a widget, all its text in nested components; 30: a passage on a block quote's later line
 * starts past its markers, and code shares a passage only with the same exact text; 31: heading ids with
 * dots and other punctuation, `{#vue.js-privacy-policy}`); 32: a `:::` line inside a paragraph
 * (no blank line around it) cuts it; 33: a list whose last item ends in a colon runs on into the paragraph
 * it introduces; 34: include lines (`--8<-- "app.py"`, `{! file.md !}`, FastAPI's `{* app.py *}`) are
 * not text, nor nested PyMdown blocks' `//// tab | pip`: the persisted index records it.
 */
export const CHUNKER_VERSION = 34;
const TITLE_MAX_CHARS = 200;
const BLANK_LINE = /^\s*$/u;

export function chunkDocument(text: string, options: ChunkOptions = {}): ChunkedDocument {
  const maxChars = options.maxChars ?? DEFAULT_MAX_PASSAGE_CHARS;
  const starts = lineStarts(text);
  const lines = starts.map((start, i) => text.slice(start, i + 1 < starts.length ? starts[i + 1]! - 1 : text.length));
  const chunks: Chunk[] = [];

  let blockStart = -1;
  for (let i = 0; i <= lines.length; i++) {
    const blank = i === lines.length || BLANK_LINE.test(lines[i]!);
    if (!blank && blockStart === -1) blockStart = i;
    if (blank && blockStart !== -1) {
      const from = starts[blockStart]!;
      const to = starts[i - 1]! + lines[i - 1]!.length;
      addBlock(text, from, to, starts, maxChars, chunks);
      blockStart = -1;
    }
  }
  return { title: findTitle(lines, options.markdown ?? false), chunks };
}

/**
 * Adds the prose between offsets `from` and `to` as one passage, or as windows of whole sentences
 * when long. `quoteMarkers` (Markdown): a window starting on a block quote's line starts past its markers.
 */
export function addBlock(text: string, from: number, to: number, starts: number[], maxChars: number, out: Chunk[], quoteMarkers = false): void {
  const block = trimRange(text, from, to);
  if (!block) return;
  if (block[1] - block[0] <= maxChars) {
    out.push(toChunk(text, block, starts));
    return;
  }
  // Too long: each line is a unit (files without blank lines put one paragraph per line),
  // a line that is itself too long becomes windows of whole sentences, and then adjacent
  // units are merged while they fit.
  const units: Array<[number, number]> = [];
  for (let lineStart = block[0]; lineStart < block[1]; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > block[1]) lineEnd = block[1];
    const line = trimRange(text, quoteMarkers ? afterQuoteMarkers(text, lineStart, lineEnd) : lineStart, lineEnd);
    if (line && line[1] - line[0] <= maxChars) units.push(line);
    else if (line) {
      // A loop, not `push(...windows)`: a 64 MB line is ~100,000 windows, near the limit on arguments.
      for (const window of sentenceWindows(sentenceRanges(text, line[0], line[1]).flatMap((r) => splitAtWords(text, r, maxChars)), maxChars)) units.push(window);
    }
    lineStart = lineEnd + 1;
  }
  for (const window of sentenceWindows(units, maxChars)) out.push(toChunk(text, window, starts));
}

/**
 * A "sentence" longer than twice the passage size (a list without punctuation, a table, a
 * minified blob) is cut at spaces into pieces of at most `maxChars`, so no passage is huge.
 */
function splitAtWords(text: string, [start, end]: [number, number], maxChars: number): Array<[number, number]> {
  if (end - start <= 2 * maxChars) return [[start, end]];
  const pieces: Array<[number, number]> = [];
  let at = start;
  while (end - at > maxChars) {
    // The last space within this piece, searched in a slice of it (O(1) in V8): `lastIndexOf`
    // on the whole text scans back to the start of a line that has no spaces, for every piece.
    const space = text.slice(at, at + maxChars + 1).lastIndexOf(' ');
    const cut = space > 0 ? at + space : at + maxChars; // no space: one enormous word, cut inside it
    pieces.push([at, cut]);
    at = cut;
    while (at < end && /\s/u.test(text[at]!)) at++;
  }
  if (at < end) pieces.push([at, end]);
  return pieces;
}

/** Greedy merge of adjacent ranges while the merged span fits in `maxChars`. */
function sentenceWindows(ranges: Array<[number, number]>, maxChars: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  let current: [number, number] | undefined;
  for (const range of ranges) {
    if (current && range[1] - current[0] <= maxChars) current = [current[0], range[1]];
    else {
      if (current) windows.push(current);
      current = [range[0], range[1]];
    }
  }
  if (current) windows.push(current);
  return windows;
}

export function trimRange(text: string, start: number, end: number): [number, number] | undefined {
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return end > start ? [start, end] : undefined;
}

/**
 * `start` past the block quote markers (`> `, `> > `) and the whitespace that open a line there:
 * a block quote's later line, where a passage starts when a marker line above it is left out
 * (GitHub's `> [!NOTE]`) or a long quoted paragraph is cut. They are the quote's frame, not its text.
 */
export function afterQuoteMarkers(text: string, start: number, end: number): number {
  let at = start;
  while (at < end && (text[at] === '>' || text[at] === ' ' || text[at] === '\t')) at++;
  return at > start && text.slice(start, at).includes('>') ? at : start;
}

export function toChunk(text: string, [start, end]: [number, number], starts: number[]): Chunk {
  return { text: text.slice(start, end), lines: [lineAt(starts, start), lineAt(starts, end - 1)] };
}

function findTitle(lines: string[], markdown: boolean): string {
  if (markdown) {
    for (const line of lines) {
      const heading = headingText(line);
      if (heading !== undefined) return clip(heading);
    }
  }
  const first = lines.find((line) => !BLANK_LINE.test(line));
  return first ? clip(first) : '';
}

const WHITESPACE = /\s/u;
/** What `.` does not match: the text of a heading never spans them. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/u;

/**
 * The text of an ATX heading (`## Title ##`), as `/^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/u` would
 * capture it, or undefined when the line is not one. Parsed by hand: that regex is cubic on
 * a heading with a long run of spaces inside (`# a` + 50,000 spaces + `a` never finished).
 */
export function headingText(line: string): string | undefined {
  let at = 0;
  while (at < line.length && WHITESPACE.test(line[at]!)) at++;
  if (at > 3) return undefined;
  const hashes = at;
  while (at < line.length && line[at] === '#') at++;
  if (at === hashes || at - hashes > 6) return undefined;
  const spaces = at;
  while (at < line.length && WHITESPACE.test(line[at]!)) at++;
  if (at === spaces) return undefined;
  if (at === line.length) {
    // Only whitespace after the `#`s: the regex still matches, capturing the last whitespace
    // character that is not a line terminator (`\s+` keeps at least one before it).
    for (let i = line.length - 1; i > spaces; i--) if (!LINE_TERMINATOR.test(line[i]!)) return line[i]!;
    return undefined;
  }
  // The closing sequence: trailing whitespace, then `#`s, then whitespace (the longest such suffix).
  let end = line.length;
  while (end > at && WHITESPACE.test(line[end - 1]!)) end--;
  while (end > at && line[end - 1] === '#') end--;
  while (end > at && WHITESPACE.test(line[end - 1]!)) end--;
  // `(.+?)` takes at least one character and never crosses a line terminator.
  const text = line.slice(at, Math.max(end, at + 1));
  return LINE_TERMINATOR.test(text) ? undefined : text;
}

/** `title` with whitespace folded, cut to `max` characters with `…` when longer. */
export function clip(title: string, max = TITLE_MAX_CHARS): string {
  const folded = title.replace(/\s+/gu, ' ').trim();
  return folded.length > max ? folded.slice(0, max - 1) + '…' : folded;
}
