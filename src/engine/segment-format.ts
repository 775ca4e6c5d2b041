/**
 * Segment format: one immutable segment is one buffer, the same bytes in memory, on disk
 * and between threads.
 *
 *   "VRBSEG" u16 version · u32 header length · header JSON · pad to 8
 *   then each section of `SECTIONS`, 8-byte aligned, as the header lists them
 *   header.crc32 covers everything after the header's padding
 *
 * The buffer is a `SharedArrayBuffer`: a segment built in a worker is posted to the
 * serving thread without a copy, and loading is one read into it (no parsing, no
 * per-posting objects); every array below is a typed-array view over it.
 *
 * Per document (n, "local doc" = index in the segment): `ids` (global passage id),
 * `lenText`/`lenTitle` (distinct terms, BM25 field length, as MiniSearch counts it),
 * `docTitle` (index into the header's titles), `textStarts` (n+1 byte offsets into
 * `text`, UTF-8) and `hashes` (4 words per doc: SHA-256 prefix of the whitespace-folded
 * text, the dedup key). The few docs with inline HTML (`Passage.markup`): `markupDocs`
 * (ascending local docs), `markupStarts` (their k+1 offsets into `markupSpans`) and
 * `markupSpans` (`[start, end, …]` UTF-16 offsets into each one's text).
 * Per term (T, sorted by UTF-8 bytes): `termStarts` (T+1 offsets into `termBytes`),
 * `postingStarts` (T+1), document frequencies and the bounds MaxScore needs
 * (`maxTf*`, `minLen*` of the documents holding the term).
 * Per posting (P, ascending local doc within a term): `docs`, `tfText`, `tfTitle`
 * (term frequency per field, capped at 255; BM25 has long saturated by then).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { analyzedText } from '../core/passage.ts';

/** 2: markup sections. */
export const SEGMENT_FORMAT_VERSION = 2;
const MAGIC = 'VRBSEG';
const PREAMBLE = 12; // magic (6) + version (2) + header length (4)

type ArrayKind = 'u8' | 'u16' | 'u32' | 'f64';
const BYTES: Record<ArrayKind, number> = { u8: 1, u16: 2, u32: 4, f64: 8 };

/** The sections of a segment, in file order, with their element type. */
export const SECTIONS = {
  ids: 'u32',
  lenText: 'u16',
  lenTitle: 'u16',
  docTitle: 'u32',
  textStarts: 'f64',
  hashes: 'u32',
  termStarts: 'u32',
  postingStarts: 'u32',
  dfText: 'u32',
  dfTitle: 'u32',
  maxTfText: 'u8',
  maxTfTitle: 'u8',
  minLenText: 'u16',
  minLenTitle: 'u16',
  docs: 'u32',
  tfText: 'u8',
  tfTitle: 'u8',
  termBytes: 'u8',
  text: 'u8',
  markupDocs: 'u32',
  markupStarts: 'u32',
  markupSpans: 'u32',
} as const satisfies Record<string, ArrayKind>;

type SectionName = keyof typeof SECTIONS;
type ViewOf<K extends ArrayKind> = K extends 'u8' ? Uint8Array : K extends 'u16' ? Uint16Array : K extends 'u32' ? Uint32Array : Float64Array;
export type SegmentArrays = { [N in SectionName]: ViewOf<(typeof SECTIONS)[N]> };
export type SectionLengths = Record<SectionName, number>;

export interface SegmentHeader {
  name: string;
  docCount: number;
  termCount: number;
  postingCount: number;
  /** Distinct document titles; `docTitle` indexes this list. */
  titles: string[];
  /** Sums of `lenText` / `lenTitle` over all documents (for the average field length). */
  totalLenText: number;
  totalLenTitle: number;
  sections: Array<[SectionName, number, number]>; // name, byte offset, element count
  crc32: number;
}

/** An immutable segment: its header and typed-array views over one shared buffer. */
export class Segment {
  readonly arrays: SegmentArrays;
  private readonly textBuffer: Buffer;
  private readonly termBuffer: Buffer;

