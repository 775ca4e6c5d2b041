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

/**
 * 4 gave camelCase words their parts as terms too; 5 took that back (README, "Quality"); 6
 * drops words longer than `MAX_WORD_LENGTH`; 7 drops chat's greetings and fillers ("hey", "pls", "lol");
 * 8 function words that neither the stopword list nor WordNet has ("without", "whenever"); 9 the
 * other contractions written without their apostrophe ("youre", "couldnt"; "cant" and "wont" stay words);
 * 10 the rest of those function words ("whereas", "whilst", "she", "yours", "etc"); 11 chat's
 * interjections ("hmm", "nope", "oops"); 12 a question's opening "so", "ok", "anyway"; 13 a stopword
 * that a hyphen joins to another word keeps its term ("v-if", "no-console", `isHyphenJoined`); 14 each
 * Han, kana and Hangul letter a word, its term the pair it starts (`cjkPairEnd`); 15 a bracketed
 * letter inside its word (tldr's "E[x]tract").
 */
export const ANALYZER_VERSION = 15;

/**
 * A longer run of word characters is not a word anyone asks for (a base64 blob, a 100,000-letter
 * acronym): it is no term, and is never normalized or stemmed. Lucene's tokenizers stop at 255 too.
 */
export const MAX_WORD_LENGTH = 255;

/**
 * A word: letters/digits, optionally joined by inner apostrophes (`Putin's`, `can't`), or a
 * dotted acronym (`U.S.`). Anything else — spaces of every kind (NBSP included), hyphens,
 * punctuation — separates words. Combining marks (`o` + U+0301 typed in NFD) and
 * default-ignorable code points (zero-width space and joiners, soft hyphen) continue a word
 * instead of splitting it; `normalizeWord` then drops or folds them. The classes inside a
 * word never contain the apostrophes, so the pattern cannot match one word two ways.
 *
 * A letter in square brackets joined to letters is part of the word: tldr's pages mark a
 * command's mnemonic letter so ("[r]ecursively", "E[x]tract", "g[z]ipped"), and the word is
 * "recursively". One letter only, and a letter must follow: `arr[i]` and `obj[key]x` are two
 * words. `normalizeWord` drops the brackets.
 *
 * Chinese and Japanese are written without spaces, and Korean joins particles to its words:
 * each Han, kana or Hangul letter is a word of its own (`CJK`), as Lucene's StandardTokenizer
 * makes each ideograph a token; its term is the pair it starts (`cjkPairEnd`). Their class is
 * spelled out where it is used, so that the pattern stays a literal the linear-time check reads.
 */
