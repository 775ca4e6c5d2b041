/**
 * `VerbatimIndex`: the passage store plus the MiniSearch index over it. One class owns
 * both so they can never disagree; everything else asks it for passages and hits.
 */
import MiniSearch from 'minisearch';
import { Analyzer } from './analyzer.ts';
import type { FileRecord, Location, Passage } from './passage.ts';
import { DEFAULT_RANKING, type RankingOptions } from './ranking.ts';
import { foldWhitespace } from './text.ts';

interface IndexedDocument {
  id: number;
  text: string;
  title: string;
}

/** A file with freshly cut passages that have no ids yet. */
export type NewFileRecord = Omit<FileRecord, 'chunks'> & {
  chunks: Array<{ lines: [number, number]; text: string }>;
};

export interface ApplyResult {
  passagesAdded: number;
  passagesRemoved: number;
}

/** What `search` needs: analyzed terms and optional filters. See `parseQuery`. */
export interface SearchRequest {
  terms: string[];
  /** Keep only passages for which this returns true. */
  filter?: (passage: Passage) => boolean;
  /** How many hits at most. */
  limit: number;
  /** Override the index's ranking parameters for this search (evaluation, tuning). */
  ranking?: RankingOptions;
}

export interface Hit {
  passage: Passage;
  score: number;
  /** Query terms found in the passage. */
  matched: string[];
  /** Share of the query's IDF weight the passage matches, 0–1 (1 when the query has no weight). */
  coverage: number;
}

/** Serializable state; see `index-store.ts`. */
export interface IndexSnapshot {
  nextId: number;
  files: FileRecord[];
  miniSearchJson: string;
}

export class VerbatimIndex {
  readonly analyzer: Analyzer;
  readonly ranking: RankingOptions;
  private mini: MiniSearch<IndexedDocument>;
  private files = new Map<string, FileRecord>();
  private passages = new Map<number, Passage>();
  private nextId = 1;

  constructor(options: { analyzer?: Analyzer; ranking?: RankingOptions } = {}) {
    this.analyzer = options.analyzer ?? new Analyzer();
    this.ranking = options.ranking ?? DEFAULT_RANKING;
    this.mini = new MiniSearch<IndexedDocument>(miniSearchOptions(this.analyzer));
  }

  /** Restores an index saved with `snapshot()`. The analyzer must be the one it was built with. */
  static fromSnapshot(snapshot: IndexSnapshot, options: { analyzer?: Analyzer; ranking?: RankingOptions } = {}): VerbatimIndex {
    const index = new VerbatimIndex(options);
    index.mini = MiniSearch.loadJSON<IndexedDocument>(snapshot.miniSearchJson, miniSearchOptions(index.analyzer));
    index.nextId = snapshot.nextId;
    for (const file of snapshot.files) index.files.set(file.source, file);
    index.rebuildPassages();
    if (index.mini.documentCount !== index.passages.size) {
      throw new Error(`index holds ${index.mini.documentCount} passages, store holds ${index.passages.size}`);
    }
    return index;
  }

  snapshot(): IndexSnapshot {
    return { nextId: this.nextId, files: [...this.files.values()], miniSearchJson: JSON.stringify(this.mini) };
  }

