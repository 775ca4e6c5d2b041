/**
 * Scoring and top-k: BM25 over two fields (text, title), coordination, and MaxScore.
 *
 * A passage's score for query terms Q, of which it matches M:
 *
 *   score = Σ_{t∈M} q_t·[ idf_text(t)·tf'(text) + titleBoost·idf_title(t)·tf'(title) ]
 *           · |M| · (W_M / W_Q)^coverageExponent
 *
 * with tf'(f) = d + tf·(k1+1) / (tf + k1·(1 − b + b·len_f/avglen_f)) for a field holding the
 * term (BM25, or BM25+ when d > 0), q_t the query term frequency, and W the sum of text
 * IDFs (coverage). Field lengths count distinct terms and IDFs are per field, as MiniSearch
 * scores them, so the tuned ranking parameters carry over. Statistics are global: the
 * caller passes IDFs and averages computed over every live passage of every segment.
 *
 * Top-k is MaxScore (Turtle & Flood 1995, as in Lucene and PISA): query terms sorted by
 * their best possible contribution; the cheapest terms whose combined bound cannot lift a
 * passage over the current k-th score are "non-essential" — they are never iterated, only
 * probed (galloping `advance`) for candidates the essential terms produce, and a probe
 * stops as soon as the remaining bound cannot win. Both coordination factors grow with
 * the matched set, so bounds stay valid with them. Scores are summed in query-term order
 * whatever order terms were visited in, so the result equals `exhaustiveSearch` exactly.
 */
import { advanceTo, PostingCursor } from './postings.ts';
import { TopK, type ScoredDoc } from './top-k.ts';
import type { Segment } from './segment-format.ts';

export interface ScoringParameters {
  k1: number;
  b: number;
  d: number;
  titleBoost: number;
  coverageExponent: number;
}

/** One query term with its global statistics. */
export interface ScoringTerm {
  /** Query term frequency (how often the question asked for it). */
  boost: number;
  idfText: number;
  idfTitle: number;
  /** Coverage weight (the text IDF). */
  weight: number;
}

export interface ScoringContext {
  params: ScoringParameters;
  terms: readonly ScoringTerm[];
  /** Σ weight over all query terms, matched or not. */
  totalWeight: number;
  avgLenText: number;
  avgLenTitle: number;
}

/** What one segment contributes to a search. */
export interface SegmentQuery {
  segment: Segment;
  /** 1 for each deleted local doc; undefined when none is. */
  deleted: Uint8Array | undefined;
  /** Per query term, its index in this segment's dictionary or -1. */
  termIndexes: Int32Array;
  /** Dictionary indexes of terms a passage's text must not contain. */
  excluded: readonly number[];
  /** Dictionary indexes of terms a passage must contain, in its text or its headings (phrase words). */
  required: readonly number[];
  /** When set, only these local docs (ascending) may match. */
  allowed?: Uint32Array;
}

/** tf' of one field (see the file comment). */
function fieldPart(tf: number, length: number, average: number, { k1, b, d }: ScoringParameters): number {
  return d + (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / average));
}

function contribution(term: ScoringTerm, tfText: number, lenText: number, tfTitle: number, lenTitle: number, ctx: ScoringContext): number {
  let score = 0;
  if (tfText > 0) score += term.boost * term.idfText * fieldPart(tfText, lenText, ctx.avgLenText, ctx.params);
  if (tfTitle > 0) score += term.boost * ctx.params.titleBoost * term.idfTitle * fieldPart(tfTitle, lenTitle, ctx.avgLenTitle, ctx.params);
  return score;
}

/** Coordination: the BM25 sum scaled by the number of matched terms and the coverage. */
function coordinate(sum: number, count: number, weight: number, ctx: ScoringContext): number {
  const exponent = ctx.params.coverageExponent;
  if (exponent <= 0 || ctx.totalWeight <= 0) return sum * count;
  const share = weight / ctx.totalWeight;
  return sum * count * (exponent === 2 ? share * share : share ** exponent);
}

function coverageOf(weight: number, ctx: ScoringContext): number {
  return ctx.totalWeight > 0 ? weight / ctx.totalWeight : 1;
}

/** Best possible contribution of dictionary term `r` of `segment` (tf up, length down). */
function upperBound(segment: Segment, r: number, term: ScoringTerm, ctx: ScoringContext): number {
  const a = segment.arrays;
  return contribution(term, a.maxTfText[r]!, a.minLenText[r]!, a.maxTfTitle[r]!, a.minLenTitle[r]!, ctx);
}

