/**
 * Question → `Answer`: parse, rank passages, decide whether the corpus answers at all, and
 * pick a verbatim quote from each passage. Knows nothing about Discord or terminals.
 */
import { normalizeWord } from './analyzer.ts';
import { answerProbability, isAnswer } from './answerability.ts';
import { expectedAnswerType, hasAnswerOfType, type AnswerType } from './answer-type.ts';
import { analyzedText, type Location, type Passage, type TableHeader } from './passage.ts';
import { parseQuery, QueryError } from './query.ts';
import { pickQuote } from './quote.ts';
import { rerankWithFeedback } from './feedback.ts';
import { asksAboutChange, demoteChangeLogs, isChangeLog, rerankByFile } from './ranking.ts';
import type { Hit, VerbatimIndex } from '../engine/verbatim-index.ts';
import { answerJudge, searchTermsFor, type SearchTerms } from './search-terms.ts';
import { overviewWord, questionWord, quotedHeadingLead, topicLead, topicTerms } from './topic-lead.ts';
import type { Expansion } from './shorthand.ts';
import { editDistance, type Correction } from './spelling.ts';
import { CHANGE_LOG_WEIGHT, DEFAULT_TOP, DOCUMENT_POOL, FOLLOWING_ANSWER_PROBABILITY, MAX_CORRECTED_LENGTH, MAX_EXAMPLE_GAP, MAX_TOP, MIN_SHARE_OF_BEST } from './options.ts';

export interface AnswerResult {
  source: string;
  /** Lines of the quote (within the passage). */
  lines: [number, number];
  /**
   * Verbatim text: prose with whitespace folded (a list item starting a line keeps that line
   * break) and `…` where a long passage was cut; code (see `code`) as its exact lines, line
   * breaks and indentation kept; a table's rows one per line, each with its whitespace folded.
   */
  quote: string;
  score: number;
  /** `[start, end)` ranges in `quote` of words that match the question. */
  highlights: Array<[number, number]>;
  title: string;
  /** Markdown: the heading path of the quoted place (`Installation › Using npm`). */
  section?: string;
  /** Set when the quote is code: its language (`''` when unknown). */
  code?: string;
  /**
   * Set when the quote is rows of a table without its header row: that row (its line and
   * exact text), to show above the quote.
   */
  tableHeader?: TableHeader;
  passageId: number;
  /** Lines of the whole passage. */
  passageLines: [number, number];
  /** Other places where the same passage appears. */
  also: Location[];
  /** Share of the question's weight this passage matches (0–1). */
  coverage: number;
  /**
   * Prose followed at once, in its section, by a code block (an explanation and its example):
   * that code, quoted as code is, with its own lines. The pair is one result, at the better
   * rank of its two passages: prose that ranks is quoted with its code from the code's start,
   * code that ranks is quoted at its best lines under its prose.
   */
  example?: CodeExample;
}

/** The code that a prose quote introduces (see `AnswerResult.example`). */
export interface CodeExample {
  lines: [number, number];
  /** Its exact lines, cut at a whole line when long. */
  quote: string;
  /** Its language (`''` when unknown). */
  code: string;
  passageId: number;
}

export interface Answer {
  query: string;
  /** False when nothing in the corpus is relevant enough ("not in the corpus"). */
  answered: boolean;
  results: AnswerResult[];
  /** Analyzed terms of the question. */
  terms: string[];
  /**
   * Words of the question the corpus does not have, each with the corpus word searched
   * instead ("Showing results for …"): `{ kremln: 'kremlin' }`. Absent when none was.
   */
  corrected?: Record<string, string>;
  /**
   * The question's `"phrases"` that no passage contains, searched as their words instead ("No
   * passage contains …"): `['this interaction failed']`. Absent when every phrase was found.
   */
  unmatchedPhrases?: string[];
  /**
   * The question's `"phrases"` that passages contain but none of them answers, searched as
   * their words as well because those answer ("No passage with … answers"): a name quoted in a
   * pasted message, `['theme']` for `injection "theme" not found`. Absent otherwise.
   */
  unansweredPhrases?: string[];
  /**
   * Not answered because the passages that match lack what the question asks for: an age, a sum
   * of money or a count (`answer-type.ts`; "How old is Dmitry Peskov?"). Absent otherwise.
   */
  lacking?: AnswerType;
  /** Passages in the index. */
  searched: number;
  /** Results skipped before these (paging, e.g. a "More" button). */
  offset: number;
  /** Whether more results exist after these. */
  more: boolean;
  tookMs: number;
}

