/**
 * The analysis chain, used at index time and at query time so the two can never drift:
 *
 *   tokenize (Unicode words, NBSP is a space) → normalize (case, diacritics, possessives,
 *   apostrophes, dotted acronyms) → drop stopwords → stem (Porter, `stemmer` package).
 *
 * Bump `ANALYZER_VERSION` whenever the output of `terms()` can change: the persisted index
 * records it, and a mismatch forces a rebuild.
 */
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

export const ANALYZER_VERSION = 2;

/**
 * A word: letters/digits, optionally joined by inner apostrophes (`Putin's`, `can't`), or a
 * dotted acronym (`U.S.`). Anything else — spaces of every kind (NBSP included), hyphens,
 * punctuation — separates words. Combining marks (`o` + U+0301 typed in NFD) and
 * default-ignorable code points (zero-width space and joiners, soft hyphen) continue a word
 * instead of splitting it; `normalizeWord` then drops or folds them. The classes inside a
 * word never contain the apostrophes, so the pattern cannot match one word two ways.
 */
const WORD =
  /(?:\p{L}\.){2,}|[\p{L}\p{N}][\p{L}\p{N}\p{M}\p{Default_Ignorable_Code_Point}]*(?:['’ʼ][\p{L}\p{N}][\p{L}\p{N}\p{M}\p{Default_Ignorable_Code_Point}]*)*/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}+/gu;
const POSSESSIVE = /['’ʼ]s$/;
const APOSTROPHES_AND_DOTS = /['’ʼ.]/g;

/**
 * `WORD` restricted to ASCII, for the hand scanner: there `\p{L}` is [A-Za-z], `\p{N}` is
 * [0-9], `\p{M}` and default-ignorables match nothing, and `'` is the only apostrophe.
 */
const ASCII_DIGIT = 1;
const ASCII_LETTER = 2;
const ASCII_KIND = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) ASCII_KIND[c] = ASCII_DIGIT;
for (let c = 0x41; c <= 0x5a; c++) ASCII_KIND[c] = ASCII_KIND[c + 0x20] = ASCII_LETTER;
const DOT = 0x2e;
const APOSTROPHE = 0x27;

/**
 * Words that carry no topic in a question. The `stopword` package's English list plus the
 * question and negation words it lacks (users ask questions; documents rarely contain
 * "why does").
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...englishStopwords,
  'when', 'why', 'whom', 'whose', 'does', 'doing', 'done', 'not', 'no', 'nor', 'yes',
  'its', 'it', 'isnt', 'dont', 'doesnt', 'didnt', 'wasnt', 'werent', 'arent',
]);

const TERM_CACHE_MAX = 200_000;

/** A term with the character range of the word it came from, for highlighting. */
export interface Token {
  term: string;
  start: number;
  end: number;
}

export interface AnalyzerOptions {
  /** Words to drop after normalization. Default: `STOPWORDS`. Example: `new Set(['the'])`. */
  stopwords?: ReadonlySet<string>;
  /** Apply the Porter stemmer. Default `true`. Example: `false` for exact-form matching. */
  stem?: boolean;
}

export class Analyzer {
  readonly stopwords: ReadonlySet<string>;
  readonly stem: boolean;
  /**
   * Stemming is the costly step and vocabularies are small next to token counts. Bounded:
   * a long-running bot sees every word anyone types, and a cache must not grow with it.
   */
  private readonly termCache = new Map<string, string>();

  constructor(options: AnalyzerOptions = {}) {
    this.stopwords = options.stopwords ?? STOPWORDS;
    this.stem = options.stem ?? true;
  }

  /** Index/query terms of a text, in order, repeats kept (term frequency matters). */
  terms(text: string): string[] {
    const out: string[] = [];
    this.scanWords(text, (word) => {
      const term = this.term(word);
      if (term) out.push(term);
    });
    return out;
  }

  /** Like `terms`, with each term's character range in `text`. */
  tokens(text: string): Token[] {
    const out: Token[] = [];
    this.scanWords(text, (word, start, end) => {
      const term = this.term(word);
      if (term) out.push({ term, start, end });
    });
    return out;
  }

  /** Normalized words without stopword removal or stemming (for exact phrases). */
  words(text: string): string[] {
    const out: string[] = [];
    this.scanWords(text, (word) => {
      const normal = normalizeWord(word);
      if (normal) out.push(normal);
    });
    return out;
  }

  /**
   * Reports each raw word of `text` with its range: exactly the matches of `WORD`, in order.
   * Most corpus text is pure ASCII, where a char-code scanner is about twice as fast as the
   * Unicode regex; any other text goes through the regex itself.
   */
  scanWords(text: string, onWord: (word: string, start: number, end: number) => void): void {
    if (!NON_ASCII.test(text)) {
      scanAsciiWords(text, onWord);
      return;
    }
    // matchAll iterates a copy of the shared global regex: its lastIndex is never touched,
    // so a re-entrant onWord is safe.
    for (const match of text.matchAll(WORD)) onWord(match[0], match.index, match.index + match[0].length);
  }

  /** The term for one raw word, or `''` when it is a stopword. */
  term(word: string): string {
    const cached = this.termCache.get(word);
    if (cached !== undefined) return cached;
    const normal = normalizeWord(word);
    let term = '';
    if (normal && !this.stopwords.has(normal)) term = this.stem ? stemmer(normal) : normal;
    if (this.termCache.size >= TERM_CACHE_MAX) this.termCache.clear();
    this.termCache.set(word, term);
    return term;
  }
}

/**
 * `WORD` over pure-ASCII text. Same alternation order as the regex: at each position a dotted
 * acronym (two or more letter+dot pairs, greedy) wins, else a word (a letter/digit run,
 * extended across each `'` that a letter or digit follows). Neither alternative can start on
 * any other character, so skipping it is the regex's failed attempt there.
 */
function scanAsciiWords(text: string, onWord: (word: string, start: number, end: number) => void): void {
  const length = text.length;
  let start = 0;
  while (start < length) {
    if (ASCII_KIND[text.charCodeAt(start)] === 0) {
      start++;
      continue;
    }
    const end = asciiWordEnd(text, start);
    onWord(text.slice(start, end), start, end);
    start = end;
  }
}

/** True when `text` is pure ASCII (where `asciiWordEnd` applies). */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** In pure-ASCII text: whether a word can start with this character code. */
export function startsAsciiWord(code: number): boolean {
  return ASCII_KIND[code] !== 0;
}

/**
 * In pure-ASCII text, the end of the word that starts at `start` (where `startsAsciiWord`
 * holds): exactly where `WORD` would end its match. Exported for the index builder, which
 * looks words up without first cutting them out of the text.
 */
export function asciiWordEnd(text: string, start: number): number {
  const length = text.length;
  let end = start;
  while (end + 1 < length && ASCII_KIND[text.charCodeAt(end)] === ASCII_LETTER && text.charCodeAt(end + 1) === DOT) end += 2;
  // Fewer than two pairs: the acronym alternative fails and the word alternative matches.
  if (end - start < 4) {
    end = start + 1;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (ASCII_KIND[c] !== 0) end++;
      else if (c === APOSTROPHE && end + 1 < length && ASCII_KIND[text.charCodeAt(end + 1)] !== 0) end += 2;
      else break;
    }
  }
  return end;
}

/**
 * Lower-cases, drops default-ignorable code points, applies compatibility folding (NFKC's
 * `ﬁ` → `fi`, full-width letters) and strips diacritics, possessive `'s`, apostrophes and
 * acronym dots. The same at index and query time, so text typed in NFD, with a soft hyphen
 * or a zero-width space inside a word still meets the corpus.
 */
export function normalizeWord(word: string): string {
  let w = word.toLowerCase();
  if (NON_ASCII.test(w)) w = w.replace(DEFAULT_IGNORABLE, '').normalize('NFKD').replace(COMBINING_MARKS, '').normalize('NFKC');
  return w.replace(POSSESSIVE, '').replace(APOSTROPHES_AND_DOTS, '');
}
