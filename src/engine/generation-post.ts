/**
 * A generation between threads: `postable` packs a `GenerationState` for `postMessage`
 * (segments travel as their shared buffers, never copied), `fromPosted` and
 * `fromPostedInSteps` open it on the other side.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ChunkContext, GenerationFile, GenerationState } from './generation.ts';
import { Segment, type SegmentHeader } from './segment-format.ts';

/**
 * `GenerationState` for `postMessage`: segments as header + shared buffer, and the file
 * list packed into a few strings and typed arrays. Deserializing ten thousand file objects
 * blocked the receiving thread for tens of milliseconds; a few strings take well under one.
 */
export type PostedGeneration = Omit<GenerationState, 'segments' | 'files'> & {
  segments: Array<{ header: SegmentHeader; buffer: SharedArrayBuffer }>;
  files: PackedFiles;
};

interface PackedFiles {
  /** JSON arrays of the files' sources, titles and contexts; their SHA-256 hex digests concatenated. */
  sources: string;
  titles: string;
  contexts: string;
  sha256: string;
  /** size, mtimeMs, chunkStart, chunkEnd per file. */
  numbers: Float64Array;
}

/** The posted form a state was made from: posting it on costs nothing to pack again. */
const postedForm = new WeakMap<GenerationState, PostedGeneration>();

export function postable(state: GenerationState): PostedGeneration {
  const known = postedForm.get(state);
  if (known) return known;
  const numbers = new Float64Array(4 * state.files.length);
  state.files.forEach((file, f) => numbers.set([file.size, file.mtimeMs, file.chunkStart, file.chunkEnd], 4 * f));
  const files: PackedFiles = {
    sources: JSON.stringify(state.files.map((file) => file.source)),
    titles: JSON.stringify(state.files.map((file) => file.title)),
    contexts: JSON.stringify(state.files.map((file) => file.contexts ?? null)),
    sha256: state.files.map((file) => file.sha256.padEnd(64).slice(0, 64)).join(''),
    numbers,
  };
  return { ...state, files, segments: state.segments.map((segment) => ({ header: segment.header, buffer: segment.buffer })) };
}

export function fromPosted(posted: PostedGeneration): GenerationState {
  const unpacked = unpackFiles(posted.files);
  return assemble(posted, Array.from({ length: unpacked.count }, (_, f) => unpacked.file(f)));
}

/**
 * `fromPosted` in slices of `filesPerStep` files, letting the event loop run between them:
 * for the thread that serves questions, where ten thousand files at once cost tens of ms.
 */
export async function fromPostedInSteps(posted: PostedGeneration, filesPerStep = 1000): Promise<GenerationState> {
  const unpacked = unpackFiles(posted.files);
  const files: GenerationFile[] = [];
  for (let f = 0; f < unpacked.count; f++) {
    if (f > 0 && f % filesPerStep === 0) await nextTurn();
    files.push(unpacked.file(f));
  }
  return assemble(posted, files);
}

/** The state of a posted generation, its posted form remembered for `postable`. */
function assemble(posted: PostedGeneration, files: GenerationFile[]): GenerationState {
  const state = { ...posted, files, segments: posted.segments.map(({ header, buffer }) => openPosted(header, buffer)) };
  postedForm.set(state, posted);
  return state;
}

function unpackFiles({ sources: packedSources, titles: packedTitles, contexts: packedContexts, numbers, sha256 }: PackedFiles) {
  const sources = JSON.parse(packedSources) as string[];
  const titles = JSON.parse(packedTitles) as string[];
  const contexts = JSON.parse(packedContexts) as Array<ChunkContext[] | null>;
  return {
    count: sources.length,
    file: (f: number): GenerationFile => ({
      source: sources[f]!,
      size: numbers[4 * f]!,
      mtimeMs: numbers[4 * f + 1]!,
      sha256: sha256.slice(64 * f, 64 * f + 64).trimEnd(),
      title: titles[f]!,
      chunkStart: numbers[4 * f + 2]!,
      chunkEnd: numbers[4 * f + 3]!,
      ...(contexts[f] ? { contexts: contexts[f] } : {}),
    }),
  };
}

/** A posted segment was checked when built or loaded; only its views are made again. */
function openPosted(header: SegmentHeader, buffer: SharedArrayBuffer): Segment {
  return new Segment(header, buffer);
}
