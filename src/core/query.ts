/**
 * Query syntax: plain words; `"exact phrase"` or `“exact phrase”` (the passage, or a heading it
 * stands under, must contain it; `ask` searches its words when none does); `-word` to exclude
 * passages containing the word; `file:NAME` to restrict to one source. What a developer pastes
 * is searched as words, never read as syntax: a command-line option (`--inspect-brk`, `-g`), a
 * negative number (`-1`) and a `file:///…` URL of a stack trace; a stack trace's frames and an
 * error's IDs are not searched at all (`paste.ts`).
 */
import type { Analyzer } from './analyzer.ts';
import { VerbatimError } from './errors.ts';
import { withoutFraming } from './framing.ts';
import { MAX_EXCLUDED, MAX_PASTE_CHARS, MAX_PHRASES, MAX_QUESTION_CHARS } from './options.ts';
import { isIdValue, withoutStackFrames } from './paste.ts';


export interface ParsedQuery {
  /** The question as typed (trimmed). */
  text: string;
  /**
   * Distinct analyzed terms to rank by (free words and phrase words), in order of first
   * appearance. Repeats are folded here, so a question's cost depends on its distinct
   * terms, never on its length.
   */
  terms: string[];
  /** How often each term occurs in the question (BM25's query term frequency). */
  termFrequency: ReadonlyMap<string, number>;
  /** Each distinct phrase as normalized words (no stemming, stopwords kept). */
  phrases: string[][];
  /**
   * The words searched, in order: the question without `-excluded` words, `file:` and the
   * frame around it in a help channel ("hi guys, anyone know…", `framing.ts`).
   */
  free: string;
  /** Distinct terms whose passages are excluded. */
  excluded: string[];
  /** `file:` value, as typed. */
  file?: string;
}

/** A question we cannot search, with a message fit to show the user. */
export class QueryError extends VerbatimError {
  override name = 'QueryError';
}

/**
 * A `"phrase"` (to its closing quote, or the end) or a word. Curly quotes open and close a phrase
 * too: iOS types “these” for "these" (Smart Punctuation is on by default), and Discord is used
 * from phones as much as from desktops.
 */
const TOKEN = /["\u201c]([^"\u201c\u201d]*)["\u201d]?|(\S+)/gu;

/**
 * `-word`: one hyphen, then two letters or more. Excluding the words of a pasted option (`vitest
 * --inspect-brk`, `npm i -g`) or number (`returns -1`) would hide the passages that explain it.
 */
function isExclusion(word: string): boolean {
  return word.length > 2 && word[0] === '-' && /^\p{L}{2}/u.test(word.slice(1, 3));
}

export function parseQuery(input: string, analyzer: Analyzer): ParsedQuery {
  const text = input.replace(/\s+/gu, ' ').trim();
  if (!text) throw new QueryError('The question is empty.');
  // A pasted stack trace's frames are not searched (`paste.ts`), nor counted against the
  // limit: an error with ten frames runs past it. Its paste still has a bound.
  const tooLong = (length: number, besides: string) => new QueryError(`The question is too long (${length} characters${besides}; the limit is ${MAX_QUESTION_CHARS}).`);
  if (text.length > MAX_PASTE_CHARS) throw tooLong(text.length, '');
  const searched = withoutStackFrames(text.split(' ')).join(' ');
  if (searched.length > MAX_QUESTION_CHARS) throw tooLong(searched.length, searched.length < text.length ? ' besides its stack trace' : '');
  const free: string[] = [];
  const quoted = new Set<number>(); // indexes in `free` of phrases, never a frame
  const phrases = new Map<string, string[]>();
  const excluded = new Set<string>();
  let file: string | undefined;

  for (const match of searched.matchAll(TOKEN)) {
    const [, phrase, word] = match;
    if (phrase !== undefined) {
      const words = analyzer.words(phrase);
      if (words.length) phrases.set(words.join(' '), words);
      quoted.add(free.length);
      free.push(phrase);
    } else if (isExclusion(word!)) {
      for (const term of analyzer.terms(word!.slice(1))) excluded.add(term);
    } else if (/^file:[^/]/i.test(word!)) {
      file = word!.slice(5);
    } else {
      free.push(word!);
    }
  }
  if (phrases.size > MAX_PHRASES) throw new QueryError(`The question has ${phrases.size} "phrases"; at most ${MAX_PHRASES} can be searched at once.`);
  if (excluded.size > MAX_EXCLUDED) throw new QueryError(`The question excludes ${excluded.size} words; at most ${MAX_EXCLUDED} can be excluded at once.`);
  const freeText = withoutFraming(free, (i) => quoted.has(i)).join(' ');
  const termFrequency = new Map<string, number>();
  for (const term of analyzer.terms(freeText)) if (!isIdValue(term)) termFrequency.set(term, (termFrequency.get(term) ?? 0) + 1);
  const terms = [...termFrequency.keys()];
  if (terms.length === 0 && phrases.size === 0) {
    throw new QueryError(
      /[\p{L}\p{N}]/u.test(text)
        ? 'The question has no searchable words (only very common words like "the" or "what").'
        : 'The question has no words to search for.',
    );
  }
  return { text, terms, termFrequency, phrases: [...phrases.values()], free: freeText, excluded: [...excluded], ...(file ? { file } : {}) };
}
