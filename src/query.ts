/**
 * Query syntax: plain words; `"exact phrase"` (the passage must contain it); `-word` to
 * exclude passages containing the word; `file:NAME` to restrict to one source.
 */
import type { Analyzer } from './analyzer.ts';

export const MAX_QUESTION_CHARS = 1000;

export interface ParsedQuery {
  /** The question as typed (trimmed). */
  text: string;
  /** Analyzed terms to rank by (free words and phrase words). */
  terms: string[];
  /** Each phrase as normalized words (no stemming, stopwords kept). */
  phrases: string[][];
  /** Terms whose passages are excluded. */
  excluded: string[];
  /** `file:` value, as typed. */
  file?: string;
}

/** A question we cannot search, with a message fit to show the user. */
export class QueryError extends Error {
  override name = 'QueryError';
}

const TOKEN = /"([^"]*)"?|(\S+)/g;

export function parseQuery(input: string, analyzer: Analyzer): ParsedQuery {
  const text = input.replace(/\s+/gu, ' ').trim();
  if (!text) throw new QueryError('The question is empty.');
  if (text.length > MAX_QUESTION_CHARS) {
    throw new QueryError(`The question is too long (${text.length} characters; the limit is ${MAX_QUESTION_CHARS}).`);
  }
  const free: string[] = [];
  const phrases: string[][] = [];
  const excluded: string[] = [];
  let file: string | undefined;

  for (const match of text.matchAll(TOKEN)) {
    const [, phrase, word] = match;
    if (phrase !== undefined) {
      const words = analyzer.words(phrase);
      if (words.length) phrases.push(words);
      free.push(phrase);
    } else if (word!.startsWith('-') && word!.length > 1) {
      excluded.push(...analyzer.terms(word!.slice(1)));
    } else if (/^file:./i.test(word!)) {
      file = word!.slice(5);
    } else {
      free.push(word!);
    }
  }
  const terms = analyzer.terms(free.join(' '));
  if (terms.length === 0 && phrases.length === 0) {
    throw new QueryError(
      /[\p{L}\p{N}]/u.test(text)
        ? 'The question has no searchable words (only very common words like "the" or "what").'
        : 'The question has no words to search for.',
    );
  }
  return { text, terms, phrases, excluded, ...(file ? { file } : {}) };
}
