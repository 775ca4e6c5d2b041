/**
 * Postings: inversion of a batch of passages into one segment, and cursors over a term's
 * postings.
 *
 * Building is the index's main cost, and most of it is analysis, so the builder does as
 * little else as it can: each raw word is mapped to a term id once (a word → id cache in
 * front of the analyzer's stemmer), a passage's terms are counted in reused typed arrays,
 * and postings are appended as flat (term, doc, tf) columns. `finish` sorts the
 * dictionary by UTF-8 bytes and scatters the columns into per-term runs with one counting
 * sort: no object per posting, ever. Workers run one builder each (`build-pool.ts`).
 */
import { Analyzer, cjkPairEnd, isHyphenJoined, isScannable, startsWordAt, wordEnd } from '../core/analyzer.ts';
import { analyzedText, type Markup } from '../core/passage.ts';
import { WordTable } from './word-table.ts';
import { allocateSegment, sealSegment, type Segment, type SegmentArrays, type SectionLengths } from './segment-format.ts';

/** Term frequencies and field lengths are stored in 8 and 16 bits. */
const MAX_TF = 255;
const MAX_LENGTH = 65535;

/** A growable typed array column. */
class Column<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  grow(min: number): void {
    const next = this.make(Math.max(min, this.data.length * 2, 16));
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
}

const u8 = (n: number) => new Uint8Array(n);
const u16 = (n: number) => new Uint16Array(n);
const u32 = (n: number) => new Uint32Array(n);