  constructor(
    readonly header: SegmentHeader,
    readonly buffer: SharedArrayBuffer,
  ) {
    const arrays = {} as Record<SectionName, Uint8Array | Uint16Array | Uint32Array | Float64Array>;
    for (const [name, offset, length] of header.sections) {
      const kind = SECTIONS[name];
      if (kind === undefined || offset % BYTES[kind] !== 0 || offset + length * BYTES[kind] > buffer.byteLength) {
        throw new Error(`segment ${header.name}: bad section ${String(name)}`);
      }
      arrays[name] = view(kind, buffer, offset, length);
    }
    for (const name of Object.keys(SECTIONS) as SectionName[]) if (!arrays[name]) throw new Error(`segment ${header.name}: section ${name} missing`);
    this.arrays = arrays as SegmentArrays;
    const { text, termBytes } = this.arrays;
    this.textBuffer = Buffer.from(buffer, text.byteOffset, text.length);
    this.termBuffer = Buffer.from(buffer, termBytes.byteOffset, termBytes.length);
  }

  get name(): string {
    return this.header.name;
  }

  get docCount(): number {
    return this.header.docCount;
  }

  /** The passage text of a local document, exactly as it was indexed. */
  text(local: number): string {
    const starts = this.arrays.textStarts;
    return this.textBuffer.toString('utf8', starts[local]!, starts[local + 1]!);
  }

  /** The markup ranges of a local document's text (`Passage.markup`), if it has any. */
  markup(local: number): Uint32Array | undefined {
    const { markupDocs, markupStarts, markupSpans } = this.arrays;
    let lo = 0;
    let hi = markupDocs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (markupDocs[mid]! < local) lo = mid + 1;
      else hi = mid;
    }
    return markupDocs[lo] === local ? markupSpans.subarray(markupStarts[lo]!, markupStarts[lo + 1]!) : undefined;
  }

  /** The text of a local document as the analyzer read it (`analyzedText`). */
  analyzedText(local: number): string {
    return analyzedText(this.text(local), this.markup(local));
  }

  title(local: number): string {
    return this.header.titles[this.arrays.docTitle[local]!]!;
  }

  /** Index of a term (UTF-8 bytes) in this segment's sorted dictionary, or -1. */
  termIndex(term: Uint8Array): number {
    const starts = this.arrays.termStarts;
    let lo = 0;
    let hi = this.header.termCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareBytes(this.termBuffer, starts[mid]!, starts[mid + 1]!, term);
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The term at `index` of the sorted dictionary. */
  term(index: number): string {
    const starts = this.arrays.termStarts;
    return this.termBuffer.toString('utf8', starts[index]!, starts[index + 1]!);
  }

  /** True when local document `local` has the 4-word dedup hash at `hashes[at..at+4]`. */
  hasHash(local: number, hashes: Uint32Array, at: number): boolean {
    const own = this.arrays.hashes;
    const i = local * 4;
    return own[i] === hashes[at] && own[i + 1] === hashes[at + 1] && own[i + 2] === hashes[at + 2] && own[i + 3] === hashes[at + 3];
  }
}

/** Three-way comparison of `bytes[start, end)` with `term`, as unsigned bytes. */
function compareBytes(bytes: Uint8Array, start: number, end: number, term: Uint8Array): number {
  const length = Math.min(end - start, term.length);
  for (let i = 0; i < length; i++) {
    const difference = bytes[start + i]! - term[i]!;
    if (difference !== 0) return difference;
  }
  return end - start - term.length;
}

function view(kind: ArrayKind, buffer: SharedArrayBuffer, offset: number, length: number) {
  switch (kind) {
    case 'u8':
      return new Uint8Array(buffer, offset, length);
    case 'u16':
      return new Uint16Array(buffer, offset, length);
    case 'u32':
      return new Uint32Array(buffer, offset, length);
    case 'f64':
      return new Float64Array(buffer, offset, length);
  }
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Allocates a segment's shared buffer for the given section lengths and returns writable
 * views; fill them, then call `sealSegment` to compute the checksum.
 */
export function allocateSegment(info: Omit<SegmentHeader, 'sections' | 'crc32'>, lengths: SectionLengths): Segment {
  const sections: SegmentHeader['sections'] = [];
  let offset = 0;
  for (const name of Object.keys(SECTIONS) as SectionName[]) {
    offset = align8(offset);
    sections.push([name, offset, lengths[name]]);
    offset += lengths[name] * BYTES[SECTIONS[name]];
  }
  // Offsets are relative to the body; the header's size is only known once it is written,
  // so the body is laid out first and the header placed before it (see `encodeHeader`).
  const header: SegmentHeader = { ...info, sections, crc32: 0 };
  const headerBytes = encodeHeader(header);
  const bodyStart = headerBytes.length;
  const buffer = new SharedArrayBuffer(bodyStart + align8(offset));
  header.sections = sections.map(([name, at, length]) => [name, at + bodyStart, length]);
  return new Segment(header, buffer);
}

/**
 * Header bytes, padded to 8; offsets inside are body-relative when laid out, and the
 * header is re-encoded with absolute offsets and the checksum when sealed. A fixed-width
 * placeholder for the numbers keeps both encodings the same length.
 */
function encodeHeader(header: SegmentHeader): Buffer {
  const json = Buffer.from(JSON.stringify({ ...header, sections: header.sections.map(([n, o, l]) => [n, pad(o), pad(l)]), crc32: pad(header.crc32) }));
  const out = Buffer.alloc(align8(PREAMBLE + json.length), 0x20);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt16LE(SEGMENT_FORMAT_VERSION, 6);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, PREAMBLE);
  return out;
}

