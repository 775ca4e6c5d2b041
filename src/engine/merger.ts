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
import { allocateSegment, sealSegment, type Segment, type SegmentArrays, type SectionLengths } from './segment-format.ts';

export interface MergeInput {
  segment: Segment;
  deleted: Uint8Array | undefined;
}

export function mergeSegments(inputs: readonly MergeInput[], name: string): Segment {
  const docs = liveDocs(inputs);
  const terms = mergedTerms(inputs, docs.docMaps);
  const n = docs.count;
  const termCount = terms.groups.length;
  const lengths: SectionLengths = {
    ids: n, lenText: n, lenTitle: n, docTitle: n, textStarts: n + 1, hashes: 4 * n,
    termStarts: termCount + 1, postingStarts: termCount + 1, dfText: termCount, dfTitle: termCount,
    maxTfText: termCount, maxTfTitle: termCount, minLenText: termCount, minLenTitle: termCount,
    docs: terms.postingCount, tfText: terms.postingCount, tfTitle: terms.postingCount, termBytes: terms.termByteCount, text: docs.textBytes,
    markupDocs: docs.markupDocs.length, markupStarts: docs.markupStarts.length, markupSpans: docs.markupSpans.length,
  };
  const segment = allocateSegment(
    { name, docCount: n, termCount, postingCount: terms.postingCount, titles: docs.titles, totalLenText: docs.totalLenText, totalLenTitle: docs.totalLenTitle },
    lengths,
  );
  copyDocs(inputs, docs, segment.arrays);
  copyPostings(inputs, docs.docMaps, terms, segment.arrays);
  foldTermStatistics(segment.arrays, 0, termCount);
  return sealSegment(segment);
}

interface LiveDocs {
  /** Per input: old local → new local, or -1 when deleted. */
  docMaps: Int32Array[];
  count: number;
  /** Per new doc: its title's index in `titles` (titles re-interned). */
  docTitles: number[];
  titles: string[];
  /** The documents with markup, renumbered, and their ranges (the segment's markup sections). */
  markupDocs: number[];
  markupStarts: number[];
  markupSpans: number[];
  textBytes: number;
  totalLenText: number;
  totalLenTitle: number;
}

/** Documents: old local → new local (or -1); the header (titles, totals) is fixed before the buffer is laid out. */
function liveDocs(inputs: readonly MergeInput[]): LiveDocs {
  const out: LiveDocs = { docMaps: [], count: 0, docTitles: [], titles: [], markupDocs: [], markupStarts: [0], markupSpans: [], textBytes: 0, totalLenText: 0, totalLenTitle: 0 };
  const titleIds = new Map<string, number>();
  for (const { segment, deleted } of inputs) {
    const map = new Int32Array(segment.docCount).fill(-1);
    const { textStarts, lenText, lenTitle } = segment.arrays;
    for (let local = 0; local < segment.docCount; local++) {
      if (deleted?.[local] === 1) continue;
      const markup = segment.markup(local);
      if (markup) {
        out.markupDocs.push(out.count);
        for (const offset of markup) out.markupSpans.push(offset);
        out.markupStarts.push(out.markupSpans.length);
      }
      map[local] = out.count++;
      out.textBytes += textStarts[local + 1]! - textStarts[local]!;
      out.totalLenText += lenText[local]!;
      out.totalLenTitle += lenTitle[local]!;
      const title = segment.title(local);
      let titleId = titleIds.get(title);
      if (titleId === undefined) {
        titleId = out.titles.length;
        out.titles.push(title);
        titleIds.set(title, titleId);
      }
      out.docTitles.push(titleId);
    }
    out.docMaps.push(map);
  }
  return out;
}

interface MergedTerms {
  /** Every (input, term index) pair, sorted by the term's bytes. */
  entries: Array<{ bytes: Uint8Array; input: number; index: number }>;
  /** Per merged term: its run of `entries`; terms left with no live posting are gone. */
  groups: Array<{ from: number; to: number }>;
  postingCount: number;
  termByteCount: number;
}

/** Terms: every (input, index) pair sorted by bytes, grouped when equal, counted by surviving postings. */
function mergedTerms(inputs: readonly MergeInput[], docMaps: readonly Int32Array[]): MergedTerms {
  const entries: MergedTerms['entries'] = [];
  inputs.forEach(({ segment }, input) => {
    const { termStarts, termBytes } = segment.arrays;
    for (let index = 0; index < segment.header.termCount; index++) {
      entries.push({ bytes: termBytes.subarray(termStarts[index]!, termStarts[index + 1]!), input, index });
    }
  });
  entries.sort((x, y) => compareUtf8(x.bytes, y.bytes) || x.input - y.input);
  const out: MergedTerms = { entries, groups: [], postingCount: 0, termByteCount: 0 };
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
      out.groups.push({ from: i, to: j });
      out.postingCount += postings;
      out.termByteCount += entries[i]!.bytes.length;
    }
    i = j;
  }
  return out;
}

function copyDocs(inputs: readonly MergeInput[], docs: LiveDocs, out: SegmentArrays): void {
  let textAt = 0;
  inputs.forEach(({ segment: input }, i) => {
    const a = input.arrays;
    const map = docs.docMaps[i]!;
    for (let local = 0; local < input.docCount; local++) {
      const doc = map[local]!;
      if (doc < 0) continue;
      out.ids[doc] = a.ids[local]!;
      out.lenText[doc] = a.lenText[local]!;
      out.lenTitle[doc] = a.lenTitle[local]!;
      out.docTitle[doc] = docs.docTitles[doc]!;
      out.hashes.set(a.hashes.subarray(4 * local, 4 * local + 4), 4 * doc);
      out.textStarts[doc] = textAt;
      const text = a.text.subarray(a.textStarts[local]!, a.textStarts[local + 1]!);
      out.text.set(text, textAt);
      textAt += text.length;
    }
  });
  out.textStarts[docs.count] = textAt;
  out.markupDocs.set(docs.markupDocs);
  out.markupStarts.set(docs.markupStarts);
  out.markupSpans.set(docs.markupSpans);
}

/** Each merged term's postings: the inputs' runs concatenated, renumbered, deleted docs left out. */
function copyPostings(inputs: readonly MergeInput[], docMaps: readonly Int32Array[], terms: MergedTerms, out: SegmentArrays): void {
  let termAt = 0;
  let postingAt = 0;
  terms.groups.forEach(({ from, to }, r) => {
    out.termStarts[r] = termAt;
    out.termBytes.set(terms.entries[from]!.bytes, termAt);
    termAt += terms.entries[from]!.bytes.length;
    out.postingStarts[r] = postingAt;
    for (let e = from; e < to; e++) {
      const { input, index } = terms.entries[e]!;
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
  out.termStarts[terms.groups.length] = termAt;
  out.postingStarts[terms.groups.length] = postingAt;
}