export class SegmentBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Raw word → term id (-1 for a stopword), looked up without cutting the word out of the text. */
  private readonly words = new WordTable((word) => {
    const term = this.analyzer.term(word);
    return term ? this.termId(term) : -1;
  });
  /** The same for a stopword that a hyphen joins to another word (`Analyzer.joinedTerm`). */
  private readonly joinedWords = new WordTable((word) => {
    const term = this.analyzer.joinedTerm(word);
    return term ? this.termId(term) : -1;
  });
  private readonly titleIds = new Map<string, number>();
  private readonly titles: string[] = [];
  private readonly titleTerms: Array<{ ids: Uint32Array; counts: Uint32Array }> = [];
  /**
   * Passage texts as UTF-8, appended as they come: no string stays alive per passage, so a
   * worker building half a million passages keeps a small heap (garbage collection time
   * grew with every string it held).
   */
  private text = new Column(u8(0), u8);
  private readonly textStarts: number[] = [0];
  /** The few passages with markup (inline HTML): their local docs, and their ranges one after another. */
  private readonly markupDocs = new Column(u32(0), u32);
  private readonly markupStarts: number[] = [0];
  private readonly markupSpans = new Column(u32(0), u32);

  private readonly ids = new Column(u32(0), u32);
  private readonly hashes = new Column(u32(0), u32);
  private readonly docTitle = new Column(u32(0), u32);
  private readonly lenText = new Column(u16(0), u16);
  private readonly lenTitle = new Column(u16(0), u16);
  private readonly postTerm = new Column(u32(0), u32);
  private readonly postDoc = new Column(u32(0), u32);
  private readonly postTfText = new Column(u8(0), u8);
  private readonly postTfTitle = new Column(u8(0), u8);

  // Per-passage scratch, indexed by term id: which doc saw the term last, and counts.
  private seen = new Int32Array(1024).fill(-1);
  private tfText = new Uint32Array(1024);
  private tfTitle = new Uint32Array(1024);
  private docTerms: number[] = [];

  constructor(readonly analyzer: Analyzer) {}

  get docCount(): number {
    return this.ids.length;
  }

  /**
   * Adds one passage: its global id, exact text, document title and 4-word dedup hash.
   * `utf8`, when given, is the text already encoded (copied, not re-encoded). `markup`
   * ranges of the text are stored, not analyzed (`analyzedText`).
   */
  add(id: number, text: string, title: string, hash: ArrayLike<number>, hashAt = 0, utf8?: Uint8Array, markup?: Markup): void {
    const doc = this.ids.length;
    this.ids.push(id);
    for (let i = 0; i < 4; i++) this.hashes.push(hash[hashAt + i]!);
    this.appendText(text, utf8);
    if (markup && markup.length > 0) {
      this.markupDocs.push(doc);
      for (let i = 0; i < markup.length; i++) this.markupSpans.push(markup[i]!);
      this.markupStarts.push(this.markupSpans.length);
      text = analyzedText(text, markup);
    }
    const titleIndex = this.titleIndex(title);
    this.docTitle.push(titleIndex);

    const docTerms = this.docTerms;
    docTerms.length = 0;
    const count = (term: number) => {
      if (term < 0) return;
      if (this.seen[term] !== doc) {
        this.seen[term] = doc;
        this.tfText[term] = 0;
        this.tfTitle[term] = 0;
        docTerms.push(term);
      }
      this.tfText[term]!++;
    };
    if (isScannable(text)) {
      for (let start = 0; start < text.length; ) {
        if (!startsWordAt(text, start)) {
          start++;
          continue;
        }
        const end = wordEnd(text, start);
        count(this.termAt(text, start, end));
        start = end;
      }
    } else this.analyzer.scanWords(text, (_, start, end) => count(this.termAt(text, start, end)));
    const textLength = docTerms.length;
    const { ids: titleTermIds, counts } = this.titleTerms[titleIndex]!;
    for (let i = 0; i < titleTermIds.length; i++) {
      const term = titleTermIds[i]!;
      if (this.seen[term] !== doc) {
        this.seen[term] = doc;
        this.tfText[term] = 0;
        this.tfTitle[term] = 0;
        docTerms.push(term);
      }
      this.tfTitle[term] = counts[i]!;
    }
    this.lenText.push(Math.min(textLength, MAX_LENGTH));
    this.lenTitle.push(Math.min(titleTermIds.length, MAX_LENGTH));
    for (const term of docTerms) {
      this.postTerm.push(term);
      this.postDoc.push(doc);
      this.postTfText.push(Math.min(this.tfText[term]!, MAX_TF));
      this.postTfTitle.push(Math.min(this.tfTitle[term]!, MAX_TF));
    }
  }

  private appendText(text: string, utf8: Uint8Array | undefined): void {
    const column = this.text;
    const room = utf8 ? utf8.length : 3 * text.length;
    if (column.length + room > column.data.length) column.grow(column.length + room);
    if (utf8) {
      column.data.set(utf8, column.length);
      column.length += utf8.length;
    } else {
      const data = column.data;
      column.length += Buffer.from(data.buffer, data.byteOffset, data.length).write(text, column.length, 'utf8');
    }
    this.textStarts.push(column.length);
  }

  /** Sorts the dictionary, lays the postings out per term, and returns the sealed segment. */
  finish(name: string): Segment {
    const n = this.ids.length;
    const termCount = this.terms.length;
    const encoder = new TextEncoder();
    const termUtf8 = this.terms.map((term) => encoder.encode(term));
    const order = Array.from({ length: termCount }, (_, i) => i).sort((a, b) => compareUtf8(termUtf8[a]!, termUtf8[b]!));
    const rank = new Uint32Array(termCount);
    order.forEach((term, r) => (rank[term] = r));

    const postingCount = this.postTerm.length;
    let termByteCount = 0;
    for (const bytes of termUtf8) termByteCount += bytes.length;
    const textByteCount = this.text.length;

    const lengths: SectionLengths = {
      ids: n, lenText: n, lenTitle: n, docTitle: n, textStarts: n + 1, hashes: 4 * n,
      termStarts: termCount + 1, postingStarts: termCount + 1, dfText: termCount, dfTitle: termCount,
      maxTfText: termCount, maxTfTitle: termCount, minLenText: termCount, minLenTitle: termCount,
      docs: postingCount, tfText: postingCount, tfTitle: postingCount, termBytes: termByteCount, text: textByteCount,
      markupDocs: this.markupDocs.length, markupStarts: this.markupStarts.length, markupSpans: this.markupSpans.length,
    };
    let totalLenText = 0;
    let totalLenTitle = 0;
    for (let i = 0; i < n; i++) {
      totalLenText += this.lenText.data[i]!;
      totalLenTitle += this.lenTitle.data[i]!;
    }
    const segment = allocateSegment({ name, docCount: n, termCount, postingCount, titles: this.titles, totalLenText, totalLenTitle }, lengths);
    const a = segment.arrays;
    a.ids.set(this.ids.data.subarray(0, n));
    a.lenText.set(this.lenText.data.subarray(0, n));
    a.lenTitle.set(this.lenTitle.data.subarray(0, n));
    a.docTitle.set(this.docTitle.data.subarray(0, n));
    a.hashes.set(this.hashes.data.subarray(0, 4 * n));

    a.text.set(this.text.data.subarray(0, textByteCount));
    a.textStarts.set(this.textStarts);
    this.text = new Column(u8(0), u8);
    a.markupDocs.set(this.markupDocs.data.subarray(0, this.markupDocs.length));
    a.markupStarts.set(this.markupStarts);
    a.markupSpans.set(this.markupSpans.data.subarray(0, this.markupSpans.length));

    writeDictionary(a, termUtf8, order);
    this.scatterPostings(a, rank);
    // Statistics term by term, in posting order: the scatter above stays three writes.
    foldTermStatistics(a, 0, termCount);
    return sealSegment(segment);
  }

  /** Counting sort of the posting columns by term rank; docs stay ascending within a term. */
  private scatterPostings(a: SegmentArrays, rank: Uint32Array): void {
    const termCount = rank.length;
    const postingCount = this.postTerm.length;
    const counts = new Uint32Array(termCount + 1);
    const postTerm = this.postTerm.data;
    for (let p = 0; p < postingCount; p++) counts[rank[postTerm[p]!]! + 1]!++;
    for (let r = 0; r < termCount; r++) counts[r + 1]! += counts[r]!;
    a.postingStarts.set(counts);
    const next = counts.subarray(0, termCount).slice();
    const postDoc = this.postDoc.data;
    const postTfText = this.postTfText.data;
    const postTfTitle = this.postTfTitle.data;
    const { docs, tfText, tfTitle } = a;
    for (let p = 0; p < postingCount; p++) {
      const slot = next[rank[postTerm[p]!]!]!++;
      docs[slot] = postDoc[p]!;
      tfText[slot] = postTfText[p]!;
      tfTitle[slot] = postTfTitle[p]!;
    }
  }

  /** The term id of the word at `start`–`end`, as `Analyzer.termIn` gives its term; -1 for none. */
  private termAt(text: string, start: number, end: number): number {
    const pair = cjkPairEnd(text, start, end);
    if (pair !== undefined) return this.words.termOf(text, start, pair);
    const id = this.words.termOf(text, start, end);
    return id >= 0 || !isHyphenJoined(text, start, end) ? id : this.joinedWords.termOf(text, start, end);
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
      if (id >= this.seen.length) {
        const size = this.seen.length * 2;
        const seen = new Int32Array(size).fill(-1);
        seen.set(this.seen);
        this.seen = seen;
        const tfText = new Uint32Array(size);
        tfText.set(this.tfText);
        this.tfText = tfText;
        const tfTitle = new Uint32Array(size);
        tfTitle.set(this.tfTitle);
        this.tfTitle = tfTitle;
      }
    }
    return id;
  }

  private titleIndex(title: string): number {
    let index = this.titleIds.get(title);
    if (index !== undefined) return index;
    index = this.titles.length;
    this.titles.push(title);
    this.titleIds.set(title, index);
    const counts = new Map<number, number>();
    for (const term of this.analyzer.terms(title)) {
      const id = this.termId(term);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    this.titleTerms.push({ ids: Uint32Array.from(counts.keys()), counts: Uint32Array.from(counts.values(), (c) => Math.min(c, MAX_TF)) });
    return index;
  }
}