export interface AskOptions {
  /** How many results. Default 3. Example: `5`. */
  top?: number;
  /** Skip this many results first (paging). Default 0. */
  offset?: number;
  /**
   * Apply the "not in the corpus" rule. Default true. `false` lists whatever matches
   * (the `/search` command), still ranked.
   */
  requireRelevance?: boolean;
  /** Restrict to this source (as `file:NAME` does). Example: `'notes/owls.md'`. */
  file?: string;
}


/** Answers a question from the index. Throws `QueryError` for input that cannot be searched. */
export function ask(index: VerbatimIndex, question: string, options: AskOptions = {}): Answer {
  const started = performance.now();
  const top = Math.min(Math.max(1, Math.floor(options.top ?? DEFAULT_TOP)), MAX_TOP);
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const parsed = parseQuery(question, index.analyzer);
  const query = options.file ? { ...parsed, file: options.file } : parsed;
  const sources = query.file === undefined ? undefined : fileSources(index, query.file);
  const terms = searchTermsFor(index, query);
  const { searchTerms, termFrequency, corrections, expansions } = terms;
  let request = { terms: searchTerms, termFrequency, exclude: query.excluded, phrases: query.phrases };
  const pool = Math.max(offset + top + 1, DOCUMENT_POOL);
  // Change logs count less unless the question asks about a change. Twice the pool is read: what
  // change logs give up is filled by other pages, and a heading that the question names is looked
  // for in the best `DOCUMENT_POOL` files, not passages.
  const changeLogWeight = asksAboutChange(terms.words) ? 1 : CHANGE_LOG_WEIGHT;
  const searchPool = () => demoteChangeLogs(index.search({ ...request, ...(sources ? { sources } : {}), limit: 2 * pool }), changeLogWeight);
  let ranked = searchPool();
  let searched = ranked.slice(0, pool);
  // A "quoted" error message the corpus never says is searched as its words, and the answer
  // says so: as a filter it left a pasted message with nothing, where its words find the page.
  let unmatchedPhrases: string[] | undefined;
  if (searched.length === 0 && query.phrases.length > 0) {
    unmatchedPhrases = query.phrases.map((words) => words.join(' '));
    request = { ...request, phrases: [] };
    ranked = searchPool();
    searched = ranked.slice(0, pool);
  }
  // Both reorder the best `DOCUMENT_POOL`: by the words they share, then by each file's BM25 as
  // a whole, through which a file's other passages count (adding its second best's score here,
  // as the evaluation does, changed no order once the files' BM25 re-sorted them).
  const rerank = (passages: Hit[]) => rerankByFile(rerankWithFeedback(index, passages, new Set(searchTerms)), (files) => index.fileScores(termFrequency, files), index.ranking.fileWeight);
  let hits = rerank(searched);
  const requireRelevance = options.requireRelevance ?? true;
  const judge = answerJudge(index, terms);
  // A question for an age, a sum of money or a count is answered only by a passage that has one.
  const answerType = expectedAnswerType(terms.words);
  const hasType = (hit: Hit) => answerType === undefined || hasAnswerOfType(hit.passage.text, answerType);
  // A "phrase" that passages have but none of them answers — a name quoted inside a pasted
  // message, `injection "theme" not found` — is searched as its words when they answer, and
  // the answer says so.
  let unansweredPhrases: string[] | undefined;
  const answers = (hit: Hit) => isAnswer(judge(hit.matched)) && hasType(hit);
  if (requireRelevance && request.phrases.length > 0 && !hits.some(answers)) {
    const strict = { request, ranked, hits };
    request = { ...request, phrases: [] };
    ranked = searchPool();
    hits = rerank(ranked.slice(0, pool));
    if (hits.some(answers)) unansweredPhrases = strict.request.phrases.map((words) => words.join(' '));
    else ({ request, ranked, hits } = strict);
  }
  // Whether the corpus answers is the model's call at its threshold (answerability.ts: fitted
  // so that a wrong corpus is almost never answered), made on the first passage that passes it.
  // The other passages shown, in rank order (a better-ranked one first), need only be more
  // likely answers than not (`FOLLOWING_ANSWER_PROBABILITY`), and every one must match at least
  // half of what the best one matched.
  const best = hits[0];
  const covers = (hit: Hit) => hit.coverage >= MIN_SHARE_OF_BEST * best!.coverage;
  const passesModel = (hit: Hit) => covers(hit) && isAnswer(judge(hit.matched));
  const isRelevant = (hit: Hit) => !requireRelevance || (passesModel(hit) && hasType(hit));
  const follows = (hit: Hit) => covers(hit) && answerProbability(judge(hit.matched)) >= FOLLOWING_ANSWER_PROBABILITY;
  const first = !best ? -1 : requireRelevance ? hits.findIndex(isRelevant) : 0;
  const relevant = first < 0 ? [] : requireRelevance ? hits.filter((hit, i) => i === first || follows(hit)) : hits;
  const answered = relevant.length > 0;
  // Said when the type is all that is missing: a passage would have answered without it.
  const lacking = !answered && answerType !== undefined && hits.some(passesModel) ? answerType : undefined;
  // A question that names a heading of one of the best files: the passage that opens it first.
  const lead = answered
    ? topicLeadHit(index, query.free, relevant, ranked, changeLogWeight < 1, terms, sources, {
        search: (topic) => index.search({ ...request, ...(sources ? { sources } : {}), terms: topic, limit: DOCUMENT_POOL }),
        scored: (id) => index.search({ ...request, passages: [id], limit: 1 })[0],
        relevant: isRelevant,
      })
    : undefined;
  const ordered = withExamples(index, lead ? [lead, ...relevant.filter((hit) => hit !== lead)] : relevant, sources, requireRelevance);
  const shown = ordered.slice(offset, offset + top);

  const results = shown.map((one) => resultOf(index, one, sources, one.hit.passage.id === lead?.passage.id));
  return {
    query: query.text,
    answered,
    results,
    terms: query.terms,
    ...(corrections.length || expansions.length ? { corrected: describeCorrections(index, corrections, expansions, hits) } : {}),
    ...(unmatchedPhrases ? { unmatchedPhrases } : {}),
    ...(unansweredPhrases ? { unansweredPhrases } : {}),
    ...(lacking ? { lacking } : {}),
    searched: index.passageCount,
    offset,
    more: ordered.length > offset + top,
    tookMs: round(performance.now() - started),
  };
}

