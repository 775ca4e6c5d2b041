/** Small pure text helpers shared by the chunker, the quote picker and the renderers. */

/** Every run of whitespace (NBSP, newlines, tabs…) becomes one space; ends trimmed. */
export function foldWhitespace(text: string): string {
  // Most passages are already folded (one line, single spaces): checking is cheaper than replacing.
  return isFolded(text) ? text : text.replace(/\s+/gu, ' ').trim();
}

/** True when `text` has no whitespace but single inner spaces (what `foldWhitespace` leaves). */
function isFolded(text: string): boolean {
  return !text.includes('  ') && !NON_SPACE_WHITESPACE.test(text) && text.charCodeAt(0) !== 32 && text.charCodeAt(text.length - 1) !== 32;
}
/** JavaScript's `\s` without the plain space (all of it is in the BMP). */
const NON_SPACE_WHITESPACE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Start offset of every line (line n, 1-based, starts at `starts[n - 1]`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line number of a character offset, given `lineStarts(text)`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Words that end with a period without ending a sentence. */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'vs', 'no', 'gen', 'gov', 'sen', 'rep', 'prof',
  'inc', 'ltd', 'co', 'corp', 'fig', 'al', 'etc', 'approx', 'dept', 'est', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'e.g', 'i.e', 'u.s', 'u.k',
]);

/** `.!?…`: a run of them may end a sentence. */
function isSentencePunctuation(code: number): boolean {
  return code === 0x2e || code === 0x21 || code === 0x3f || code === 0x2026;
}
/** Closing quotes and brackets that stay with the sentence they end: `"'”’)]`. */
function isClosingQuote(code: number): boolean {
  return code === 0x22 || code === 0x27 || code === 0x201d || code === 0x2019 || code === 0x29 || code === 0x5d;
}
/** Opening quotes and brackets that may start a sentence: `"'“‘([`. */
function isOpeningQuote(code: number): boolean {
  return code === 0x22 || code === 0x27 || code === 0x201c || code === 0x2018 || code === 0x28 || code === 0x5b;
}
/** Where the sentence scan stops: a line break or sentence punctuation (one character, so linear). */
const LINE_BREAK_OR_PUNCTUATION = /[\n.!?…]/g;
const UPPERCASE_OR_DIGIT = /^[\p{Lu}\p{N}]$/u;
const WHITESPACE = /\s/u;

/**
 * Splits `text[from, to)` into sentences, returned as `[start, end)` ranges with no
 * surrounding whitespace. Line breaks always end a sentence (in documents without blank
 * lines every line is its own paragraph). A sentence ends after a run of `.!?…` (and any
 * closing quotes/brackets) followed by whitespace and a likely sentence start: an
 * uppercase letter or a digit, maybe after an opening quote. Pure and allocation-light:
 * used on hot paths.
 *
 * A scan that reads each character a bounded number of times: the regex it replaces
 * (`[.!?…]+…(?=\s+…)`) was retried at every character of a run of punctuation, and a 1 MB
 * line of dots took seconds.
 */
export function sentenceRanges(text: string, from = 0, to = text.length): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  // The search must not run past `to` (a window of a long line would make it quadratic); a slice is O(1) in V8.
  const view = to === text.length ? text : text.slice(0, to);
  let sentenceStart = from;
  LINE_BREAK_OR_PUNCTUATION.lastIndex = from;
  while (LINE_BREAK_OR_PUNCTUATION.test(view)) {
    let i = LINE_BREAK_OR_PUNCTUATION.lastIndex - 1;
    if (text.charCodeAt(i) === 0x0a) {
      pushTrimmed(text, sentenceStart, i, out);
      sentenceStart = i + 1;
      continue;
    }
    const punctuation = i;
    while (i < to && isSentencePunctuation(text.charCodeAt(i))) i++;
    while (i < to && isClosingQuote(text.charCodeAt(i))) i++;
    // The next search starts after the whole run: each character is looked at a bounded number of times.
    LINE_BREAK_OR_PUNCTUATION.lastIndex = i;
    if (!startsSentenceAfterSpace(text, i, to)) continue;
    if (text[punctuation] === '.' && isAbbreviation(text, sentenceStart, punctuation)) continue;
    pushTrimmed(text, sentenceStart, i, out);
    sentenceStart = i;
  }
  pushTrimmed(text, sentenceStart, to, out);
  return out;
}

/**
 * Whitespace at `at`, then (after an optional opening quote) an uppercase letter or a
 * digit, all before `end` and on the same line.
 */
function startsSentenceAfterSpace(text: string, at: number, end: number): boolean {
  let i = at;
  while (i < end && text.charCodeAt(i) !== 0x0a && WHITESPACE.test(text[i]!)) i++;
  if (i === at) return false;
  if (isUppercaseOrDigitAt(text, i, end)) return true;
  return i < end && isOpeningQuote(text.charCodeAt(i)) && isUppercaseOrDigitAt(text, i + 1, end);
}

function isUppercaseOrDigitAt(text: string, at: number, end: number): boolean {
  if (at >= end) return false;
  const codePoint = text.codePointAt(at)!;
  // A surrogate pair cut by `end` is a lone surrogate: not a letter.
  if (codePoint > 0xffff && at + 1 >= end) return false;
  return UPPERCASE_OR_DIGIT.test(String.fromCodePoint(codePoint));
}

function isAbbreviation(text: string, sentenceStart: number, dot: number): boolean {
  // Walks back over one word: every sentence-end candidate is followed by whitespace, so
  // the walks of two candidates never overlap and the whole scan stays linear.
  let i = dot;
  while (i > sentenceStart && /[\p{L}.]/u.test(text[i - 1]!)) i--;
  const word = text.slice(i, dot).toLowerCase();
  // A single letter ("J. Smith", "U.S.") or a known abbreviation does not end a sentence.
  return word.length === 1 || ABBREVIATIONS.has(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word);
}

function pushTrimmed(text: string, start: number, end: number, out: Array<[number, number]>): void {
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  if (end > start) out.push([start, end]);
}

/** Cuts `text` to at most `max` UTF-16 units at a word boundary, adding `…` when cut. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let cut = max - 1;
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut--;
  // Cut at the last space that fits; only a single over-long word is cut inside.
  const space = text.lastIndexOf(' ', cut);
  if (space > 0) cut = space;
  return text.slice(0, cut).trimEnd() + '…';
}
