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
  /** Distinct analyzed terms (at most `MAX_QUERY_TERMS` are used: the rarest). */
  terms: string[];
  /** How often each term was asked for (query term frequency); 1 when absent. */
  termFrequency?: ReadonlyMap<string, number>;
  /** Keep only passages for which this returns true. Must be cheap: it may run on every match. */
  filter?: (passage: Passage) => boolean;
  /** Drop passages whose text contains any of these terms (looked up in the postings). */
  exclude?: readonly string[];
  /**
   * Keep only passages whose text contains each phrase (normalized words, as
   * `Analyzer.words` gives them). Checked on the best-scoring candidates only, at most
   * `MAX_PHRASE_CHECKS` of them, so a phrase that matches nothing stays cheap.
   */
  phrases?: ReadonlyArray<readonly string[]>;
  /** How many hits at most. */
  limit: number;
  /** Override the index's ranking parameters for this search (evaluation, tuning). */
  ranking?: RankingOptions;
}

/**
 * A question's cost grows with its distinct terms (each one walks a postings list), so a
 * search uses at most this many: the rarest ones, which carry the most weight. A 1,000-
 * character question rarely has more than 60 distinct words.
 */
export const MAX_QUERY_TERMS = 32;
/** Passages checked word by word for `"phrases"`, best-scoring first, before giving up. */
export const MAX_PHRASE_CHECKS = 2000;

export interface Hit {
  passage: Passage;
  score: number;
  /** Query terms found in the passage. */
  matched: string[];
  /** Share of the query's IDF weight the passage matches, 0–1 (1 when the query has no weight). */
  coverage: number;
}

/**
 * An index on its way from a worker thread to the thread that serves it, in pieces small
 * enough that receiving each one (structured-clone deserialization) is a short task: the
 * receiving thread keeps answering between pieces. See `transferParts` / `fromTransfer`.
 */
export type TransferPart =
  | { kind: 'files'; nextId: number; files: FileRecord[] }
  | { kind: 'mini-head'; head: Omit<MiniSearchJs, 'documentIds' | 'fieldLength' | 'storedFields' | 'index'> }
  | { kind: 'mini-map'; field: 'documentIds' | 'fieldLength' | 'storedFields'; entries: Array<[string, unknown]> }
  | { kind: 'mini-index'; entries: MiniSearchJs['index'] };

type MiniSearchJs = ReturnType<MiniSearch['toJSON']>;