/**
 * The opening passage of the heading that the question names in one of the best files
 * (`topic-lead.ts`), to show first when it passes `relevant`; scored as the question would
 * score it when it is not among `hits`.
 */
function topicLeadHit(
  index: VerbatimIndex,
  question: string,
  hits: readonly Hit[],
  ranked: readonly Hit[],
  skipChangeLogs: boolean,
  terms: SearchTerms,
  sources: ReadonlySet<string> | undefined,
  { search, scored, relevant }: { search: (terms: string[]) => Hit[]; scored: (id: number) => Hit | undefined; relevant: (hit: Hit) => boolean },
): Hit | undefined {
  // The words asked: not a corpus word added for two of them ("log in" → login).
  const asked = terms.searchTerms.filter((term) => !terms.joined.has(term));
  const topic = topicTerms(index.analyzer, asked, terms.words);
  const pool = hits.slice(0, DOCUMENT_POOL);
  // "Explain watchers": a word that only asks for an explanation can rank another page first
  // ("This explains…"), so the best files for the topic's own words are looked at too.
  if (topic && topic.length < asked.length) pool.push(...search(topic));
  // The best files, up to `DOCUMENT_POOL` of them when the best passages come from fewer (an FAQ
  // answers "how do I send a message to a channel" under its heading, below a page that repeats
  // the words three times). With `file:`, a hit may be cited at another place of its text: only
  // the files asked for. Not a change log's heading: its "Sending embeds" is about what changed,
  // unless the question asks that.
  const candidate = (source: string) => (!sources || sources.has(source)) && !(skipChangeLogs && isChangeLog(source));
  const files = [...new Set(pool.map((hit) => hit.passage.source))].filter(candidate);
  for (const hit of ranked) if (files.length < DOCUMENT_POOL && !files.includes(hit.passage.source) && candidate(hit.passage.source)) files.push(hit.passage.source);
  // "How …" asks how to do something, which code can answer; other questions ("how does sharding
  // work" too), what a thing is.
  const proseFirst = terms.words[0] !== 'how' || overviewWord(terms.words) !== undefined;
  // A question about a heading's subject; else one that quotes a heading whole (a pasted error).
  const opening = (topic && topicLead(index, files, topic, proseFirst, questionWord(terms.words))) ?? quotedHeadingLead(index, files, index.analyzer.terms(question), proseFirst);
  if (opening === undefined) return undefined;
  const lead = hits.find((hit) => hit.passage.id === opening) ?? scored(opening);
  return lead && relevant(lead) ? lead : undefined;
}