/** Guards bound comparisons against rounding (sums taken in another order). */
const SLACK = 1 + 1e-9;

/** Checks a candidate against `-word` and phrase-word constraints (docs arrive ascending). */
class Constraints {
  private readonly excluded: PostingCursor[];
  private readonly required: PostingCursor[];
  constructor(private readonly query: SegmentQuery) {
    const a = query.segment.arrays;
    const cursor = (r: number) => new PostingCursor(a.docs, a.postingStarts[r]!, a.postingStarts[r + 1]!);
    this.excluded = query.excluded.map(cursor);
    this.required = query.required.map(cursor);
  }

  pass(doc: number): boolean {
    const tfText = this.query.segment.arrays.tfText;
    for (const cursor of this.excluded) if (cursor.advance(doc) === doc && tfText[cursor.pos]! > 0) return false;
    // A phrase's words in the text, or in the headings a passage stands under (its title field).
    for (const cursor of this.required) if (cursor.advance(doc) !== doc) return false;
    return true;
  }
}

interface ActiveTerm {
  index: number;
  cursor: PostingCursor;
  bound: number;
  weight: number;
}

/**
 * Collects the best passages of every segment into `top`. Segments share `top`, so the
 * threshold reached in one prunes the next.
 */
export function searchSegments(queries: readonly SegmentQuery[], ctx: ScoringContext, top: TopK): void {
  for (const query of queries) {
    if (query.allowed && query.allowed.length * 4 < matchingPostings(query)) scoreAllowed(query, ctx, top);
    else maxScore(query, ctx, top);
  }
}

function matchingPostings(query: SegmentQuery): number {
  const starts = query.segment.arrays.postingStarts;
  let total = 0;
  for (const r of query.termIndexes) if (r >= 0) total += starts[r + 1]! - starts[r]!;
  return total;
}

function activeTerms(query: SegmentQuery, ctx: ScoringContext): ActiveTerm[] {
  const a = query.segment.arrays;
  const active: ActiveTerm[] = [];
  query.termIndexes.forEach((r, index) => {
    if (r < 0) return;
    const term = ctx.terms[index]!;
    active.push({ index, cursor: new PostingCursor(a.docs, a.postingStarts[r]!, a.postingStarts[r + 1]!), bound: upperBound(query.segment, r, term, ctx) * SLACK, weight: term.weight });
  });
  return active;
}

/** Scratch for one candidate: contributions per query term, summed in query order. */
class Candidate {
  readonly contributions: Float64Array;
  mask = 0;
  count = 0;
  constructor(size: number) {
    this.contributions = new Float64Array(size);
  }

  add(index: number, value: number): void {
    this.contributions[index] = value;
    this.mask |= 1 << index;
    this.count++;
  }

  /** Offers the candidate to `top` (after the constraints), then clears it. True when it entered. */
  finish(id: number, ctx: ScoringContext, top: TopK, constraints: Constraints, doc: number): boolean {
    const { mask, count } = this;
    this.mask = 0;
    this.count = 0;
    if (count === 0) return false;
    // In query order, as the exhaustive reference sums: equal scores bit for bit.
    let sum = 0;
    let weight = 0;
    for (let bits = mask; bits !== 0; bits &= bits - 1) {
      const i = 31 - Math.clz32(bits & -bits);
      sum += this.contributions[i]!;
      weight += ctx.terms[i]!.weight;
    }
    const score = coordinate(sum, count, weight, ctx);
    if (!top.accepts(score, id) || !constraints.pass(doc)) return false;
    top.insert({ id, score, matched: mask >>> 0, coverage: coverageOf(weight, ctx) });
    return true;
  }
}

/**
 * MaxScore over one segment, on flat arrays (one slot per active term, cheapest bound
 * first): the hot loop touches typed arrays and numbers only.
 */
