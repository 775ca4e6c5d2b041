/**
 * Deleting passages from immutable segments: a bitmap per segment (copied, never changed in
 * place: a generation being read keeps its own) and the statistics the deleted passages
 * take out, so global statistics stay those of the live passages.
 */
import type { Analyzer } from '../core/analyzer.ts';
import { NO_DELETIONS, type DeletedStats, type Generation } from './generation.ts';
import type { Segment } from './segment-format.ts';
import { hashKey, samePassageText } from './dedup.ts';

type MutableDeletedStats = { docs: number; lenText: number; lenTitle: number; df: Map<string, [number, number]> };

function copyStats(stats: DeletedStats): MutableDeletedStats {
  return { docs: stats.docs, lenText: stats.lenText, lenTitle: stats.lenTitle, df: new Map([...stats.df].map(([term, [t, ti]]) => [term, [t, ti]])) };
}

/** Takes a passage out of its segment's statistics: its lengths and its distinct terms. */
function countDeleted(stats: MutableDeletedStats, segment: Segment, local: number, analyzer: Analyzer): void {
  stats.docs++;
  stats.lenText += segment.arrays.lenText[local]!;
  stats.lenTitle += segment.arrays.lenTitle[local]!;
  const bump = (term: string, field: 0 | 1) => {
    let entry = stats.df.get(term);
    if (!entry) stats.df.set(term, (entry = [0, 0]));
    entry[field]++;
  };
  for (const term of new Set(analyzer.terms(segment.analyzedText(local)))) bump(term, 0);
  for (const term of new Set(analyzer.terms(segment.title(local)))) bump(term, 1);
}

/** (5) The base's segments with every passage no chunk refers to marked deleted (bitmaps copied, not changed). */
export function deleteUnreferenced(base: Generation, chunks: Uint32Array, chunkCount: number, nextId: number, analyzer: Analyzer) {
  const referenced = new Uint8Array(nextId);
  for (let c = 0; c < chunkCount; c++) referenced[chunks[3 * c]!] = 1;
  const segments = [...base.segments];
  const deleted = [...base.state.deleted];
  const deletedStats = [...base.state.deletedStats];
  let passagesRemoved = 0;
  segments.forEach((segment, s) => {
    const { ids } = segment.arrays;
    let bitmap = deleted[s];
    let stats: MutableDeletedStats | undefined;
    for (let local = 0; local < segment.docCount; local++) {
      if (bitmap?.[local] === 1 || referenced[ids[local]!] === 1) continue;
      if (!stats) {
        stats = copyStats(deletedStats[s]!);
        const copy = new Uint8Array(new SharedArrayBuffer(segment.docCount));
        if (bitmap) copy.set(bitmap);
        bitmap = copy;
      }
      bitmap![local] = 1;
      countDeleted(stats, segment, local, analyzer);
      passagesRemoved++;
    }
    if (stats) {
      deleted[s] = bitmap;
      deletedStats[s] = stats;
    }
  });
  return { segments, deleted, deletedStats, passagesRemoved };
}

/**
 * Duplicates of a full build, by hash: chunk ids point at the first copy; later copies are
 * deleted. `isCode(id)`: the passage is a place's code, shared only with the same exact text.
 */
export function deleteDuplicates(built: readonly Segment[], chunks: Uint32Array, count: number, analyzer: Analyzer, isCode: (id: number) => boolean = () => false) {
  const deleted: Array<Uint8Array | undefined> = built.map(() => undefined);
  const deletedStats: DeletedStats[] = built.map(() => NO_DELETIONS);
  const segmentOf = new Int32Array(count + 1);
  const localOf = new Uint32Array(count + 1);
  built.forEach((segment, s) => segment.arrays.ids.forEach((id, local) => ((segmentOf[id] = s), (localOf[id] = local))));
  const sameText = (x: number, y: number) => built[segmentOf[x]!]!.hasHash(localOf[x]!, built[segmentOf[y]!]!.arrays.hashes, 4 * localOf[y]!);
  const keyOf = (id: number) => hashKey(built[segmentOf[id]!]!.arrays.hashes, 4 * localOf[id]!);
  const textAt = (id: number) => built[segmentOf[id]!]!.text(localOf[id]!);
  const sameAs = (id: number, other: number) => samePassageText(textAt(id), textAt(other), isCode(id) || isCode(other));
  const firstByWord = new Map<number, number>(); // first hash word → id of the first copy
  const firstByKey = new Map<string, number>(); // whole hash → id, only where first words collide
  let removed = 0;
  for (let i = 0; i < count; i++) {
    const id = chunks[3 * i]!;
    const word = built[segmentOf[id]!]!.arrays.hashes[4 * localOf[id]!]!;
    const other = firstByWord.get(word);
    let same: number | undefined;
    if (other === undefined) firstByWord.set(word, id);
    else if (sameText(id, other) && sameAs(id, other)) same = other;
    else {
      const key = keyOf(id);
      same = firstByKey.get(key);
      if (same === undefined) firstByKey.set(key, id);
      else if (!sameAs(id, same)) same = undefined; // a collision, or code with other whitespace: kept apart
    }
    if (same === undefined) continue;
    const at = { segment: segmentOf[id]!, local: localOf[id]! };
    const segment = built[at.segment]!;
    chunks[3 * i] = same;
    let bitmap = deleted[at.segment];
    if (!bitmap) {
      bitmap = deleted[at.segment] = new Uint8Array(new SharedArrayBuffer(segment.docCount));
      deletedStats[at.segment] = copyStats(NO_DELETIONS);
    }
    bitmap[at.local] = 1;
    countDeleted(deletedStats[at.segment] as MutableDeletedStats, segment, at.local, analyzer);
    removed++;
  }
  return { deleted, deletedStats, removed };
}