/** A hit as shown: its passage, or the prose before it when the hit is that prose's code example. */
interface ShownHit {
  hit: Hit;
  /** The code shown after the hit's prose. */
  example?: Passage;
  /** The hit is that code, ranked for itself: quoted at its best lines, not from its start. */
  exampleRanked?: boolean;
}

/**
 * Each answer with its code example (`AnswerResult.example`): prose with the code block that
 * follows it, and code with the prose that introduces it, shown as that prose and its example
 * at the better rank of the two; a later hit that is already shown is dropped. Answers only:
 * `/search` lists passages, one line each. With `file:` naming other files than a passage's
 * own place, none.
 */
function withExamples(index: VerbatimIndex, hits: readonly Hit[], sources: ReadonlySet<string> | undefined, answers: boolean): ShownHit[] {
  if (!answers) return hits.map((hit) => ({ hit }));
  const shown = new Set<number>();
  const out: ShownHit[] = [];
  for (const hit of hits) {
    if (shown.has(hit.passage.id)) continue;
    shown.add(hit.passage.id);
    const own = sources === undefined || sources.has(hit.passage.source);
    const example = own ? exampleAfter(index, hit.passage) : undefined;
    const intro = own && !example ? introBefore(index, hit.passage) : undefined;
    if (example && !shown.has(example.id)) {
      shown.add(example.id);
      out.push({ hit, example });
    } else if (intro && !shown.has(intro.id)) {
      shown.add(intro.id);
      out.push({ hit: { ...hit, passage: intro }, example: hit.passage, exampleRanked: true });
    } else out.push({ hit });
  }
  return out;
}

/**
 * The code block right after a prose passage, in its section and at most
 * `MAX_EXAMPLE_GAP` lines below it (a fence line, a blank line, a comment between).
 */
function exampleAfter(index: VerbatimIndex, prose: Passage): Passage | undefined {
  const next = index.passageAfter(prose.id);
  return next && isExampleOf(next, prose) ? next : undefined;
}

/** The prose that a code block is the example of (`exampleAfter` the other way round). */
function introBefore(index: VerbatimIndex, code: Passage): Passage | undefined {
  const previous = index.passageBefore(code.id);
  return previous && isExampleOf(code, previous) ? previous : undefined;
}

/** Whether `code` is a code block that `prose` (neither code nor table rows) introduces. */
function isExampleOf(code: Passage, prose: Passage): boolean {
  const isProse = prose.code === undefined && prose.tableHeader === undefined;
  return isProse && code.code !== undefined && code.section === prose.section && code.lines[0] - prose.lines[1] <= MAX_EXAMPLE_GAP;
}

