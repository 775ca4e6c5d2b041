/** The values that flow through the core: where text is, and the passages cut from it. */

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
}

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
  chunks: Array<{ id: number; lines: [number, number]; text: string; section?: string; code?: { lang: string }; tableHeader?: TableHeader }>;
}
