/**
 * `VerbatimIndex`: the passages of a corpus and the engine that searches them. It holds
 * one immutable generation (`src/engine/`); `apply` makes the next one, searches read the
 * current one, so a search never sees an index half-changed.
 */
import { Analyzer } from '../core/analyzer.ts';
import type { QuestionTerm } from '../core/answerability.ts';
import { buildSegments, buildSegmentsSync, type BuildOptions } from './build-pool.ts';
import { contextAt, Generation, headingField, NO_DELETIONS, type GenerationState } from './generation.ts';
import { exhaustiveSearch, searchSegments, type ScoringContext, type ScoringTerm, type SegmentQuery } from './scoring.ts';
import { TopK, type ScoredDoc } from './top-k.ts';
import { PostingCursor } from './postings.ts';
import { planWrite, type NewFile } from './writer.ts';
import { analyzedText, SECTION_SEPARATOR, type FileRecord, type Passage } from '../core/passage.ts';
import { DEFAULT_RANKING, type RankingOptions } from '../core/ranking.ts';
import { MAX_FILE_SCORE_PASSAGES, MAX_PHRASE_CHECKS, MAX_QUERY_TERMS } from '../core/options.ts';

/** A file with freshly cut passages that have no ids yet. */
export type NewFileRecord = NewFile;

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
  /** Keep only passages found in one of these files (`file:`); looked up, not filtered. */
  sources?: ReadonlySet<string>;
  /** Keep only these passages, by id (instead of `sources`): scores a few known passages as a question would. */
  passages?: readonly number[];
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
  /** Score every match instead of skipping with MaxScore: the reference the tests compare against. */
  exhaustive?: boolean;
}


export interface Hit {
  passage: Passage;
  score: number;
  /** Query terms found in the passage. */
  matched: string[];
  /** Share of the query's IDF weight the passage matches, 0–1 (1 when the query has no weight). */
  coverage: number;
}

/** The persisted and posted form of an index: one generation's state. */
export type IndexSnapshot = GenerationState;

export interface IndexOptions {
  analyzer?: Analyzer;
  ranking?: RankingOptions;
}

function emptyState(): GenerationState {
  // Passage ids start at 1: 0 never names a passage.
  return { nextId: 1, files: [], chunks: new Uint32Array(new SharedArrayBuffer(0)), segments: [], deleted: [], deletedStats: [] };
}

export class VerbatimIndex {
  readonly analyzer: Analyzer;
  readonly ranking: RankingOptions;
  private generation: Generation;

  constructor(options: IndexOptions = {}, state: GenerationState = emptyState()) {
    this.analyzer = options.analyzer ?? new Analyzer();
    this.ranking = options.ranking ?? DEFAULT_RANKING;
    this.generation = new Generation(state);
  }

  /** An index over a saved or posted generation. The analyzer must be the one it was built with. */
  static fromSnapshot(state: IndexSnapshot, options: IndexOptions = {}): VerbatimIndex {
    return new VerbatimIndex(options, state);
  }

  /** The current generation's state: what `saveSnapshot` writes and a worker posts. */
  snapshot(): IndexSnapshot {
    return this.generation.state;
  }

  get passageCount(): number {
    return this.generation.passageCount;
  }

  /** Average passage length in distinct terms (how BM25 counts a field's length here). */
  get averagePassageLength(): number {
    return this.generation.avgLenText;
  }

  get fileCount(): number {
    return this.generation.files.length;
  }

  /** Sorted sources of the indexed files. */
  sources(): string[] {
    return this.generation.files.map((file) => file.source);
  }

  /**
   * The folder every file is in (`docs/`, with its slash; '' when none): it names the corpus,
   * not a part of it. Sources are sorted, so it is the first and last ones' common folder.
   */
  rootFolder(): string {
    const files = this.generation.files;
    if (files.length === 0) return '';
    const first = files[0]!.source;
    const last = files[files.length - 1]!.source;
    let common = 0;
    while (common < first.length && first[common] === last[common]) common++;
    return first.slice(0, first.lastIndexOf('/', common - 1) + 1);
  }

