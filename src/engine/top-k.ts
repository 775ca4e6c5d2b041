/** The k best passages of a search as it runs: what MaxScore must beat (`threshold`). */

export interface ScoredDoc {
  /** Global passage id. */
  id: number;
  score: number;
  /** Bit i set when query term i matched. */
  matched: number;
  /** Matched share of the query's weight, 0–1 (1 when the query has no weight). */
  coverage: number;
}

/** The best `k` scored docs, descending by score, equal scores by ascending id. */
export class TopK {
  readonly docs: ScoredDoc[] = [];
  constructor(readonly k: number) {}

  /** Lowest score that can still enter, or -Infinity while there is room. */
  get threshold(): number {
    return this.docs.length < this.k ? -Infinity : this.docs[this.k - 1]!.score;
  }

  accepts(score: number, id: number): boolean {
    if (this.docs.length < this.k) return true;
    const last = this.docs[this.k - 1]!;
    return score > last.score || (score === last.score && id < last.id);
  }

  insert(doc: ScoredDoc): void {
    const docs = this.docs;
    let lo = 0;
    let hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = docs[mid]!;
      if (other.score > doc.score || (other.score === doc.score && other.id < doc.id)) lo = mid + 1;
      else hi = mid;
    }
    docs.splice(lo, 0, doc);
    if (docs.length > this.k) docs.pop();
  }
}