/** Numbers written as fixed-width strings-in-JSON-number-form: 15 digits, zero padded. */
function pad(n: number): string {
  return `#${String(n).padStart(15, '0')}`;
}

/** Computes the checksum and writes the final header into the segment's buffer. */
export function sealSegment(segment: Segment): Segment {
  const bytes = new Uint8Array(segment.buffer);
  const headerLength = encodeHeader(segment.header).length; // the same with any checksum
  segment.header.crc32 = crc32(bytes.subarray(headerLength));
  encodeHeader(segment.header).copy(bytes, 0);
  return segment;
}

function headerSize(bytes: Uint8Array): number {
  const length = Buffer.from(bytes.buffer, bytes.byteOffset, PREAMBLE).readUInt32LE(8);
  return align8(PREAMBLE + length);
}

/** Parses and checks a segment's bytes (magic, version, layout, checksum). Throws when corrupt. */
export function openSegment(buffer: SharedArrayBuffer, expectedName: string): Segment {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < PREAMBLE) throw new Error(`segment ${expectedName} is truncated`);
  const preamble = Buffer.from(buffer, 0, PREAMBLE);
  if (preamble.toString('latin1', 0, 6) !== MAGIC) throw new Error(`segment ${expectedName} is not a segment file`);
  if (preamble.readUInt16LE(6) !== SEGMENT_FORMAT_VERSION) throw new Error(`segment ${expectedName} has format ${preamble.readUInt16LE(6)}`);
  const headerLength = headerSize(bytes);
  if (headerLength > bytes.length) throw new Error(`segment ${expectedName} is truncated`);
  let parsed: SegmentHeader;
  try {
    const raw = JSON.parse(Buffer.from(buffer, PREAMBLE, preamble.readUInt32LE(8)).toString('utf8')) as Record<string, unknown>;
    parsed = unpad(raw) as SegmentHeader;
  } catch {
    throw new Error(`segment ${expectedName} has a corrupt header`);
  }
  if (parsed.name !== expectedName) throw new Error(`segment file ${expectedName} holds segment ${parsed.name}`);
  if (crc32(bytes.subarray(headerLength)) !== parsed.crc32) throw new Error(`segment ${expectedName} fails its checksum`);
  return new Segment(parsed, buffer);
}

function unpad(raw: Record<string, unknown>): unknown {
  const number = (value: unknown) => Number(String(value).replace('#', ''));
  return {
    ...raw,
    sections: (raw.sections as Array<[SectionName, string, string]>).map(([n, o, l]) => [n, number(o), number(l)]),
    crc32: number(raw.crc32),
  };
}

export function segmentFileName(name: string): string {
  return `seg-${name}.vseg`;
}

/** Reads a segment file into a new shared buffer with one read, and checks it. */
export async function readSegmentFile(file: string, name: string): Promise<Segment> {
  return openSegment(await readFileShared(file), name);
}

/** A whole file in a new `SharedArrayBuffer`, read once (no copy through a Buffer). */
export async function readFileShared(file: string): Promise<SharedArrayBuffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    for (let done = 0; done < size; ) {
      const { bytesRead } = await handle.read(bytes, done, size - done, done);
      if (bytesRead === 0) throw new Error(`${path.basename(file)} is truncated`);
      done += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

/** The bytes to write for a segment (a view, no copy). */
export function segmentBytes(segment: Segment): Uint8Array {
  return new Uint8Array(segment.buffer);
}