/** Pieces of about this many entries (passages, terms, map entries) each. */
const TRANSFER_BATCH = 2000;

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

  /** The index as a sequence of small messages for another thread (see `TransferPart`). */
  *transferParts(): Generator<TransferPart> {
    let batch: FileRecord[] = [];
    let size = 0;
    for (const file of this.files.values()) {
      batch.push(file);
      size += file.chunks.length + 1;
      if (size >= TRANSFER_BATCH) {
        yield { kind: 'files', nextId: this.nextId, files: batch };
        batch = [];
        size = 0;
      }
    }
    yield { kind: 'files', nextId: this.nextId, files: batch };
    const { documentIds, fieldLength, storedFields, index, ...head } = this.mini.toJSON();
    yield { kind: 'mini-head', head };
    for (const [field, object] of [['documentIds', documentIds], ['fieldLength', fieldLength], ['storedFields', storedFields]] as const) {
      const entries = Object.entries(object);
      for (let i = 0; i < entries.length; i += TRANSFER_BATCH) yield { kind: 'mini-map', field, entries: entries.slice(i, i + TRANSFER_BATCH) };
    }
    for (let i = 0; i < index.length; i += TRANSFER_BATCH) yield { kind: 'mini-index', entries: index.slice(i, i + TRANSFER_BATCH) };
  }

  /**
   * Rebuilds an index from `transferParts` received from another thread, yielding to the
   * event loop as it goes (MiniSearch's `loadJSAsync`), so the receiving thread is never
   * blocked for long: it neither re-reads the files on disk nor re-analyzes anything.
   */
  static async fromTransfer(parts: readonly TransferPart[], options: { analyzer?: Analyzer; ranking?: RankingOptions } = {}): Promise<VerbatimIndex> {
    const index = new VerbatimIndex(options);
    const maps: Record<'documentIds' | 'fieldLength' | 'storedFields', Record<string, unknown>> = { documentIds: {}, fieldLength: {}, storedFields: {} };
    const terms: MiniSearchJs['index'] = [];
    let head: TransferPart & { kind: 'mini-head' } | undefined;
    for (const part of parts) {
      if (part.kind === 'files') {
        index.nextId = part.nextId;
        for (const file of part.files) index.files.set(file.source, file);
      } else if (part.kind === 'mini-head') head = part;
      else if (part.kind === 'mini-map') for (const [key, value] of part.entries) maps[part.field][key] = value;
      else for (const entry of part.entries) terms.push(entry);
      await yieldToEventLoop();
    }
    if (!head) throw new Error('index transfer is incomplete');
    const js = { ...head.head, ...maps, index: terms } as MiniSearchJs;
    index.mini = await MiniSearch.loadJSAsync<IndexedDocument>(js, miniSearchOptions(index.analyzer));
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
   * we keep only a few. So we take its raw score map and keep the best `limit` as we go.
   * Exclusions and the words a phrase needs are looked up in the postings (constant time
   * per passage); only the word-by-word phrase check reads passage text, and it runs on the
   * best candidates first, at most `MAX_PHRASE_CHECKS` of them.
   */
  search(request: SearchRequest): Hit[] {
    if (request.terms.length === 0 || request.limit <= 0) return [];
    const { k1, b, d, titleBoost, coverageExponent } = request.ranking ?? this.ranking;
    const terms = this.rarest(request.terms, MAX_QUERY_TERMS);
    const frequency = request.termFrequency;
    const raw = this.internals().executeQuery(terms.join(' '), {
      boost: { title: titleBoost },
      bm25: { k: k1, b, d },
      // Repeats were folded into one term; their weight is kept as Lucene keeps it.
      ...(frequency ? { boostTerm: (term: string) => frequency.get(term) ?? 1 } : {}),
    });
    const weights = new Map(terms.map((term) => [term, this.idf(term)]));
    let totalWeight = 0;
    for (const weight of weights.values()) totalWeight += weight;

    const excluded = (request.exclude ?? []).map((term) => this.textPostings(term)).filter((p) => p !== undefined);
    const phrases = (request.phrases ?? []).filter((words) => words.length > 0);
    const phraseTerms = new Set(phrases.flatMap((words) => words.map((word) => this.analyzer.term(word)).filter(Boolean)));
    const required = [...phraseTerms].map((term) => this.textPostings(term));
    if (required.some((postings) => postings === undefined)) return []; // a phrase word occurs nowhere

    const documentIds = this.internals()._documentIds;
    // With phrases, the best `MAX_PHRASE_CHECKS` candidates are kept for the text check.
    const keep = phrases.length ? MAX_PHRASE_CHECKS : request.limit;
    const best: Hit[] = []; // descending by score (equal scores in index order), at most `keep`
    for (const [shortId, result] of raw) {
      if (excluded.some((postings) => postings.has(shortId))) continue;
      if (required.some((postings) => !postings!.has(shortId))) continue;
      let matched = 0;
      for (const term of result.terms) matched += weights.get(term) ?? 0;
      const coverage = totalWeight > 0 ? matched / totalWeight : 1;
      let score = result.score * (result.terms.length || 1);
      if (coverageExponent > 0) score *= coverage ** coverageExponent;
      if (best.length === keep && score <= best[keep - 1]!.score) continue;
      const passage = this.passages.get(documentIds.get(shortId)!);
      if (!passage || (request.filter && !request.filter(passage))) continue;
      insertBounded(best, { passage, score, matched: result.terms, coverage }, keep);
    }
    if (!phrases.length) return best;

    // Phrases: the word-by-word check, best candidates first, until `limit` pass.
    const wanted = phrases.map((words) => ` ${words.join(' ')} `);
    const hits: Hit[] = [];
    for (let i = 0; i < best.length && hits.length < request.limit; i++) {
      const text = ` ${this.analyzer.words(best[i]!.passage.text).join(' ')} `;
      if (wanted.every((phrase) => text.includes(phrase))) hits.push(best[i]!);
    }
    return hits;
  }

  /** The `max` terms with the highest IDF (the rarest), in their original order. */
  private rarest(terms: readonly string[], max: number): string[] {
    if (terms.length <= max) return [...terms];
    const keep = new Set(
      terms
        .map((term, i) => ({ term, i, idf: this.idf(term) }))
        .sort((x, y) => y.idf - x.idf || x.i - y.i)
        .slice(0, max)
        .map(({ term }) => term),
    );
    return terms.filter((term) => keep.has(term));
  }

  /** Short ids of the passages whose text contains `term` (MiniSearch's postings map). */
  private textPostings(term: string): Map<number, number> | undefined {
    const { _index, _fieldIds } = this.internals();
    return _index.get(term)?.get(_fieldIds.text!);
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
    return this.textPostings(term)?.size ?? 0;
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

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Binary insertion into `best` (descending by score), dropping what falls past `limit`. */
function insertBounded(best: Hit[], hit: Hit, limit: number): void {
  let lo = 0;
  let hi = best.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (best[mid]!.score >= hit.score) lo = mid + 1;
    else hi = mid;
  }
  best.splice(lo, 0, hit);
  if (best.length > limit) best.pop();
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
