/**
 * One generation of the index: the immutable segments it reads, which of their passages
 * are deleted, and where every passage sits in the corpus (files and their chunks).
 *
 * A generation is never changed once built: the writer makes the next one (sharing the
 * segments that did not change) and the serving thread swaps it in whole. Everything
 * large lives in shared typed arrays, so a generation crosses threads without a copy
 * (`GenerationState` is what is posted or saved); the lookups derived from it here are a
 * few linear passes over those arrays.
 */
import type { Location, Passage, TableHeader } from '../core/passage.ts';
import { TermDictionary } from './dictionary.ts';
import { fileFrequencies, rememberFileFrequencies, textFrequencyIn } from './file-frequencies.ts';
import { advanceTo } from './postings.ts';
import type { Segment } from './segment-format.ts';

export interface GenerationFile {
  source: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  title: string;
  /** This file's chunks are `[chunkStart, chunkEnd)` of the generation's chunk table. */
  chunkStart: number;
  chunkEnd: number;
  /** Markdown: sections and code runs of its chunks, in order (absent for plain text). */
  contexts?: ChunkContext[];
}

/**
 * From the file's chunk `from` (0-based within the file) on, until the next context: the
 * section those chunks are under, whether they are code (their language, `''` when the
 * fence names none), and the header row of the table they are rows of. Sections change a
 * few times per file, so runs are compact.
 */
export interface ChunkContext {
  from: number;
  section?: string;
  code?: string;
  tableHeader?: TableHeader;
}

/** The runs of `contexts` for a file's chunks, or undefined when none has a section or code. */
export function contextsOf(chunks: ReadonlyArray<{ section?: string; code?: { lang: string }; tableHeader?: TableHeader }>): ChunkContext[] | undefined {
  const runs: ChunkContext[] = [];
  chunks.forEach((chunk, i) => {
    const last = runs.at(-1);
    const code = chunk.code?.lang;
    const header = chunk.tableHeader;
    if (last && last.section === chunk.section && last.code === code && last.tableHeader?.line === header?.line) return;
    runs.push({
      from: i,
      ...(chunk.section !== undefined ? { section: chunk.section } : {}),
      ...(code !== undefined ? { code } : {}),
      ...(header ? { tableHeader: { line: header.line, text: header.text } } : {}),
    });
  });
  return runs.some((run) => run.section !== undefined || run.code !== undefined || run.tableHeader !== undefined) ? runs : undefined;
}

/** The context of a file's chunk `i` (0-based within the file). */
export function contextAt(file: Pick<GenerationFile, 'contexts'>, i: number): ChunkContext | undefined {
  const runs = file.contexts;
  if (!runs) return undefined;
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid]!.from <= i) lo = mid;
    else hi = mid - 1;
  }
  return runs[lo]!.from <= i ? runs[lo] : undefined;
}

/**
 * The text of a passage's boosted field: its document's title and the headings above it,
 * so that a question naming a section finds the passages under it.
 */
export function headingField(title: string, section: string | undefined): string {
  return section ? `${title} › ${section}` : title;
}

/**
 * What the deleted passages of a segment still count for in its statistics, so that
 * global statistics are exactly those of the live passages (as after a full rebuild).
 */
/** See `Generation.fileTermFrequencies`: per query term, its frequency in the file's text and title. */
export interface FileTermFrequencies {
  length: number;
  text: number[];
  title: number[];
}

/** Files whose sorted passage places a generation keeps (`fileTermFrequencies`). */
const KEPT_FILE_PLACES = 64;

export interface DeletedStats {
  docs: number;
  lenText: number;
  lenTitle: number;
  /** term → [text df, title df] among the deleted passages (a Map: terms are user text). */
  df: ReadonlyMap<string, readonly [number, number]>;
}

export const NO_DELETIONS: DeletedStats = Object.freeze({ docs: 0, lenText: 0, lenTitle: 0, df: new Map() });