  /**
   * A file's title as shown to people: with its folder when another file has the same
   * title (a docs tree has many "Introduction"s), `Introduction (voice/)`; with its path when
   * one in the same folder has it too (tldr's `jc.md` and `jc.json.md` are both "jc").
   */
  displayTitle(source: string): string | undefined {
    const generation = this.generation;
    const file = generation.file(source);
    if (!file) return undefined;
    const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1) || './';
    const inFolder = (title: string, path: string) => `${folderOf(path)}\0${title}`;
    if (this.titleCounts?.generation !== generation) {
      const counts = new Map<string, number>();
      for (const { title, source: path } of generation.files) {
        counts.set(title, (counts.get(title) ?? 0) + 1);
        counts.set(inFolder(title, path), (counts.get(inFolder(title, path)) ?? 0) + 1);
      }
      this.titleCounts = { generation, counts };
    }
    const counts = this.titleCounts.counts;
    if (counts.get(file.title)! < 2) return file.title;
    return `${file.title} (${counts.get(inFolder(file.title, source))! < 2 ? folderOf(source) : source})`;
  }

  private titleCounts?: { generation: Generation; counts: Map<string, number> };

  /** A file's identity and title, without its passages (cheap: no text is read). */
  fileInfo(source: string): Omit<FileRecord, 'chunks'> | undefined {
    const file = this.generation.file(source);
    if (!file) return undefined;
    const { chunkStart: _start, chunkEnd: _end, contexts: _contexts, ...meta } = file;
    return meta;
  }

  /** A file with its passages (texts read from the index). */
  file(source: string): FileRecord | undefined {
    const file = this.generation.file(source);
    if (!file) return undefined;
    const { chunkStart, chunkEnd, contexts: _, ...meta } = file;
    const chunks: FileRecord['chunks'] = [];
    for (let c = chunkStart; c < chunkEnd; c++) {
      const id = this.generation.state.chunks[3 * c]!;
      const context = contextAt(file, c - chunkStart);
      const { text = '', markup } = this.generation.passage(id) ?? {};
      chunks.push({
        id,
        lines: this.generation.chunkLocation(c).lines,
        text,
        ...(markup ? { markup } : {}),
        ...(context?.section !== undefined ? { section: context.section } : {}),
        ...(context?.code !== undefined ? { code: { lang: context.code } } : {}),
        ...(context?.tableHeader ? { tableHeader: context.tableHeader } : {}),
      });
    }
    return { ...meta, chunks };
  }

  passage(id: number): Passage | undefined {
    return this.generation.passage(id);
  }

  /** The passage right after `id`'s place in its file (see `Generation.passageAfter`). */
  passageAfter(id: number): Passage | undefined {
    return this.generation.passageAfter(id);
  }

  /** The passage right before `id`'s place in its file (see `Generation.passageBefore`). */
  passageBefore(id: number): Passage | undefined {
    return this.generation.passageBefore(id);
  }

  /**
   * A file's outline without reading its text: its first `maxRuns` runs of passages that
   * share a section path and a kind, in file order, each with the ids of its first `limit`
   * passages (`section` is `''` above the first heading; `prose` is false for code and table rows).
   */
  fileOutline(source: string, maxRuns: number): Array<{ section: string; prose: boolean; ids: (limit: number) => number[] }> | undefined {
    const file = this.generation.file(source);
    if (!file || file.chunkEnd <= file.chunkStart) return undefined;
    const ids = (from: number, to: number) => (limit: number) =>
      Array.from({ length: Math.min(limit, to - from) }, (_, i) => this.generation.state.chunks[3 * (file.chunkStart + from + i)]!);
    const length = file.chunkEnd - file.chunkStart;
    if (!file.contexts) return [{ section: '', prose: true, ids: ids(0, length) }];
    const runs = file.contexts.slice(0, maxRuns + 1);
    return runs.slice(0, maxRuns).map((run, r) => ({ section: run.section ?? '', prose: run.code === undefined && !run.tableHeader, ids: ids(run.from, runs[r + 1]?.from ?? length) }));
  }

  /**
   * Replaces the given files (added or changed) and drops the removed ones, indexing only
   * the passages whose text is new. Duplicate texts (after whitespace folding) are indexed
   * once, at their first place in source order. Builds on this thread; see `applyAsync`.
   */
  apply(upserts: readonly NewFileRecord[], removals: readonly string[]): ApplyResult {
    const plan = planWrite(this.generation, upserts, removals, this.analyzer);
    const { state, passagesAdded, passagesRemoved } = plan.finish(buildSegmentsSync(plan.batch, this.analyzer));
    this.generation = new Generation(state);
    return { passagesAdded, passagesRemoved };
  }

  /** As `apply`, building large batches on worker threads (one per core; see `BuildOptions`). */
  async applyAsync(upserts: readonly NewFileRecord[], removals: readonly string[], build: BuildOptions = {}): Promise<ApplyResult> {
    const plan = planWrite(this.generation, upserts, removals, this.analyzer);
    const { state, passagesAdded, passagesRemoved } = plan.finish(await buildSegments(plan.batch, this.analyzer, build));
    this.generation = new Generation(state);
    return { passagesAdded, passagesRemoved };
  }

  /**
   * Ranked passages for analyzed terms: OR semantics, BM25 over text and title with
   * coordination (see `engine/scoring.ts`), best first. Only the best `limit` are kept
   * and MaxScore skips what cannot reach them. Exclusions and the words a phrase needs are
   * checked in the postings; the word-by-word phrase check reads passage text, best
   * candidates first, at most `MAX_PHRASE_CHECKS` of them.
   */
  search(request: SearchRequest): Hit[] {
    if (request.terms.length === 0 || request.limit <= 0) return [];
    const generation = this.generation;
    const params = request.ranking ?? this.ranking;
    const kept = this.rarest(this.lookUp(request.terms));
    const terms = kept.map(({ term }) => term);
    const lookups = kept.map(({ lookup }) => lookup);
    const ctx = this.scoringContext(kept, request.termFrequency, params);

    const excluded = (request.exclude ?? []).map((term) => generation.dictionary.lookup(term));
    const phrases = (request.phrases ?? []).filter((words) => words.length > 0);
    const phraseTerms = [...new Set(phrases.flatMap((words) => words.map((word) => this.analyzer.term(word)).filter(Boolean)))];
    const required = phraseTerms.map((term) => generation.dictionary.lookup(term));
    if (phraseTerms.some((term, i) => generation.frequenciesAt(term, required[i]!)[0] === 0)) return []; // a phrase word occurs nowhere
    const allowed = request.passages ? this.docsOf(request.passages) : request.sources ? this.allowedDocs(request.sources) : undefined;

    const queries: SegmentQuery[] = [];
    generation.segments.forEach((segment, s) => {
      if (required.some((lookup) => lookup[s]! < 0)) return;
      if (allowed && allowed[s]!.length === 0) return;
      queries.push({
        segment,
        deleted: generation.state.deleted[s],
        termIndexes: Int32Array.from(lookups, (lookup) => lookup[s]!),
        excluded: excluded.map((lookup) => lookup[s]!).filter((r) => r >= 0),
        required: required.map((lookup) => lookup[s]!),
        ...(allowed ? { allowed: allowed[s]! } : {}),
      });
    });
    // With phrases, the best `MAX_PHRASE_CHECKS` candidates are kept for the text check.
    const keep = phrases.length ? MAX_PHRASE_CHECKS : request.limit;
    let best: ScoredDoc[];
    if (request.exhaustive) best = exhaustiveSearch(queries, ctx, keep);
    else {
      const top = new TopK(keep);
      searchSegments(queries, ctx, top);
      best = top.docs;
    }
    const hits: Hit[] = [];
    const wanted = phrases.map((words) => ` ${words.join(' ')} `);
    // Each heading path's words, read once per search: a section's passages share it.
    const headingWords = new Map<string, string[]>();
    const headingsOf = (passage: Passage) => {
      const field = headingField(generation.file(passage.source)?.title ?? '', passage.section);
      let headings = headingWords.get(field);
      if (!headings) headingWords.set(field, (headings = field.split(SECTION_SEPARATOR).map((heading) => ` ${this.analyzer.words(heading).join(' ')} `)));
      return headings;
    };
    for (const doc of best) {
      if (hits.length >= request.limit) break;
      const passage = generation.passage(doc.id);
      if (!passage) continue;
      if (wanted.length) {
        // A phrase in the passage's text, or in one of the headings it stands under (a pasted
        // error that is a troubleshooting page's heading: the section under it is about it).
        const text = this.phraseText(passage);
        if (!wanted.every((phrase) => text.includes(phrase) || headingsOf(passage).some((heading) => heading.includes(phrase)))) continue;
      }
      hits.push({ passage, score: doc.score, matched: terms.filter((_, i) => (doc.matched & (1 << i)) !== 0), coverage: doc.coverage });
    }
    return hits;
  }

  /**
   * A live passage whose text has `words` side by side (normalized words, as `Analyzer.words`
   * gives them) and that `accept` takes, among the first `checks` passages that have all their
   * terms, in index order; none when those lack it. It walks the rarest term's postings and
   * leaps through the others', scoring nothing: a check costs as little on common words as on
   * rare ones, where a ranked phrase search over two common words scores every passage that
   * has both.
   */
  passageWithPhrase(words: readonly string[], checks: number, accept: (passage: Passage) => boolean = () => true): Passage | undefined {
    const terms = words.map((word) => this.analyzer.term(word));
    if (terms.length === 0 || terms.some((term) => !term)) return undefined;
    const generation = this.generation;
    const lookups = terms.map((term) => generation.dictionary.lookup(term));
    const wanted = ` ${words.join(' ')} `;
    let checked = 0;
    for (let s = 0; s < generation.segments.length && checked < checks; s++) {
      const a = generation.segments[s]!.arrays;
      const runs = lookups.map((lookup) => lookup[s]!);
      if (runs.some((r) => r < 0)) continue;
      const cursors = runs.map((r) => new PostingCursor(a.docs, a.postingStarts[r]!, a.postingStarts[r + 1]!));
      const length = (c: PostingCursor) => c.end - c.pos;
      const [lead, ...rest] = cursors.sort((x, y) => length(x) - length(y));
      const deleted = generation.state.deleted[s];
      for (let at = lead!.pos; at < lead!.end && checked < checks; at++) {
        const doc = a.docs[at]!;
        if ((deleted !== undefined && deleted[doc] === 1) || !rest.every((cursor) => cursor.advance(doc) === doc)) continue;
        const passage = generation.passage(a.ids[doc]!);
        if (!passage) continue;
        checked++;
        if (this.phraseText(passage).includes(wanted) && accept(passage)) return passage;
      }
    }
    return undefined;
  }

  /** A passage's normalized words, space-separated and space-padded: a phrase (` a b `) is a substring of it. */
  private phraseText(passage: Passage): string {
    return ` ${this.analyzer.words(analyzedText(passage.text, passage.markup)).join(' ')} `;
  }

  /** Each term with its per-segment dictionary indexes and live [text, title] document frequencies. */
  private lookUp(terms: readonly string[]): Array<{ term: string; lookup: Int32Array; frequencies: [number, number] }> {
    const generation = this.generation;
    return terms.map((term) => {
      const lookup = generation.dictionary.lookup(term);
      return { term, lookup, frequencies: generation.frequenciesAt(term, lookup) };
    });
  }

  /** BM25 weights of the kept terms (IDFs per field, the query's term frequencies) and field averages. */
  private scoringContext(kept: ReadonlyArray<{ term: string; frequencies: [number, number] }>, termFrequency: ReadonlyMap<string, number> | undefined, params: RankingOptions): ScoringContext {
    const scoring: ScoringTerm[] = kept.map(({ term, frequencies: [text, title] }) => {
      const idfText = this.idfOf(text);
      return { boost: termFrequency?.get(term) ?? 1, idfText, idfTitle: this.idfOf(title), weight: idfText };
    });
    return {
      params,
      terms: scoring,
      totalWeight: scoring.reduce((sum, term) => sum + term.weight, 0),
      avgLenText: this.generation.avgLenText,
      avgLenTitle: this.generation.avgLenTitle,
    };
  }

  /** Per segment, the ascending local docs of passages with a place in one of `sources`. */
  private allowedDocs(sources: ReadonlySet<string>): Uint32Array[] {
    const ids: number[] = [];
    for (const source of sources) {
      const file = this.generation.file(source);
      if (file) for (const id of this.generation.chunkIds(file)) ids.push(id);
    }
    return this.docsOf(ids);
  }

  /** Per segment, the ascending local docs of the passages `ids` (repeats and unknown ids ignored). */
  private docsOf(ids: Iterable<number>): Uint32Array[] {
    const perSegment: number[][] = this.generation.segments.map(() => []);
    const seen = new Set<number>();
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const at = this.generation.locate(id);
      if (at) perSegment[at.segment]!.push(at.local);
    }
    return perSegment.map((docs) => Uint32Array.from(docs).sort());
  }

  /** The `MAX_QUERY_TERMS` rarest terms (lowest text document frequency), in their original order. */
  private rarest<T extends { frequencies: [number, number] }>(terms: T[]): T[] {
    if (terms.length <= MAX_QUERY_TERMS) return terms;
    const keep = new Set(
      terms
        .map((term, i) => ({ i, df: term.frequencies[0] }))
        .sort((x, y) => x.df - y.df || x.i - y.i)
        .slice(0, MAX_QUERY_TERMS)
        .map(({ i }) => i),
    );
    return terms.filter((_, i) => keep.has(i));
  }

  /**
   * BM25 of each source as one whole document for the weighted terms (0 for a source that
   * is not indexed): a file's term frequencies and length are its passages' sums, and its
   * IDF is over files (`file-frequencies.ts`).
   */
  fileScores(termFrequency: ReadonlyMap<string, number>, sources: readonly string[], ranking: RankingOptions = this.ranking): number[] {
    const generation = this.generation;
    const kept = this.rarest(this.lookUp([...termFrequency.keys()]).filter(({ frequencies }) => frequencies[0] > 0));
    const lookups = kept.map(({ lookup }) => lookup);
    // IDF over files: a term on every page of one file is rare among files.
    const files = generation.files.length;
    const weights = kept.map(({ term, lookup }) => {
      const df = generation.fileFrequencyAt(lookup);
      return (termFrequency.get(term) ?? 1) * Math.log(1 + (files - df + 0.5) / (df + 0.5));
    });
    const passages = sources.reduce((sum, source) => {
      const file = generation.file(source);
      return sum + (file ? file.chunkEnd - file.chunkStart : 0);
    }, 0);
    if (passages > MAX_FILE_SCORE_PASSAGES) return sources.map(() => 0);
    const { k1, b, fileTitleWeight } = ranking;
    const average = generation.avgFileLength || 1;
    return sources.map((source) => {
      const stats = kept.length ? generation.fileTermFrequencies(source, lookups) : undefined;
      if (!stats) return 0;
      const norm = k1 * (1 - b + (b * stats.length) / average);
      let score = 0;
      stats.text.forEach((text, i) => {
        const tf = text + fileTitleWeight * stats.title[i]!;
        if (tf > 0) score += (weights[i]! * tf * (k1 + 1)) / (tf + norm);
      });
      return score;
    });
  }

  /** Whether some live passage has `term` in its text or its headings (a word only a heading uses is the corpus's too). */
  hasTerm(term: string): boolean {
    const [text, title] = this.generation.documentFrequencies(term);
    return text > 0 || title > 0;
  }

  /** Number of live passages whose text contains `term`. */
  documentFrequency(term: string): number {
    return this.generation.documentFrequencies(term)[0];
  }

  /** BM25 inverse document frequency of a term (highest for a term absent from the corpus). */
  idf(term: string): number {
    return this.idfOf(this.documentFrequency(term));
  }

  /** The IDF of a term in no passage: the most a term can weigh. */
  maxIdf(): number {
    return this.idfOf(0);
  }

  /**
   * Each term with its document frequency and IDF (for the answerability signals); those in
   * `english` are marked as English words (the rest are names and jargon).
   */
  questionTerms(terms: readonly string[], english: ReadonlySet<string> = new Set()): QuestionTerm[] {
    return terms.map((term) => {
      const df = this.documentFrequency(term);
      return { term, df, idf: this.idfOf(df), ...(english.has(term) ? { english: true } : {}) };
    });
  }

  private idfOf(df: number): number {
    const n = this.generation.passageCount;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Makes the first typo-tolerant question fast: builds the fuzzy term dictionary in steps
   * that leave the event loop free between them. Call it when an index starts serving.
   */
  prepareFuzzyLookups(): Promise<void> {
    return this.generation.dictionary.prepare();
  }

  /** Corpus terms within `maxDistance` edits of `term` (typo tolerance), closest first. */
  similarTerms(term: string, maxDistance: number) {
    return this.generation.dictionary.similar(term, maxDistance);
  }

  /** Which of `terms` the corpus has, with their document frequencies (typo tolerance's candidates). */
  termFrequencies(terms: Iterable<string>): Map<string, number> {
    return this.generation.dictionary.frequencies(terms);
  }

  /** Corpus terms starting with `prefix`, most frequent first. */
  termsWithPrefix(prefix: string, limit = 10) {
    return this.generation.dictionary.withPrefix(prefix, limit);
  }

  /** Bytes of the shared buffers the index lives in (segments, chunk table, bitmaps, lookups): outside the JS heap. */
  get bufferBytes(): number {
    const { segments, chunks, deleted, lookups } = this.generation.state;
    let bytes = chunks.byteLength;
    for (const segment of segments) bytes += segment.buffer.byteLength;
    for (const bitmap of deleted) bytes += bitmap?.byteLength ?? 0;
    if (lookups) for (const array of Object.values(lookups).flat()) bytes += array.byteLength;
    return bytes;
  }

  /** Segment count and deleted passages, for reports and tests. */
  get segmentStats(): { segments: number; deletedPassages: number } {
    const stats = this.generation.state.deletedStats;
    return { segments: this.generation.segments.length, deletedPassages: stats.reduce((sum, s) => sum + (s ?? NO_DELETIONS).docs, 0) };
  }
}
