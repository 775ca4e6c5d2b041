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
    for (const match of text.matchAll(WORD)) {
      const term = this.term(match[0]);
      if (term) out.push(term);
    }
    return out;
  }

  /** Like `terms`, with each term's character range in `text`. */
  tokens(text: string): Token[] {
    const out: Token[] = [];
    for (const match of text.matchAll(WORD)) {
      const term = this.term(match[0]);
      if (term) out.push({ term, start: match.index, end: match.index + match[0].length });
    }
    return out;
  }

  /** Normalized words without stopword removal or stemming (for exact phrases). */
  words(text: string): string[] {
    const out: string[] = [];
    for (const match of text.matchAll(WORD)) {
      const word = normalizeWord(match[0]);
      if (word) out.push(word);
    }
    return out;
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