/** A generation as plain data: what is saved, and what is posted between threads. */
export interface GenerationState {
  nextId: number;
  /** Sorted by source. */
  files: GenerationFile[];
  /** Three words per chunk (file order): passage id, first line, last line. Shared. */
  chunks: Uint32Array;
  segments: Segment[];
  /** Per segment: 1 per deleted local doc (shared), or undefined when none is deleted. */
  deleted: Array<Uint8Array | undefined>;
  deletedStats: DeletedStats[];
  /**
   * Lookups derived from the above (see `Generation`), kept with the state once computed so
   * that the thread a generation is posted to does not compute them again: at a million
   * passages that is ~100 ms the serving thread would be blocked.
   */
  lookups?: GenerationLookups;
}

export interface GenerationLookups {
  /** Per passage id: its segment (-1 when not live) and local doc. */
  docSegment: Int32Array;
  docLocal: Uint32Array;
  /** Per passage id: its first chunk (-1 when none); per chunk: the next chunk of the same passage. */
  firstChunk: Int32Array;
  nextChunk: Int32Array;
  /** Per chunk: index of its file. */
  chunkFile: Uint32Array;
  /** Per file: the sum of its chunks' text lengths (a whole-file BM25 length). */
  fileLength: Float64Array;
  /** Per segment, per term: the files among its live passages holding the term (`file-frequencies.ts`). */
  fileDf: Uint32Array[];
}

function shared<T extends Int32Array | Uint32Array>(make: new (buffer: SharedArrayBuffer) => T, length: number): T {
  return new make(new SharedArrayBuffer(4 * length));
}

/** One pass over the segments and one over the chunk table. */
function deriveLookups(state: GenerationState): GenerationLookups {
  const { nextId, segments, deleted, chunks, files } = state;
  const docSegment = shared(Int32Array, nextId).fill(-1);
  const docLocal = shared(Uint32Array, nextId);
  segments.forEach((segment, s) => {
    const ids = segment.arrays.ids;
    const gone = deleted[s];
    for (let local = 0; local < segment.docCount; local++) {
      if (gone?.[local] === 1) continue;
      docSegment[ids[local]!] = s;
      docLocal[ids[local]!] = local;
    }
  });
  const chunkCount = chunks.length / 3;
  const firstChunk = shared(Int32Array, nextId).fill(-1);
  const nextChunk = shared(Int32Array, chunkCount).fill(-1);
  const lastChunk = new Int32Array(nextId).fill(-1);
  for (let c = 0; c < chunkCount; c++) {
    const id = chunks[3 * c]!;
    if (firstChunk[id] === -1) firstChunk[id] = c;
    else nextChunk[lastChunk[id]!] = c;
    lastChunk[id] = c;
  }
  const chunkFile = shared(Uint32Array, chunkCount);
  files.forEach((file, f) => chunkFile.fill(f, file.chunkStart, file.chunkEnd));
  const fileLength = new Float64Array(new SharedArrayBuffer(8 * files.length));
  files.forEach((file, f) => {
    let length = 0;
    for (let c = file.chunkStart; c < file.chunkEnd; c++) {
      const id = chunks[3 * c]!;
      if (docSegment[id] !== -1) length += segments[docSegment[id]!]!.arrays.lenText[docLocal[id]!]!;
    }
    fileLength[f] = length;
  });
  const fileDf = fileFrequencies(segments, deleted, firstChunk, chunkFile);
  return { docSegment, docLocal, firstChunk, nextChunk, chunkFile, fileLength, fileDf };
}

export class Generation {
  readonly dictionary: TermDictionary;
  /** Live passages. */
  readonly passageCount: number;
  readonly avgLenText: number;
  readonly avgLenTitle: number;
  /** Average `fileLength` over the files. */
  readonly avgFileLength: number;
  private readonly docSegment: Int32Array;
  private readonly docLocal: Uint32Array;
  private readonly firstChunk: Int32Array;
  private readonly nextChunk: Int32Array;
  private readonly chunkFile: Uint32Array;
  private readonly fileLength: Float64Array;
  private readonly fileIndex: Map<string, number>;

