/**
 * Term dictionary: where a term's postings are, and which terms look like a given one.
 *
 * Exact lookups — every query term, every search — go straight to each segment's sorted
 * UTF-8 term table by binary search (`Segment.termIndex`): it is read from disk as bytes
 * and needs no object per term, so opening a million-passage index builds nothing here.
 *
 * Prefix and fuzzy (edit distance) lookups — for typo tolerance and autocomplete — use
 * MiniSearch's radix tree (`minisearch/SearchableMap`) over every live term, mapping each
 * term to its document frequency. It is built from the sorted term tables — ahead of time
 * in steps (`prepare`), or else on the first such lookup — and kept for the life of this
 * (immutable) index generation.
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { Segment } from './segment-format.ts';

const encoder = new TextEncoder();

export class TermDictionary {
  private tree: SearchableMap<number> | undefined;

  constructor(
    private readonly segments: readonly Segment[],
    /** Live passages holding a term (text or title) across the whole index. */
    private readonly documentFrequency: (term: string) => number,
  ) {}

  /** A term's UTF-8 bytes, the key of the segment tables. */
  static encode(term: string): Uint8Array {
    return encoder.encode(term);
  }

  /** Per segment, the term's index in that segment's dictionary, or -1. */
  lookup(term: string): Int32Array {
    const bytes = TermDictionary.encode(term);
    return Int32Array.from(this.segments, (segment) => segment.termIndex(bytes));
  }

  /** Terms within `maxDistance` edits of `term`, closest first, then most frequent. */
  similar(term: string, maxDistance: number): Array<{ term: string; distance: number; documentFrequency: number }> {
    const found = this.radixTree().fuzzyGet(term, maxDistance);
    return [...found]
      .map(([key, [df, distance]]) => ({ term: key, distance, documentFrequency: df }))
      .sort((x, y) => x.distance - y.distance || y.documentFrequency - x.documentFrequency || (x.term < y.term ? -1 : 1));
  }

  /** The document frequency of each of `terms` that some live passage holds (one tree lookup each). */
  frequencies(terms: Iterable<string>): Map<string, number> {
    const tree = this.radixTree();
    const out = new Map<string, number>();
    for (const term of terms) {
      const df = tree.get(term);
      if (df !== undefined && df > 0) out.set(term, df);
    }
    return out;
  }

  /** Terms starting with `prefix`, most frequent first, at most `limit`. */
  withPrefix(prefix: string, limit: number): Array<{ term: string; documentFrequency: number }> {
    const out: Array<{ term: string; documentFrequency: number }> = [];
    for (const [term, df] of this.radixTree().atPrefix(prefix)) out.push({ term, documentFrequency: df });
    return out.sort((x, y) => y.documentFrequency - x.documentFrequency || (x.term < y.term ? -1 : 1)).slice(0, limit);
  }

  /**
   * Builds the radix tree ahead of the first fuzzy or prefix lookup, yielding to the event
   * loop every `termsPerStep` terms: a serving thread keeps answering meanwhile (at 100,000
   * passages the tree takes ~190 ms to build in one go).
   */
  async prepare(termsPerStep = 5000): Promise<void> {
    if (this.tree) return;
    const tree = new SearchableMap<number>();
    let count = 0;
    for (const [term, df] of this.liveTerms(tree)) {
      tree.set(term, df);
      if (++count % termsPerStep === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.tree ??= tree;
  }

  private radixTree(): SearchableMap<number> {
    if (this.tree) return this.tree;
    const tree = new SearchableMap<number>();
    for (const [term, df] of this.liveTerms(tree)) tree.set(term, df);
    this.tree = tree;
    return tree;
  }

  /** Every term some live passage holds, once (`seen` holds those already taken), with its document frequency. */
  private *liveTerms(seen: SearchableMap<number>): Generator<[string, number]> {
    for (const segment of this.segments) {
      for (let r = 0; r < segment.header.termCount; r++) {
        const term = segment.term(r);
        if (seen.has(term)) continue;
        const df = this.documentFrequency(term);
        if (df > 0) yield [term, df];
      }
    }
  }
}