  get passageCount(): number {
    return this.passages.size;
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** Sorted sources of the indexed files. */
  sources(): string[] {
    return [...this.files.keys()].sort();
  }

  file(source: string): FileRecord | undefined {
    return this.files.get(source);
  }

  passage(id: number): Passage | undefined {
    return this.passages.get(id);
  }

  /**
   * Replaces the given files (added or changed) and drops the removed ones, touching only
   * the passages whose text appears or disappears. Duplicate texts (after whitespace
   * folding) are indexed once, at their first place in source order.
   */
  apply(upserts: NewFileRecord[], removals: string[]): ApplyResult {
    const oldByKey = new Map<string, Passage>();
    for (const passage of this.passages.values()) oldByKey.set(foldWhitespace(passage.text), passage);

    for (const source of removals) this.files.delete(source);
    for (const file of upserts) {
      this.files.set(file.source, { ...file, chunks: file.chunks.map((chunk) => ({ ...chunk, id: 0 })) });
    }
    const ordered = [...this.files.values()].sort((a, b) => (a.source < b.source ? -1 : 1));
    this.files = new Map(ordered.map((file) => [file.source, file]));

    const idByKey = new Map<string, number>();
    let passagesAdded = 0;
    for (const file of ordered) {
      for (const chunk of file.chunks) {
        const key = foldWhitespace(chunk.text);
        let id = idByKey.get(key);
        if (id === undefined) {
          const old = oldByKey.get(key);
          if (old && old.title === file.title) {
            id = old.id;
            oldByKey.delete(key);
          } else {
            id = this.nextId++;
            this.mini.add({ id, text: chunk.text, title: file.title });
            passagesAdded++;
          }
          idByKey.set(key, id);
        }
        chunk.id = id;
      }
    }
    for (const stale of oldByKey.values()) this.mini.discard(stale.id);
    this.rebuildPassages();
    return { passagesAdded, passagesRemoved: oldByKey.size };
  }

  /**
   * Ranked passages for analyzed terms (OR semantics, BM25 over text and title, scaled as
   * MiniSearch does by the number of query terms matched, then by coverage).
   *
   * Hot path: MiniSearch's `search()` turns every matching passage into a result object and
   * sorts them all; a question about common words matches a large share of the corpus, and
   * we keep only a few. So we take its raw score map and keep the best `limit` as we go,
   * running the (possibly costly) filter only on passages that would make the cut.
   */
  search(request: SearchRequest): Hit[] {
    if (request.terms.length === 0 || request.limit <= 0) return [];
    const { k1, b, d, titleBoost, coverageExponent } = request.ranking ?? this.ranking;
    const raw = this.internals().executeQuery(request.terms.join(' '), { boost: { title: titleBoost }, bm25: { k: k1, b, d } });
    const weights = new Map(request.terms.map((term) => [term, this.idf(term)]));
    let totalWeight = 0;
    for (const weight of weights.values()) totalWeight += weight;

    const best: Hit[] = []; // descending by score, at most `limit`
    const documentIds = this.internals()._documentIds;
    for (const [shortId, result] of raw) {
      let matched = 0;
      for (const term of result.terms) matched += weights.get(term) ?? 0;
      const coverage = totalWeight > 0 ? matched / totalWeight : 1;
      let score = result.score * (result.terms.length || 1);
      if (coverageExponent > 0) score *= coverage ** coverageExponent;
      if (best.length === request.limit && score <= best[best.length - 1]!.score) continue;
      const passage = this.passages.get(documentIds.get(shortId)!);
      if (!passage || (request.filter && !request.filter(passage))) continue;
      // Binary insertion keeps `best` sorted; equal scores keep index order.
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (best[mid]!.score >= score) lo = mid + 1;
        else hi = mid;
      }
      best.splice(lo, 0, { passage, score, matched: result.terms, coverage });
      if (best.length > request.limit) best.pop();
    }
    return best;
  }

  /**
   * MiniSearch internals we rely on (version pinned in package.json): the raw score map of
   * a query, the short-id → id map, and the inverted index for document frequencies.
   */
  private internals() {
    return this.mini as unknown as {
      executeQuery(query: string, options: object): Map<number, { score: number; terms: string[] }>;
      _documentIds: Map<number, number>;
      _index: { get(term: string): Map<number, Map<number, number>> | undefined };
      _fieldIds: Record<string, number>;
    };
  }

  /**
   * Number of passages whose text contains `term`. MiniSearch has no public API for it;
   * its inverted index keeps a map per term and field, whose size is the answer.
   */
  documentFrequency(term: string): number {
    const { _index, _fieldIds } = this.internals();
    return _index.get(term)?.get(_fieldIds.text!)?.size ?? 0;
  }

  /** BM25 inverse document frequency of a term (highest for a term absent from the corpus). */
  idf(term: string): number {
    const n = this.passages.size;
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private rebuildPassages(): void {
    const passages = new Map<number, Passage>();
    for (const file of this.files.values()) {
      for (const chunk of file.chunks) {
        const existing = passages.get(chunk.id);
        if (existing) {
          existing.also.push({ source: file.source, lines: chunk.lines });
          continue;
        }
        passages.set(chunk.id, {
          id: chunk.id,
          source: file.source,
          lines: chunk.lines,
          text: chunk.text,
          title: file.title,
          also: [] as Location[],
        });
      }
    }
    this.passages = passages;
  }
}

/** Terms come analyzed from our own analyzer; at query time they arrive space-joined. */
function miniSearchOptions(analyzer: Analyzer) {
  return {
    fields: ['text', 'title'],
    storeFields: [],
    tokenize: (text: string) => analyzer.terms(text),
    processTerm: (term: string) => term,
    searchOptions: { tokenize: (query: string) => query.split(' ') },
    autoVacuum: true,
  };
}