/** One shown passage as a result: its quote, where it is cited, and what is shown with it. */
function resultOf(index: VerbatimIndex, { hit, example, exampleRanked = false }: ShownHit, sources: ReadonlySet<string> | undefined, lead: boolean): AnswerResult {
  const { passage } = hit;
  const matchedWeights = new Map(hit.matched.map((term) => [term, index.idf(term)]));
  const code = passage.code !== undefined;
  // A topic's opening passage is quoted from its first sentence: that is where it says what the topic is.
  // Table rows are quoted a row per line (a folded table reads as one long row).
  const rows = !code && passage.tableHeader !== undefined;
  const headerLines = rows && passage.tableHeader!.line === passage.lines[0] ? 2 : 0; // the header row and `| --- |`
  const quote = pickQuote(passage.text, passage.lines[0], matchedWeights, index.analyzer, { code, rows, headerLines, fromStart: lead, ...(passage.markup ? { markup: passage.markup } : {}) });
  // With `file:`, cite the place inside the files asked for. Another place of the same
  // text may wrap its lines differently, so it is cited by its whole range, and code is
  // quoted whole there (a cut would need that place's own line breaks).
  const place = sources && !sources.has(passage.source) ? passage.also.find((location) => sources.has(location.source)) : undefined;
  const cited: Location = place ?? passage;
  const shownQuote = place && code ? { quote: passage.text, highlights: [] } : { quote: quote.quote, highlights: quote.highlights };
  const header = !place && passage.tableHeader && quote.lines[0] > passage.tableHeader.line ? passage.tableHeader : undefined;
  return {
    source: cited.source,
    lines: place ? place.lines : quote.lines,
    ...shownQuote,
    score: round(hit.score),
    title: index.displayTitle(cited.source) ?? passage.title,
    ...(cited.section !== undefined ? { section: cited.section } : {}),
    ...(code ? { code: passage.code } : {}),
    ...(header ? { tableHeader: header } : {}),
    passageId: passage.id,
    passageLines: cited.lines,
    also: place ? [{ source: passage.source, lines: passage.lines, ...(passage.section !== undefined ? { section: passage.section } : {}) }, ...passage.also.filter((location) => location !== place)] : passage.also,
    coverage: round(hit.coverage),
    ...(example ? { example: exampleOf(index, example, matchedWeights, !exampleRanked) } : {}),
  };
}

/**
 * A code example quoted as code is, cut at a whole line when long: from its start, or at its
 * best lines when it was ranked for itself.
 */
function exampleOf(index: VerbatimIndex, passage: Passage, weights: ReadonlyMap<string, number>, fromStart: boolean): CodeExample {
  const quote = pickQuote(passage.text, passage.lines[0], weights, index.analyzer, { code: true, fromStart, ...(passage.markup ? { markup: passage.markup } : {}) });
  return { lines: quote.lines, quote: quote.quote, code: passage.code ?? '', passageId: passage.id };
}

/**
 * Corrections as the words people read: the question's word as typed and the corpus word as
 * the best passage that has it writes it (the term when none does), both normalized; chat
 * shorthand with its full words (`{ vc: 'voice channel' }`).
 */
function describeCorrections(index: VerbatimIndex, corrections: readonly Correction[], expansions: readonly Expansion[], hits: readonly Hit[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { typed, shown } of expansions) out[clipWord(typed)] = shown;
  for (const { typed, corrected, spelled } of corrections) {
    let shown = corrected;
    const hit = hits.find((candidate) => candidate.matched.includes(corrected));
    // The passage's form of the word nearest the typed one: "reply" for "repyl", not "replied";
    // the English word one edit away when the passage writes only a farther form ("differ"
    // for "diffrence", where "difference" is meant).
    const forms = hit
      ? index.analyzer
          .tokens(analyzedText(hit.passage.text, hit.passage.markup))
          .filter((token) => token.term === corrected)
          .map((token) => clipWord(normalizeWord(hit.passage.text.slice(token.start, token.end))))
      : [];
    if (spelled) forms.push(clipWord(spelled));
    const distance = (form: string) => editDistance(typed, form, MAX_CORRECTED_LENGTH);
    if (forms.length) shown = forms.reduce((nearest, form) => (distance(form) < distance(nearest) ? form : nearest));
    out[clipWord(typed)] = shown;
  }
  return out;
}

/**
 * The sentence that tells what was corrected — "Showing results for kremlin (you typed
 * kremln)." — with each word passed through `format` (emphasis, escaping); none when nothing was.
 */
export function correctionLine(corrected: Answer['corrected'], format: { shown: (word: string) => string; typed: (word: string) => string } = { shown: (w) => w, typed: (w) => w }): string | undefined {
  const pairs = Object.entries(corrected ?? {});
  if (pairs.length === 0) return undefined;
  return `Showing results for ${pairs.map(([, word]) => format.shown(word)).join(', ')} (you typed ${pairs.map(([typed]) => format.typed(typed)).join(', ')}).`;
}