function maxScore(query: SegmentQuery, ctx: ScoringContext, top: TopK): void {
  const active = activeTerms(query, ctx).sort((x, y) => x.bound - y.bound);
  const m = active.length;
  if (m === 0) return;
  const { segment, deleted, allowed } = query;
  const a = segment.arrays;
  const { docs, tfText, tfTitle, lenText, lenTitle, ids } = a;
  const { k1, b, d, titleBoost } = ctx.params;
  const { avgLenText, avgLenTitle } = ctx;
  const allowedMask = allowed ? maskOf(allowed, segment.docCount) : undefined;
  const constraints = new Constraints(query);

  const pos = new Int32Array(m);
  const end = new Int32Array(m);
  const current = new Float64Array(m); // current doc of each cursor, Infinity when exhausted
  const queryIndex = new Int32Array(m);
  const textWeight = new Float64Array(m);
  const titleWeight = new Float64Array(m);
  const prefixBound = new Float64Array(m); // Σ bound over the j+1 cheapest terms
  const prefixWeight = new Float64Array(m);
  let bound = 0;
  let weight = 0;
  active.forEach((term, j) => {
    pos[j] = term.cursor.pos;
    end[j] = term.cursor.end;
    current[j] = pos[j]! < end[j]! ? docs[pos[j]!]! : Infinity;
    queryIndex[j] = term.index;
    const scoring = ctx.terms[term.index]!;
    textWeight[j] = scoring.boost * scoring.idfText;
    titleWeight[j] = scoring.boost * titleBoost * scoring.idfTitle;
    bound += term.bound;
    weight += term.weight;
    prefixBound[j] = bound;
    prefixWeight[j] = weight;
  });
  const termWeight = Float64Array.from(active, (term) => term.weight);
  // The same expression as `contribution`: scores must equal the reference exactly.
  const score = (j: number, p: number, doc: number): number => {
    let value = 0;
    const tfT = tfText[p]!;
    const tfTi = tfTitle[p]!;
    if (tfT > 0) value += textWeight[j]! * (d + (tfT * (k1 + 1)) / (tfT + k1 * (1 - b + (b * lenText[doc]!) / avgLenText)));
    if (tfTi > 0) value += titleWeight[j]! * (d + (tfTi * (k1 + 1)) / (tfTi + k1 * (1 - b + (b * lenTitle[doc]!) / avgLenTitle)));
    return value;
  };

  // Bounds are compared, never reported: this may round differently from `coordinate`.
  const exponent = ctx.params.coverageExponent;
  const share = ctx.totalWeight > 0 && exponent > 0 ? 1 / ctx.totalWeight : 0;
  const boundOf = (sum: number, count: number, matchedWeight: number): number => {
    if (share === 0) return sum * count;
    const covered = matchedWeight * share;
    return sum * count * (exponent === 2 ? covered * covered : covered ** exponent);
  };
  const contributions = new Float64Array(ctx.terms.length);
  // Terms [0, essentialFrom) are non-essential: together they cannot beat the threshold.
  let essentialFrom = 0;
  let threshold = top.threshold;
  const updateEssential = () => {
    threshold = top.threshold;
    while (essentialFrom < m && boundOf(prefixBound[essentialFrom]!, essentialFrom + 1, prefixWeight[essentialFrom]!) < threshold) essentialFrom++;
  };
  updateEssential();

  // The candidate being scored: running sum, matched terms (bits by query index), their weight.
  let partial = 0;
  let matchedWeight = 0;
  let count = 0;
  let mask = 0;
  const take = (j: number, p: number, at: number) => {
    const value = score(j, p, at);
    contributions[queryIndex[j]!] = value;
    mask |= 1 << queryIndex[j]!;
    count++;
    partial += value;
    matchedWeight += termWeight[j]!;
  };

  let doc = Infinity;
  for (let j = essentialFrom; j < m; j++) if (current[j]! < doc) doc = current[j]!;
  while (doc !== Infinity && essentialFrom < m) {
    const skip = (deleted !== undefined && deleted[doc] === 1) || (allowedMask !== undefined && allowedMask[doc] === 0);
    // Score the essential terms at `doc`, move them on, and find the next candidate in the same pass.
    partial = 0;
    matchedWeight = 0;
    count = 0;
    mask = 0;
    let next = Infinity;
    for (let j = essentialFrom; j < m; j++) {
      let at = current[j]!;
      if (at === doc) {
        const p = pos[j]!;
        if (!skip) take(j, p, doc);
        pos[j] = p + 1;
        at = current[j] = p + 1 < end[j]! ? docs[p + 1]! : Infinity;
      }
      if (at < next) next = at;
    }
    const candidateDoc = doc;
    doc = next;
    if (skip) continue;
    let pruned = false;
    for (let j = essentialFrom - 1; j >= 0; j--) {
      if (boundOf(partial + prefixBound[j]!, count + j + 1, matchedWeight + prefixWeight[j]!) < threshold) {
        pruned = true;
        break;
      }
      const p = advanceTo(docs, pos[j]!, end[j]!, candidateDoc);
      pos[j] = p;
      current[j] = p < end[j]! ? docs[p]! : Infinity;
      if (current[j] === candidateDoc) take(j, p, candidateDoc);
    }
    if (pruned) continue;
    // In query order, as the exhaustive reference sums: equal scores bit for bit.
    let sum = 0;
    let weight = 0;
    for (let bits = mask; bits !== 0; bits &= bits - 1) {
      const i = 31 - Math.clz32(bits & -bits);
      sum += contributions[i]!;
      weight += ctx.terms[i]!.weight;
    }
    const final = coordinate(sum, count, weight, ctx);
    const id = ids[candidateDoc]!;
    if (!top.accepts(final, id) || !constraints.pass(candidateDoc)) continue;
    top.insert({ id, score: final, matched: mask >>> 0, coverage: coverageOf(weight, ctx) });
    if (top.threshold > threshold) {
      const before = essentialFrom;
      updateEssential();
      // Terms that just became non-essential no longer produce candidates.
      if (essentialFrom !== before) {
        doc = Infinity;
        for (let j = essentialFrom; j < m; j++) if (current[j]! < doc) doc = current[j]!;
      }
    }
  }
}

