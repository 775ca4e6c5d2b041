/**
 * A corpus file → its passages, by type: Markdown (`.md`, `.mdx`, `.markdown`) by its
 * structure (`markdown.ts`), anything else by paragraphs (`chunk.ts`).
 */
import { chunkDocument, DEFAULT_MAX_PASSAGE_CHARS, type ChunkedDocument } from './chunk.ts';
import { chunkMarkdown } from './markdown.ts';

const MARKDOWN = /\.(?:md|mdx|markdown)$/iu;

export function isMarkdown(source: string): boolean {
  return MARKDOWN.test(source);
}

export function chunkFile(source: string, text: string, maxChars = DEFAULT_MAX_PASSAGE_CHARS): ChunkedDocument {
  return isMarkdown(source) ? chunkMarkdown(text, source, maxChars) : chunkDocument(text, { maxChars });
}
