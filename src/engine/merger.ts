/**
 * Merger: several segments (and their deletions) into one, without re-analysing a word.
 *
 * Live documents are renumbered in input order, so each term's postings stay ascending
 * when the inputs' runs are concatenated; dictionaries are merged by sorting their UTF-8
 * terms; per-term statistics and MaxScore bounds are recomputed from the surviving
 * postings; deleted passages, and terms only they held, disappear. This is Lucene's
 * segment merge in miniature, and what keeps incremental reindexing incremental.
 */
import { compareUtf8, foldTermStatistics } from './postings.ts';
import { allocateSegment, sealSegment, type Segment, type SectionLengths } from './segment-format.ts';

export interface MergeInput {
  segment: Segment;
  deleted: Uint8Array | undefined;
}

export function mergeSegments(inputs: readonly MergeInput[], name: string): Segment {
  // Documents: old local → new local (or -1), titles re-interned.
  // The header (titles, totals) is fixed before the buffer is laid out.
  const docMaps: Int32Array[] = [];
  const docTitles: number[] = [];
  const titles: string[] = [];
  const titleIds = new Map<string, number>();
  let n = 0;
  let textBytes = 0;
  let totalLenText = 0;
  let totalLenTitle = 0;
  for (const { segment, deleted } of inputs) {
    const map = new Int32Array(segment.docCount).fill(-1);
    const { textStarts, lenText, lenTitle } = segment.arrays;
    for (let local = 0; local < segment.docCount; local++) {
      if (deleted?.[local] === 1) continue;
      map[local] = n++;
      textBytes += textStarts[local + 1]! - textStarts[local]!;
      totalLenText += lenText[local]!;
      totalLenTitle += lenTitle[local]!;
      const title = segment.title(local);
      let titleId = titleIds.get(title);
      if (titleId === undefined) {
        titleId = titles.length;
        titles.push(title);
        titleIds.set(title, titleId);
      }
      docTitles.push(titleId);
    }
    docMaps.push(map);
  }

  // Terms: every (input, index) pair sorted by bytes, grouped when equal.
  const entries: Array<{ bytes: Uint8Array; input: number; index: number }> = [];
  inputs.forEach(({ segment }, input) => {
    const { termStarts, termBytes } = segment.arrays;
    for (let index = 0; index < segment.header.termCount; index++) {
      entries.push({ bytes: termBytes.subarray(termStarts[index]!, termStarts[index + 1]!), input, index });
    }
  });
  entries.sort((x, y) => compareUtf8(x.bytes, y.bytes) || x.input - y.input);

  // First pass: surviving postings per merged term.
  const groups: Array<{ from: number; to: number; postings: number }> = [];
  let postingCount = 0;
  let termByteCount = 0;
  for (let i = 0; i < entries.length; ) {
    let j = i;
    let postings = 0;
    while (j < entries.length && compareUtf8(entries[j]!.bytes, entries[i]!.bytes) === 0) {
      const { input, index } = entries[j]!;
      const a = inputs[input]!.segment.arrays;
      const map = docMaps[input]!;
      for (let p = a.postingStarts[index]!; p < a.postingStarts[index + 1]!; p++) if (map[a.docs[p]!]! >= 0) postings++;
      j++;
    }
    if (postings > 0) {
      groups.push({ from: i, to: j, postings });
      postingCount += postings;
      termByteCount += entries[i]!.bytes.length;
    }
    i = j;
  }

  const termCount = groups.length;
  const lengths: SectionLengths = {
    ids: n, lenText: n, lenTitle: n, docTitle: n, textStarts: n + 1, hashes: 4 * n,
    termStarts: termCount + 1, postingStarts: termCount + 1, dfText: termCount, dfTitle: termCount,
    maxTfText: termCount, maxTfTitle: termCount, minLenText: termCount, minLenTitle: termCount,
    docs: postingCount, tfText: postingCount, tfTitle: postingCount, termBytes: termByteCount, text: textBytes,
  };
  const segment = allocateSegment({ name, docCount: n, termCount, postingCount, titles, totalLenText, totalLenTitle }, lengths);
  const out = segment.arrays;

  let textAt = 0;
  inputs.forEach(({ segment: input }, i) => {
    const a = input.arrays;
    const map = docMaps[i]!;
    for (let local = 0; local < input.docCount; local++) {
      const doc = map[local]!;
      if (doc < 0) continue;
      out.ids[doc] = a.ids[local]!;
      out.lenText[doc] = a.lenText[local]!;
      out.lenTitle[doc] = a.lenTitle[local]!;
      out.docTitle[doc] = docTitles[doc]!;
      out.hashes.set(a.hashes.subarray(4 * local, 4 * local + 4), 4 * doc);
      out.textStarts[doc] = textAt;
      const text = a.text.subarray(a.textStarts[local]!, a.textStarts[local + 1]!);
      out.text.set(text, textAt);
      textAt += text.length;
    }
  });
  out.textStarts[n] = textAt;

  let termAt = 0;
  let postingAt = 0;
  groups.forEach(({ from, to }, r) => {
    out.termStarts[r] = termAt;
    out.termBytes.set(entries[from]!.bytes, termAt);
    termAt += entries[from]!.bytes.length;
    out.postingStarts[r] = postingAt;
    for (let e = from; e < to; e++) {
      const { input, index } = entries[e]!;
      const a = inputs[input]!.segment.arrays;
      const map = docMaps[input]!;
      for (let p = a.postingStarts[index]!; p < a.postingStarts[index + 1]!; p++) {
        const doc = map[a.docs[p]!]!;
        if (doc < 0) continue;
        out.docs[postingAt] = doc;
        out.tfText[postingAt] = a.tfText[p]!;
        out.tfTitle[postingAt] = a.tfTitle[p]!;
        postingAt++;
      }
    }
  });
  out.termStarts[termCount] = termAt;
  out.postingStarts[termCount] = postingAt;
  foldTermStatistics(out, 0, termCount);
  return sealSegment(segment);
}