const WORD =
  /(?=[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}[\p{M}\p{Default_Ignorable_Code_Point}]*|(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}\.){2,}|(?:\[(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L})\](?=(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L})|(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}|\p{N})(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}|[\p{N}\p{M}\p{Default_Ignorable_Code_Point}]|\[(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L})\](?=(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}))*(?:['’ʼ](?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}|\p{N})(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}|[\p{N}\p{M}\p{Default_Ignorable_Code_Point}]|\[(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L})\](?=(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])\p{L}))*)*/gu;
/** `WORD` anchored at `lastIndex`. */
const WORD_AT = new RegExp(WORD.source, 'uy');
const NON_ASCII = /[^\x00-\x7f]/;
// Kana's voicing marks are letters' identity (で is not て): kept, recomposed by NFKC.
const COMBINING_MARKS = /(?:(?![\u3099\u309a])\p{M})+/gu;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}+/gu;
const POSSESSIVE = /['’ʼ]s$/;
const INNER_PUNCTUATION = /['’ʼ.[\]]/g;

/**
 * `WORD` as a table for the hand scanner, one entry per UTF-16 code unit of the Basic
 * Multilingual Plane, filled lazily from the same Unicode properties the regex uses (ASCII
 * up front). Text with surrogates (astral letters such as 𝔓) goes through the regex itself.
 */
const CLASSIFIED = 1;
const LETTER = 2; // \p{L} but `CJK`: starts a word, continues one, and pairs with a dot in an acronym
const NUMBER = 4; // \p{N}: starts and continues a word
const CONTINUES = 8; // \p{M} or a default-ignorable: continues a word only
const APOSTROPHE = 16; // ' ’ ʼ: joins two words when a letter or digit follows
const SINGLE = 32; // a Han, kana or Hangul letter: a word by itself (`CJK`)
const STARTS = LETTER | NUMBER | SINGLE;
const IN_WORD = LETTER | NUMBER | CONTINUES;
const DOT = 0x2e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const KIND = new Uint8Array(0x10000);
const SURROGATE = /[\ud800-\udfff]/; // no `u` flag: tests code units
const IS_LETTER = /^\p{L}$/u;
const IS_CJK = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_CONTINUATION = /^[\p{M}\p{Default_Ignorable_Code_Point}]$/u;
for (let code = 0; code < 0x80; code++) classify(code);

function classify(code: number): number {
  const char = String.fromCharCode(code);
  let kind = CLASSIFIED;
  if (code >= 0xd800 && code <= 0xdfff) kind = CLASSIFIED; // never scanned: such text takes the regex
  else if (IS_LETTER.test(char)) kind |= IS_CJK.test(char) ? SINGLE : LETTER;
  else if (IS_NUMBER.test(char)) kind |= NUMBER;
  // A Hangul filler is a letter and default-ignorable: it starts a word of its own and continues one.
  if (IS_CONTINUATION.test(char)) kind |= CONTINUES;
  if (char === "'" || char === '’' || char === 'ʼ') kind |= APOSTROPHE;
  return (KIND[code] = kind);
}

function kindOf(code: number): number {
  const kind = KIND[code]!;
  return kind === 0 ? classify(code) : kind;
}

/**
 * Words that carry no topic in a question. The `stopword` package's English list plus the
 * question and negation words it lacks (users ask questions; documents rarely contain
 * "why does").
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...englishStopwords,
  'when', 'why', 'whom', 'whose', 'does', 'doing', 'done', 'not', 'no', 'nor', 'yes',
  'its', 'it', 'isnt', 'dont', 'doesnt', 'didnt', 'wasnt', 'werent', 'arent',
  // "what's" typed without its apostrophe, as people type in chat ("whats the intent for…"):
  // left as words, they were taken for misspellings of corpus words ("whats" → "chat").
  'whats', 'thats', 'whos', 'wheres', 'whens', 'hows', 'theres', 'heres', 'hes', 'shes',
  // The rest of them, as a document's "you're" is indexed too: "youre supposed to defer the reply"
  // matched `your` and "right" instead of defer and reply; "couldnt", "im" counted as words the corpus lacks.
  'im', 'ive', 'youre', 'youve', 'youll', 'youd', 'theyre', 'theyve', 'theyll', 'theyd', 'weve', 'wouldve', 'couldve', 'shouldve',
  'couldnt', 'shouldnt', 'wouldnt', 'hasnt', 'havent', 'hadnt', 'mustnt', 'neednt', 'aint',
  // Chat's greetings, thanks and fillers: "hey guys how do i defer a reply" matched "hey" and
  // the stem of "guys" (a page's "GUI") instead of defer and reply; "pls" matched `pl`.
  'hey', 'hi', 'hiya', 'yo', 'guys', 'bro', 'dude', 'pls', 'plz', 'please', 'thanks', 'thank', 'thx', 'tysm',
  'lol', 'lmao', 'lmfao', 'rofl', 'omg', 'ugh', 'btw', 'idk', 'imo', 'imho', 'tbh', 'tho', 'fyi', 'okay',
  'anyone', 'anybody', 'someone', 'somebody', 'just', 'really', 'actually', 'basically', 'literally',
  // Function words the package's list and WordNet both lack: not stopwords, they counted as names
  // (weighed up, and judged as jargon the corpus shares): "save prefixes *without* writing sql".
  'without', 'until', 'against', 'during', 'unless', 'whether', 'upon', 'although', 'onto', 'among', 'towards', 'toward',
  'whenever', 'whoever', 'itself', 'myself', 'yourself', 'herself', 'ourselves', 'themselves',
  'everybody', 'everyone', 'everything', 'something', 'anything', 'else', 'shall', 'ought', 'gonna', 'wanna', 'gotta',
  'amid', 'amidst', 'amongst', 'beside', 'unto', 'thru', 'lest', 'whereas', 'whereby', 'whilst', 'albeit',
  'whichever', 'whomever', 'she', 'hers', 'ours', 'yours', 'theirs', 'noone', 'eg', 'etc',
  // Chat's interjections, which WordNet lacks too: "hmm how do i defer a reply" had "hmm" weighed
  // as a name and answered from the events page; "nope" was corrected to "node".
  'uh', 'um', 'umm', 'hmm', 'hmmm', 'huh', 'ah', 'eh', 'aw', 'ow', 'whoa', 'whew', 'oops', 'ouch', 'yep', 'yup', 'nope', 'nah',
  'ya', 'gosh', 'heck', 'jeez', 'geez', 'dammit', 'aha', 'gotcha', 'gimme', 'outta',
  // A question's opening "so", "ok", "anyway": "so what was the 2020 intel report about" was
  // refused for a "so" the best passage lacked.
  'so', 'ok', 'alright', 'anyway', 'anyways',
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
    this.scanWords(text, (word, start, end) => {
      const term = this.termIn(text, word, start, end);
      if (term) out.push(term);
    });
    return out;
  }

  /** Like `terms`, with each term's character range in `text`. */
  tokens(text: string): Token[] {
    const out: Token[] = [];
    this.scanWords(text, (word, start, end) => {
      const term = this.termIn(text, word, start, end);
      if (term) out.push({ term, start, end });
    });
    return out;
  }

  /** The term of `word` at `start`–`end` of `text`: `term`, or a stopword's own when a hyphen joins it (`isHyphenJoined`). */
  private termIn(text: string, word: string, start: number, end: number): string {
    const pair = cjkPairEnd(text, start, end);
    if (pair !== undefined) return this.term(text.slice(start, pair));
    return this.term(word) || (isHyphenJoined(text, start, end) ? this.joinedTerm(word) : '');
  }

  /**
   * A stopword's term where a hyphen joins it to another word: "v-if", "no-console",
   * "built-in" name a thing, and their "if", "no", "in" are part of the name.
   */
  joinedTerm(word: string): string {
    return this.termOfWord(word, false);
  }

  /** Normalized words without stopword removal or stemming (for exact phrases). */
  words(text: string): string[] {
    const out: string[] = [];
    this.scanWords(text, (word) => {
      const normal = word.length > MAX_WORD_LENGTH ? '' : normalizeWord(word);
      if (normal) out.push(normal);
    });
    return out;
  }

  /**
   * Reports each raw word of `text` with its range: exactly the matches of `WORD`, in order.
   * A char-code scanner over the `KIND` table is about twice as fast as the Unicode regex;
   * only text with surrogate pairs goes through the regex itself.
   */
  scanWords(text: string, onWord: (word: string, start: number, end: number) => void): void {
    if (isScannable(text)) {
      scanTableWords(text, onWord);
      return;
    }
    // matchAll iterates a copy of the shared global regex: its lastIndex is never touched,
    // so a re-entrant onWord is safe.
    for (const match of text.matchAll(WORD)) onWord(match[0], match.index, match.index + match[0].length);
  }

  /** The term for one raw word, or `''` when it is a stopword. */
  term(word: string): string {
    if (word.length > MAX_WORD_LENGTH) return '';
    const cached = this.termCache.get(word);
    if (cached !== undefined) return cached;
    const term = this.termOf(word);
    if (this.termCache.size >= TERM_CACHE_MAX) this.termCache.clear();
    this.termCache.set(word, term);
    return term;
  }

  /** `term` without the cache: for a word list read once, which would only flush it. */
  termOf(word: string): string {
    return this.termOfWord(word, true);
  }

  /** A word's term: normalized and stemmed; '' for a word too long, and for a stopword when they are dropped. */
  private termOfWord(word: string, dropStopword: boolean): string {
    if (word.length > MAX_WORD_LENGTH) return '';
    const normal = normalizeWord(word);
    if (!normal || (dropStopword && this.stopwords.has(normal))) return '';
    return this.stem ? stemmer(normal) : normal;
  }
}

/**
 * `WORD` by the `KIND` table. Same alternation order as the regex: at each position a
 * dotted acronym (two or more letter+dot pairs, greedy) wins, else a word (a run of word
 * characters, extended across each apostrophe that a letter or digit follows). Neither
 * alternative can start on any other character, so skipping it is the regex's failed
 * attempt there.
 */
function scanTableWords(text: string, onWord: (word: string, start: number, end: number) => void): void {
  const length = text.length;
  let start = 0;
  while (start < length) {
    if (!startsWordAt(text, start)) {
      start++;
      continue;
    }
    const end = wordEnd(text, start);
    onWord(text.slice(start, end), start, end);
    start = end;
  }
}

const HYPHEN = 0x2d;

/**
 * The term of a Han, kana or Hangul letter is the pair it starts with the next one, as Lucene's
 * CJKBigramFilter makes them: "環境変数の使い方" is 環境 境変 変数 数の の使 使い い方 方, and meets
 * "環境変数を使う" on 環境, 境変, 変数 — single letters are too common to tell a topic ("東京の天気"
 * and a page on Astro share の and 気, not a pair). The last letter of a run is its own term, as
 * a letter alone is. For the word at `start`–`end`: the end of the pair when a letter of these
 * scripts follows it; undefined otherwise.
 */
export function cjkPairEnd(text: string, start: number, end: number): number | undefined {
  // Below U+1100 (Hangul's first letters) no letter is one of them: the index builder asks for every word.
  if (text.charCodeAt(start) < FIRST_CJK || end >= text.length) return undefined;
  return isCjkAt(text, start) && isCjkAt(text, end) ? wordEndAnywhere(text, end) : undefined;
}
const FIRST_CJK = 0x1100;

/** Whether a Han, kana or Hangul letter starts at `at` (an astral one included). */
function isCjkAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if ((code & 0xf800) !== 0xd800) return (kindOf(code) & SINGLE) !== 0;
  const point = text.codePointAt(at)!;
  return point > 0xffff && IS_CJK.test(String.fromCodePoint(point)) && IS_LETTER.test(String.fromCodePoint(point));
}

/** The end of the word that starts at `start`, whether or not the text has surrogates. */
function wordEndAnywhere(text: string, start: number): number {
  if (isScannable(text)) return wordEnd(text, start);
  WORD_AT.lastIndex = start;
  const match = WORD_AT.exec(text);
  return match ? start + match[0].length : start + 1;
}

/**
 * Whether a hyphen joins the word at `start`–`end` of `text` to a word beside it ("v-if",
 * "built-in"): a stopword there keeps a term (`Analyzer.joinedTerm`), at index and query time.
 */
export function isHyphenJoined(text: string, start: number, end: number): boolean {
  return (start >= 2 && text.charCodeAt(start - 1) === HYPHEN && isWordCode(text.charCodeAt(start - 2))) || (text.charCodeAt(end) === HYPHEN && isWordCode(text.charCodeAt(end + 1)));
}

/** A letter or digit (a surrogate half counts: an astral letter). */
function isWordCode(code: number): boolean {
  return !Number.isNaN(code) && ((code >= 0xd800 && code <= 0xdfff) || (kindOf(code) & STARTS) !== 0);
}

/** True when `text` has no surrogates, so that `startsWordAt` and `wordEnd` apply. */
export function isScannable(text: string): boolean {
  return !SURROGATE.test(text);
}

/** In scannable text: whether a word starts at `at` (a letter or digit, or a bracketed letter: "[a]ll"). */
export function startsWordAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return (kindOf(code) & STARTS) !== 0 || isBracketedLetter(text, at);
}