  constructor(readonly state: GenerationState) {
    const { segments, deletedStats, files } = state;
    if (state.lookups) rememberFileFrequencies(segments, state.deleted, state.lookups.fileDf);
    state.lookups ??= deriveLookups(state);
    ({ docSegment: this.docSegment, docLocal: this.docLocal, firstChunk: this.firstChunk, nextChunk: this.nextChunk, chunkFile: this.chunkFile, fileLength: this.fileLength } = state.lookups);
    let live = 0;
    let lenText = 0;
    let lenTitle = 0;
    segments.forEach((segment, s) => {
      live += segment.docCount - deletedStats[s]!.docs;
      lenText += segment.header.totalLenText - deletedStats[s]!.lenText;
      lenTitle += segment.header.totalLenTitle - deletedStats[s]!.lenTitle;
    });
    this.passageCount = live;
    this.avgLenText = live > 0 ? lenText / live : 0;
    this.avgLenTitle = live > 0 ? lenTitle / live : 0;
    this.avgFileLength = files.length > 0 ? this.fileLength.reduce((sum, length) => sum + length, 0) / files.length : 0;
    this.fileIndex = new Map(files.map((file, f) => [file.source, f]));
    this.dictionary = new TermDictionary(segments, (term) => {
      const [text, title] = this.documentFrequencies(term);
      return Math.max(text, title);
    });
  }

  get segments(): readonly Segment[] {
    return this.state.segments;
  }

  get files(): readonly GenerationFile[] {
    return this.state.files;
  }

  get nextId(): number {
    return this.state.nextId;
  }

  file(source: string): GenerationFile | undefined {
    const f = this.fileIndex.get(source);
    return f === undefined ? undefined : this.state.files[f];
  }

  isLive(id: number): boolean {
    return id >= 0 && id < this.state.nextId && this.docSegment[id] !== -1;
  }

  /** Segment index and local doc of a live passage. */
  locate(id: number): { segment: number; local: number } | undefined {
    if (!this.isLive(id)) return undefined;
    return { segment: this.docSegment[id]!, local: this.docLocal[id]! };
  }

  /** The passage as a value: its first place in source order, its other places, its text. */
  passage(id: number): Passage | undefined {
    const at = this.locate(id);
    const first = this.firstChunk[id] ?? -1;
    if (!at || first < 0) return undefined;
    const segment = this.state.segments[at.segment]!;
    const file = this.state.files[this.chunkFile[first]!]!;
    const context = contextAt(file, first - file.chunkStart);
    const markup = segment.markup(at.local);
    const also: Location[] = [];
    for (let c = this.nextChunk[first]!; c !== -1; c = this.nextChunk[c]!) also.push(this.chunkLocation(c));
    return {
      id,
      ...this.chunkLocation(first),
      text: segment.text(at.local),
      title: file.title,
      also,
      ...(context?.code !== undefined ? { code: context.code } : {}),
      ...(context?.tableHeader ? { tableHeader: context.tableHeader } : {}),
      ...(markup ? { markup } : {}),
    };
  }

  /**
   * The passage placed right after `id`'s first place, in the same file: undefined at the
   * file's end, or when that place repeats a text first seen elsewhere (whose own lines could
   * break differently).
   */
  passageAfter(id: number): Passage | undefined {
    return this.neighbour(id, 1);
  }

  /** The passage placed right before `id`'s first place, in the same file (as `passageAfter`). */
  passageBefore(id: number): Passage | undefined {
    return this.neighbour(id, -1);
  }

  private neighbour(id: number, step: 1 | -1): Passage | undefined {
    const first = this.firstChunk[id] ?? -1;
    const chunk = first + step;
    if (first < 0 || chunk < 0 || chunk >= this.chunkFile.length || this.chunkFile[chunk] !== this.chunkFile[first]) return undefined;
    const neighbourId = this.state.chunks[3 * chunk]!;
    return this.firstChunk[neighbourId] === chunk ? this.passage(neighbourId) : undefined;
  }

  chunkLocation(chunk: number): Location {
    const chunks = this.state.chunks;
    const file = this.state.files[this.chunkFile[chunk]!]!;
    const section = contextAt(file, chunk - file.chunkStart)?.section;
    return { source: file.source, lines: [chunks[3 * chunk + 1]!, chunks[3 * chunk + 2]!], ...(section !== undefined ? { section } : {}) };
  }

  /** Passage ids of a file's chunks, in file order (repeats kept). */
  chunkIds(file: GenerationFile): number[] {
    const out: number[] = [];
    for (let c = file.chunkStart; c < file.chunkEnd; c++) out.push(this.state.chunks[3 * c]!);
    return out;
  }

