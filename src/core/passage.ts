/** The values that flow through the core: where text is, and the passages cut from it. */

/** Between the levels of a section path (`Installation › Using npm`). */
export const SECTION_SEPARATOR = ' › ';

/** A place in the corpus: a file and a 1-based inclusive line range. */
export interface Location {
  /** Path relative to the corpus folder, `/` separators. */
  source: string;
  lines: [number, number];
  /** Markdown: the heading path above these lines (`Installation › Using npm`). */
  section?: string;
}

/** An indexed passage. Duplicate texts are indexed once; their other places are in `also`. */
export interface Passage extends Location {
  id: number;
  /** Exact text of `source` at `lines`. */
  text: string;
  /** Title of the document the passage comes from. */
  title: string;
  /** Other places where exactly this text (after whitespace folding) appears. */
  also: Location[];
  /** Markdown: the passage is code, in this language (`''` when the fence names none). */
  code?: string;
  /** Markdown: the passage is rows of a table, whose header row is this line of the file. */
  tableHeader?: TableHeader;
  /** Markdown: inline HTML in `text`, as `[start, end, …]` offsets, not analyzed (see `analyzedText`). */
  markup?: Markup;
}

/** Ranges of a passage's text that are markup, `[start, end, …]` UTF-16 offsets (a segment holds them as a `Uint32Array`). */
export type Markup = ArrayLike<number>;

/** A table's header row: its line and its exact text, shown above a quote of rows below it. */
export interface TableHeader {
  line: number;
  text: string;
}

/** A file as the index knows it: identity for change detection, and its passages. */
export interface FileRecord {
  source: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  title: string;
  /** Passages in file order; `id` is the indexed passage (shared by duplicates). */
  chunks: Array<{ id: number; lines: [number, number]; text: string; section?: string; code?: { lang: string }; tableHeader?: TableHeader; markup?: Markup }>;
}

/**
 * The text the analyzer reads: `text` with its `markup` ranges (inline HTML tags, say
 * `<DocsLink path="Client:Class"/>` less its quoted value) turned to spaces, so offsets into
 * it are offsets into the text. Indexing, deletion, phrases, quotes and feedback all read
 * this, never `text` itself, so the terms of a passage are the same wherever they are counted.
 */
export function analyzedText(text: string, markup: Markup | undefined): string {
  if (!markup || markup.length === 0) return text;
  let out = '';
  let at = 0;
  for (let i = 0; i + 1 < markup.length; i += 2) {
    const start = Math.max(at, markup[i]!);
    const end = Math.min(text.length, markup[i + 1]!);
    if (end <= start) continue;
    out += text.slice(at, start) + ' '.repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}