/**
 * The sentence that tells which phrases no passage contains — `No passage contains "this
 * interaction failed"; showing passages with its words.` — each passed through `format`; none
 * when every phrase was found.
 */
export function unmatchedPhraseLine(phrases: Answer['unmatchedPhrases'], format: (phrase: string) => string = (phrase) => phrase): string | undefined {
  return phrases?.length ? `No passage contains ${quotedPhrases(phrases, format)}; ${showingTheirWords(phrases)}` : undefined;
}

/**
 * The sentence that tells which phrases passages have but none of them answers — `No passage
 * with "theme" answers; showing passages with its words.` — each passed through `format`; none
 * when there are none.
 */
export function unansweredPhraseLine(phrases: Answer['unansweredPhrases'], format: (phrase: string) => string = (phrase) => phrase): string | undefined {
  return phrases?.length ? `No passage with ${quotedPhrases(phrases, format)} answers; ${showingTheirWords(phrases)}` : undefined;
}

/** Both phrase lines that apply to `answer`, in that order, each phrase passed through `format`. */
export function phraseLines(answer: Pick<Answer, 'unmatchedPhrases' | 'unansweredPhrases'>, format?: (phrase: string) => string): string[] {
  return [unmatchedPhraseLine(answer.unmatchedPhrases, format), unansweredPhraseLine(answer.unansweredPhrases, format)].filter((line) => line !== undefined);
}

function quotedPhrases(phrases: readonly string[], format: (phrase: string) => string): string {
  return phrases.map((phrase) => `"${format(phrase)}"`).join(' or ');
}

function showingTheirWords(phrases: readonly string[]): string {
  return `showing passages with ${phrases.length === 1 ? 'its' : 'their'} words.`;
}

/** At most a correctable word's length: a word padded with invisible characters can be long. */
function clipWord(word: string): string {
  return [...word].slice(0, MAX_CORRECTED_LENGTH).join('');
}

/** `file:NAME` as the set of files a passage must have a place in. */
function fileSources(index: VerbatimIndex, file: string): Set<string> {
  const sources = resolveFile(index, file);
  if (sources.size === 0) throw new QueryError(`No file "${file}" in the corpus.`);
  return sources;
}

/**
 * `file:` names a file or a folder:
 * - a source exactly, or a file name with or without its extension (every file of that
 *   name: `file:README.md` searches all the READMEs);
 * - a folder, with or without its trailing `/` (`file:slash-commands/`): every file under it;
 * - else a prefix of a path or file name when exactly one file has it (`file:004`).
 */
export function resolveFile(index: VerbatimIndex, name: string): Set<string> {
  const { sources, ambiguous } = matchFiles(index, name);
  if (ambiguous) {
    const names = [...sources].slice(0, 5).join(', ');
    throw new QueryError(`"file:${name}" matches ${sources.size} files (${names}${sources.size > 5 ? ', …' : ''}); give more of the name.`);
  }
  return sources;
}

/**
 * The files `name` names by `resolveFile`'s rules, without throwing: `ambiguous` when they
 * are several files that merely share a prefix (not one name or one folder).
 */
export function matchFiles(index: VerbatimIndex, name: string): { sources: Set<string>; ambiguous: boolean } {
  const wanted = name.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/u, '').toLowerCase();
  const isFolder = wanted.endsWith('/');
  const folder = isFolder ? wanted : `${wanted}/`;
  const exact = new Set<string>();
  const inFolder = new Set<string>();
  const prefixed = new Set<string>();
  for (const source of index.sources()) {
    const lower = source.toLowerCase();
    const base = lower.slice(lower.lastIndexOf('/') + 1);
    if (!isFolder && (lower === wanted || base === wanted || base.replace(/\.[^.]+$/, '') === wanted)) exact.add(source);
    else if (lower.startsWith(folder)) inFolder.add(source);
    else if (!isFolder && (base.startsWith(wanted) || lower.startsWith(wanted))) prefixed.add(source);
  }
  if (exact.size) return { sources: exact, ambiguous: false };
  if (inFolder.size || isFolder) return { sources: inFolder, ambiguous: false };
  return { sources: prefixed, ambiguous: prefixed.size > 1 };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