/** `file:` narrowed the search to few passages: score those directly, probing each term. */
function scoreAllowed(query: SegmentQuery, ctx: ScoringContext, top: TopK): void {
  const active = activeTerms(query, ctx);
  const { segment, deleted } = query;
  const a = segment.arrays;
  const constraints = new Constraints(query);
  const candidate = new Candidate(ctx.terms.length);
  for (const doc of query.allowed!) {
    if (deleted !== undefined && deleted[doc] === 1) continue;
    for (const term of active) {
      if (term.cursor.advance(doc) !== doc) continue;
      const p = term.cursor.pos;
      candidate.add(term.index, contribution(ctx.terms[term.index]!, a.tfText[p]!, a.lenText[doc]!, a.tfTitle[p]!, a.lenTitle[doc]!, ctx));
    }
    candidate.finish(a.ids[doc]!, ctx, top, constraints, doc);
  }
}

function maskOf(docs: Uint32Array, size: number): Uint8Array {
  const mask = new Uint8Array(size);
  for (const doc of docs) mask[doc] = 1;
  return mask;
}

/**
 * The reference: scores every posting of every query term, no pruning. Used by the tests
 * to show that `searchSegments` returns exactly the same top k.
 */
export function exhaustiveSearch(queries: readonly SegmentQuery[], ctx: ScoringContext, k: number): ScoredDoc[] {
  const all: ScoredDoc[] = [];
  for (const query of queries) {
    const a = query.segment.arrays;
    const perDoc = new Map<number, Float64Array>();
    query.termIndexes.forEach((r, index) => {
      if (r < 0) return;
      for (let p = a.postingStarts[r]!; p < a.postingStarts[r + 1]!; p++) {
        const doc = a.docs[p]!;
        if (query.deleted?.[doc] === 1) continue;
        let row = perDoc.get(doc);
        if (!row) perDoc.set(doc, (row = new Float64Array(ctx.terms.length).fill(NaN)));
        row[index] = contribution(ctx.terms[index]!, a.tfText[p]!, a.lenText[doc]!, a.tfTitle[p]!, a.lenTitle[doc]!, ctx);
      }
    });
    const allowed = query.allowed ? new Set(query.allowed) : undefined;
    const posting = (doc: number, r: number) => {
      for (let p = a.postingStarts[r]!; p < a.postingStarts[r + 1]!; p++) if (a.docs[p] === doc) return p;
      return -1;
    };
    const contains = (doc: number, r: number) => {
      const p = posting(doc, r);
      return p >= 0 && a.tfText[p]! > 0;
    };
    for (const [doc, row] of perDoc) {
      if (allowed && !allowed.has(doc)) continue;
      if (query.excluded.some((r) => contains(doc, r)) || !query.required.every((r) => posting(doc, r) >= 0)) continue;
      let sum = 0;
      let weight = 0;
      let count = 0;
      let mask = 0;
      row.forEach((value, i) => {
        if (Number.isNaN(value)) return;
        sum += value;
        weight += ctx.terms[i]!.weight;
        count++;
        mask |= 1 << i;
      });
      all.push({ id: a.ids[doc]!, score: coordinate(sum, count, weight, ctx), matched: mask >>> 0, coverage: coverageOf(weight, ctx) });
    }
  }
  return all.sort((x, y) => y.score - x.score || x.id - y.id).slice(0, k);
}