/** At `at`, a letter in square brackets with a letter right after: "[a]ll" (not CJK, whose letters are words of their own). */
function isBracketedLetter(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === OPEN_BRACKET &&
    at + 3 < text.length &&
    (kindOf(text.charCodeAt(at + 1)) & LETTER) !== 0 &&
    text.charCodeAt(at + 2) === CLOSE_BRACKET &&
    (kindOf(text.charCodeAt(at + 3)) & LETTER) !== 0
  );
}

/**
 * In scannable text, the end of the word that starts at `start` (where `startsWordAt` holds):
 * exactly where `WORD` would end its match. Exported for the index builder, which looks
 * words up without first cutting them out of the text.
 */
export function wordEnd(text: string, start: number): number {
  const length = text.length;
  let end = start;
  const first = text.charCodeAt(start);
  if (first >= FIRST_CJK && (kindOf(first) & SINGLE) !== 0) {
    end = start + 1;
    while (end < length && (kindOf(text.charCodeAt(end)) & CONTINUES) !== 0) end++;
    return end;
  }
  while (end + 1 < length && (kindOf(text.charCodeAt(end)) & LETTER) !== 0 && text.charCodeAt(end + 1) === DOT) end += 2;
  // Fewer than two pairs: the acronym alternative fails and the word alternative matches.
  if (end - start < 4) {
    end = first === OPEN_BRACKET ? start + 3 : start + 1;
    while (end < length) {
      const kind = kindOf(text.charCodeAt(end));
      if ((kind & IN_WORD) !== 0) end++;
      else if ((kind & APOSTROPHE) !== 0 && end + 1 < length && (kindOf(text.charCodeAt(end + 1)) & (LETTER | NUMBER)) !== 0) end += 2;
      else if (isBracketedLetter(text, end)) end += 3;
      else break;
    }
  }
  return end;
}

/**
 * Lower-cases, drops default-ignorable code points, applies compatibility folding (NFKC's
 * `ﬁ` → `fi`, full-width letters) and strips diacritics, possessive `'s`, apostrophes, acronym
 * dots and a mnemonic letter's brackets ("[a]ll"). The same at index and query time, so text
 * typed in NFD, with a soft hyphen or a zero-width space inside a word still meets the corpus.
 */
export function normalizeWord(word: string): string {
  let w = word.toLowerCase();
  if (NON_ASCII.test(w)) w = w.replace(DEFAULT_IGNORABLE, '').normalize('NFKD').replace(COMBINING_MARKS, '').normalize('NFKC');
  return w.replace(POSSESSIVE, '').replace(INNER_PUNCTUATION, '');
}
