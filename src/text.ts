/** Small pure text helpers shared by the chunker, the quote picker and the renderers. */

/** Every run of whitespace (NBSP, newlines, tabs…) becomes one space; ends trimmed. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

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

/** Sentence-final punctuation (with closing quotes/brackets) followed by a likely sentence start. */
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\p{N}])/gu;

/**
 * Splits `text[from, to)` into sentences, returned as `[start, end)` ranges with no
 * surrounding whitespace. Line breaks always end a sentence (in documents without blank
 * lines every line is its own paragraph). Pure and allocation-light: used on hot paths.
 */
export function sentenceRanges(text: string, from = 0, to = text.length): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let lineStart = from;
  while (lineStart < to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let sentenceStart = lineStart;
    SENTENCE_END.lastIndex = lineStart;
    const line = text.slice(0, lineEnd);
    for (let m = SENTENCE_END.exec(line); m; m = SENTENCE_END.exec(line)) {
      const end = m.index + m[0].length;
      if (m[0][0] === '.' && isAbbreviation(text, sentenceStart, m.index)) continue;
      pushTrimmed(text, sentenceStart, end, out);
      sentenceStart = end;
    }
    pushTrimmed(text, sentenceStart, lineEnd, out);
    lineStart = lineEnd + 1;
  }
  return out;
}

function isAbbreviation(text: string, sentenceStart: number, dot: number): boolean {
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