/** The sorted dictionary: each term's UTF-8 bytes, in rank order, with their offsets. */
function writeDictionary(a: SegmentArrays, termUtf8: readonly Uint8Array[], order: readonly number[]): void {
  let at = 0;
  for (let r = 0; r < order.length; r++) {
    a.termStarts[r] = at;
    a.termBytes.set(termUtf8[order[r]!]!, at);
    at += termUtf8[order[r]!]!.length;
  }
  a.termStarts[order.length] = at;
}

/**
 * Fills the statistics and MaxScore bounds of terms `[from, to)` (document frequencies,
 * largest tf, smallest field length) from their postings, which are already written.
 */
export function foldTermStatistics(a: SegmentArrays, from: number, to: number): void {
  const { docs, tfText, tfTitle, lenText, lenTitle, postingStarts } = a;
  for (let r = from; r < to; r++) {
    let dfText = 0;
    let dfTitle = 0;
    let maxTfText = 0;
    let maxTfTitle = 0;
    let minLenText = MAX_LENGTH;
    let minLenTitle = MAX_LENGTH;
    for (let p = postingStarts[r]!, end = postingStarts[r + 1]!; p < end; p++) {
      const doc = docs[p]!;
      const t = tfText[p]!;
      if (t > 0) {
        dfText++;
        if (t > maxTfText) maxTfText = t;
        if (lenText[doc]! < minLenText) minLenText = lenText[doc]!;
      }
      const ti = tfTitle[p]!;
      if (ti > 0) {
        dfTitle++;
        if (ti > maxTfTitle) maxTfTitle = ti;
        if (lenTitle[doc]! < minLenTitle) minLenTitle = lenTitle[doc]!;
      }
    }
    a.dfText[r] = dfText;
    a.dfTitle[r] = dfTitle;
    a.maxTfText[r] = maxTfText;
    a.maxTfTitle[r] = maxTfTitle;
    a.minLenText[r] = minLenText;
    a.minLenTitle[r] = minLenTitle;
  }
}

/** Unsigned byte order: the order of the segment dictionary. */
export function compareUtf8(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * A position in one term's postings of one segment. `advance(target)` moves to the first
 * posting with doc ≥ target (`advanceTo`: galloping, then binary search).
 */
export class PostingCursor {
  constructor(
    readonly docs: Uint32Array,
    public pos: number,
    readonly end: number,
  ) {}

  /** The doc now under the cursor, or `NO_DOC` when exhausted. */
  advance(target: number): number {
    this.pos = advanceTo(this.docs, this.pos, this.end, target);
    return this.pos < this.end ? this.docs[this.pos]! : NO_DOC;
  }
}

/**
 * First position in `docs[pos, end)` holding a doc ≥ target: galloping then binary
 * search, cheap for both dense and sparse jumps.
 */
export function advanceTo(docs: Uint32Array, pos: number, end: number, target: number): number {
  if (pos >= end || docs[pos]! >= target) return pos;
  let step = 1;
  let hi = pos + 1;
  while (hi < end && docs[hi]! < target) {
    pos = hi;
    step *= 2;
    hi = pos + step;
  }
  if (hi > end) hi = end;
  let lo = pos + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const NO_DOC = 0xffffffff;