  /**
   * Whole-file statistics from the passage postings, for BM25 over the file: its length, and
   * per term (given as its per-segment indexes) the sum of the text term frequencies of the
   * file's chunks, and the title-field term frequency of its first passage (the file's
   * title, with that passage's heading). Each term's postings in a segment are intersected
   * with the file's passages there from the smaller side, so a huge file costs no more than
   * the postings.
   */
  fileTermFrequencies(source: string, termIndexes: readonly Int32Array[]): FileTermFrequencies | undefined {
    const f = this.fileIndex.get(source);
    if (f === undefined) return undefined;
    const { places, first } = this.placesOf(f);
    if (!first) return { length: 0, text: termIndexes.map(() => 0), title: termIndexes.map(() => 0) };
    const text = termIndexes.map((indexes) => {
      let sum = 0;
      for (let i = 0; i < places.length; ) {
        const s = Math.floor(places[i]! / 2 ** 32);
        let j = i;
        while (j < places.length && Math.floor(places[j]! / 2 ** 32) === s) j++;
        const r = indexes[s] ?? -1;
        if (r >= 0) sum += textFrequencyIn(this.state.segments[s]!.arrays, r, places, i, j, s * 2 ** 32);
        i = j;
      }
      return sum;
    });
    const firstArrays = this.state.segments[first.segment]!.arrays;
    const title = termIndexes.map((indexes) => {
      const r = indexes[first.segment] ?? -1;
      if (r < 0) return 0;
      const end = firstArrays.postingStarts[r + 1]!;
      const p = advanceTo(firstArrays.docs, firstArrays.postingStarts[r]!, end, first.local);
      return p < end && firstArrays.docs[p] === first.local ? firstArrays.tfTitle[p]! : 0;
    });
    return { length: this.fileLength[f]!, text, title };
  }

  /**
   * A file's live passages as segment × 2^32 + local, sorted (a repeated one counts each
   * time), and its first passage. Kept for the files asked about most recently: a file of a
   * hundred thousand passages would otherwise be listed and sorted again by every question.
   */
  private placesOf(f: number): { places: Float64Array; first?: { segment: number; local: number } } {
    const known = this.places.get(f);
    if (known) {
      // Most recently asked last: the first key is the one to drop.
      this.places.delete(f);
      this.places.set(f, known);
      return known;
    }
    const file = this.state.files[f]!;
    const list: number[] = [];
    for (let c = file.chunkStart; c < file.chunkEnd; c++) {
      const id = this.state.chunks[3 * c]!;
      const s = this.docSegment[id]!;
      if (s !== -1) list.push(s * 2 ** 32 + this.docLocal[id]!);
    }
    const first = list.length ? { segment: Math.floor(list[0]! / 2 ** 32), local: list[0]! % 2 ** 32 } : undefined;
    const entry = { places: Float64Array.from(list).sort(), ...(first ? { first } : {}) };
    if (this.places.size >= KEPT_FILE_PLACES) this.places.delete(this.places.keys().next().value!);
    this.places.set(f, entry);
    return entry;
  }

  private readonly places = new Map<number, { places: Float64Array; first?: { segment: number; local: number } }>();

  /** Files holding a term (given its per-segment indexes), summed over the segments. */
  fileFrequencyAt(indexes: Int32Array): number {
    const fileDf = this.state.lookups!.fileDf;
    let n = 0;
    for (let s = 0; s < fileDf.length; s++) if (indexes[s]! >= 0) n += fileDf[s]![indexes[s]!]!;
    return n;
  }

  /** Live [text, title] document frequencies of a term over every segment. */
  documentFrequencies(term: string): [number, number] {
    return this.frequenciesAt(term, this.dictionary.lookup(term));
  }

  /** As `documentFrequencies`, with the term's per-segment indexes already looked up. */
  frequenciesAt(term: string, indexes: Int32Array): [number, number] {
    let text = 0;
    let title = 0;
    this.state.segments.forEach((segment, s) => {
      const r = indexes[s]!;
      if (r < 0) return;
      text += segment.arrays.dfText[r]!;
      title += segment.arrays.dfTitle[r]!;
      const gone = this.state.deletedStats[s]!.df.get(term);
      if (gone) {
        text -= gone[0];
        title -= gone[1];
      }
    });
    return [text, title];
  }
}
