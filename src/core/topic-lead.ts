/**
 * "What are intents?", "how do I ban a user?", "how do webhooks work?": a question whose every
 * word, but those that only ask for an overview, is in a heading of one of the best files asks
 * about that heading's subject, and documentation answers in the
 * first words under the heading — the page's opening for its title ("Gateway Intents were
 * introduced by Discord so…"), a section's for its own, an FAQ's code under its question. BM25
 * ranks any passage that repeats the words, so such a question got any passage of the right
 * page, or of a page that repeats them more (3 of the guide's 22 were answered by the opening;
 * all are now).
 */
import type { Analyzer } from './analyzer.ts';
import { analyzedText, SECTION_SEPARATOR } from './passage.ts';
import { foldWhitespace } from './text.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';

/**
 * A heading names a subject in a few words; a question with more than this many asks about a
 * detail of it, even when a long heading happens to hold them all.
 */
export const MAX_TOPIC_TERMS = 6;
/**
 * Words that ask for a definition, an overview or how to use a thing without naming the topic
 * ("explain sharding", "how do I use collectors": the collectors page, not a passage repeating "use").
 */
const ASKING_WORDS = ['explain', 'define', 'definition', 'meaning', 'mean', 'describe', 'tell', 'overview', 'introduction', 'intro', 'concept', 'use'];
/** Sections read for a heading: the first ones of an enormous file, so a question stays cheap. */
export const MAX_TOPIC_SECTIONS = 500;
/** Passages read under a heading for the first that says a word asked. */
const MAX_OPENING_PASSAGES = 8;

/**
 * The id of the passage that opens the heading naming every term of `topic` (`topicTerms`) in
 * one of `sources` (the best files, best first), or undefined when no heading does. A page's
 * title wins over a section heading in a better-ranked file: the page titled "Audio Player" is
 * about the audio player, a section of another page that names it is not. `proseFirst`: a
 * question about what a thing is wants the words that say it before code; one about how to do
 * it takes whichever comes first, and an FAQ answers "How do I ban a user?" with two lines of code.
 */
export function topicLead(index: VerbatimIndex, sources: readonly string[], topic: readonly string[], proseFirst = true, asks?: string): number | undefined {
  const wanted = new Set(topic);
  let best: Opening | undefined;
  for (const source of sources) {
    const opening = headingOpening(index, source, wanted, proseFirst, asks);
    if (opening && (!best || before(opening, best))) best = opening;
  }
  return best?.id;
}

/**
 * The question word a question starts with ("how", "who"), to meet a heading that asks the same:
 * an FAQ's "How do I kick a guild member?" answers "how do i kick someone", the audit log page's
 * "Who kicked a user?" does not. Undefined when it starts otherwise.
 */
export function questionWord(words: readonly string[]): string | undefined {
  const first = words[0];
  return first !== undefined && QUESTION_WORDS.has(first) ? first : undefined;
}

const QUESTION_WORDS: ReadonlySet<string> = new Set(['how', 'what', 'who', 'why', 'when', 'where', 'which']);

/** Shallower first; then a heading that does not ask another question; then fewer other terms. */
function before(a: Opening, b: Opening): boolean {
  if (a.depth !== b.depth) return a.depth < b.depth;
  if (a.asksOtherwise !== b.asksOtherwise) return !a.asksOtherwise;
  return a.others < b.others;
}

/**
 * The terms a heading must name for `asked` to be a question about it: all but the words that
 * only ask for an explanation; undefined when none are left or more than `MAX_TOPIC_TERMS`.
 */
export function topicTerms(analyzer: Analyzer, asked: readonly string[], words: readonly string[] = []): string[] | undefined {
  const asking = new Set(ASKING_WORDS.map((word) => analyzer.term(word)));
  const overview = overviewWord(words);
  if (overview) asking.add(analyzer.term(overview));
  const wanted = [...new Set(asked.filter((term) => !asking.has(term)))];
  return wanted.length === 0 || wanted.length > MAX_TOPIC_TERMS ? undefined : wanted;
}

/**
 * The word that makes a question ask for an overview of what it names, by its form: "how does
 * sharding work" (work), "what does a snowflake look like" (look). `words` are the question's
 * normalized words, stopwords kept. Elsewhere the word is asked ("why doesn't my command work").
 */
export function overviewWord(words: readonly string[]): string | undefined {
  const [first, second] = words;
  const last = words[words.length - 1];
  if (words.length < 4 || (second !== 'does' && second !== 'do')) return undefined;
  if (first === 'how' && (last === 'work' || last === 'works')) return last;
  if (first === 'what' && last === 'like' && words[words.length - 2] === 'look') return 'look';
  return undefined;
}

interface Opening {
  /** 0 for the page's title, else the heading's level in the section path. */
  depth: number;
  /** The heading's terms that the question does not ask. */
  others: number;
  /** The heading is a question that starts with another question word than the question's. */
  asksOtherwise: boolean;
  id: number;
}

type Outline = NonNullable<ReturnType<VerbatimIndex['fileOutline']>>;

/** In one file: the opening of the shallowest heading naming every wanted term, fewest other terms first. */
function headingOpening(index: VerbatimIndex, source: string, wanted: ReadonlySet<string>, proseFirst: boolean, asks?: string): Opening | undefined {
  const outline = index.fileOutline(source, MAX_TOPIC_SECTIONS);
  const title = index.fileInfo(source)?.title;
  if (!outline || title === undefined) return undefined;
  let best: Opening | undefined;
  // A page's folders below the corpus's own (`docs/`) are the part of the docs it belongs to:
  // "Deleting commands" in `slash-commands/` is about deleting slash commands.
  const folderTerms = new Set(index.analyzer.terms(source.slice(index.rootFolder().length).split('/').slice(0, -1).join(' ')));
  const consider = (heading: string, depth: number, section: string) => {
    if (best && best.depth < depth) return;
    const others = otherTerms(index.analyzer, heading, wanted, depth === 0 ? folderTerms : undefined);
    if (others < 0) return;
    const headingAsks = asks === undefined ? undefined : questionWord(index.analyzer.words(heading));
    const candidate = { depth, others, asksOtherwise: headingAsks !== undefined && headingAsks !== asks, id: -1 };
    if (best && !before(candidate, best)) return;
    const id = openingOf(index, outline, title, section, wanted, proseFirst);
    if (id !== undefined) best = { ...candidate, id };
  };
  consider(title, 0, '');
  if (best) return best; // no heading beats the page's title
  forEachHeading(outline, consider);
  return best;
}

/**
 * A pasted error message or a question that quotes a heading — "DiscordAPIError[50007]:
 * Cannot send messages to this user", "what's the global rate limit for requests" — names that
 * section although it asks more than the heading holds: the heading's terms, at least this
 * many, stand in the question in a row. Fewer ("Errors") are named by chance, and words of a
 * heading scattered through a question ("a user command and a message command" against a
 * change log's "User and Message Commands") name it no more than BM25 already counts them.
 */
export const MIN_QUOTED_HEADING_TERMS = 3;

/**
 * The opening of the heading in `sources` (the best files, best first) that `question` (its
 * terms in order) quotes; the longest wins, then the better-ranked file and the shallower
 * heading. Undefined when none is quoted.
 */
export function quotedHeadingLead(index: VerbatimIndex, sources: readonly string[], question: readonly string[], proseFirst = true): number | undefined {
  let best: { size: number; id: number } | undefined;
  for (const source of sources) {
    const outline = index.fileOutline(source, MAX_TOPIC_SECTIONS);
    const title = index.fileInfo(source)?.title;
    if (!outline || title === undefined) continue;
    const consider = (heading: string, _depth: number, section: string) => {
      const terms = index.analyzer.terms(heading);
      if (terms.length < MIN_QUOTED_HEADING_TERMS || (best && best.size >= terms.length) || !holdsInARow(question, terms)) return;
      const id = openingOf(index, outline, title, section, new Set(terms), proseFirst);
      if (id !== undefined) best = { size: terms.length, id };
    };
    consider(title, 0, '');
    forEachHeading(outline, consider);
  }
  return best?.id;
}

/** Whether `run` stands in `sequence` as consecutive items. */
function holdsInARow(sequence: readonly string[], run: readonly string[]): boolean {
  for (let start = 0; start + run.length <= sequence.length; start++) {
    let i = 0;
    while (i < run.length && sequence[start + i] === run[i]) i++;
    if (i === run.length) return true;
  }
  return false;
}

/** Every heading of a file's outline, each once, with its level and its section path. */
function forEachHeading(outline: Outline, visit: (heading: string, depth: number, section: string) => void): void {
  const seen = new Set<string>();
  for (const { section } of outline) {
    const headings = section === '' ? [] : section.split(SECTION_SEPARATOR);
    // Every level: a heading with only subsections under it opens with their first prose.
    for (let depth = 1; depth <= headings.length; depth++) {
      const path = headings.slice(0, depth).join(SECTION_SEPARATOR);
      if (seen.has(path)) continue;
      seen.add(path);
      visit(headings[depth - 1]!, depth, path);
    }
  }
}

/** The opening of `section` (`''`: the page): prose first when `proseFirst`, else whichever comes first. */
function openingOf(index: VerbatimIndex, outline: Outline, title: string, section: string, wanted: ReadonlySet<string>, proseFirst: boolean): number | undefined {
  const foldedTitle = foldWhitespace(title);
  // The first passage under a heading, in its own section or below it, that says a word
  // asked: not a box that opens a page ("This page assumes you have read…"), nor a plain-text
  // file's first line, which is its title. Prose (`prose` true), or code only in the heading's
  // own section (false), or either (undefined).
  // When none of the first few says one (Porter keeps "reaction" apart from "react"), the first.
  const openingUnder = (prose?: boolean): number | undefined => {
    let read = 0;
    let first: number | undefined;
    for (const run of outline) {
      const under = prose === false ? run.section === section : section === '' || run.section === section || run.section.startsWith(section + SECTION_SEPARATOR);
      if ((prose !== undefined && run.prose !== prose) || !under) continue;
      for (const id of run.ids(MAX_OPENING_PASSAGES - read)) {
        const passage = index.passage(id);
        if (passage && foldWhitespace(passage.text) !== foldedTitle) {
          if (saysAny(index.analyzer, analyzedText(passage.text, passage.markup), wanted)) return id;
          first ??= id;
        }
        if (++read >= MAX_OPENING_PASSAGES) return first;
      }
    }
    return first;
  };
  return proseFirst ? (openingUnder(true) ?? openingUnder(false)) : openingUnder();
}

function saysAny(analyzer: Analyzer, text: string, wanted: ReadonlySet<string>): boolean {
  return analyzer.terms(text).some((term) => wanted.has(term));
}

/**
 * How many terms of `heading` are not wanted, or -1 when it lacks one that is. `context` (a
 * title's folders) may hold wanted terms the heading lacks, but not all of them: then the
 * folder is what the question names, and every page in it would do.
 */
function otherTerms(analyzer: Analyzer, heading: string, wanted: ReadonlySet<string>, context?: ReadonlySet<string>): number {
  const terms = new Set(analyzer.terms(heading));
  let held = 0;
  for (const term of wanted) {
    if (terms.has(term)) held++;
    else if (!context?.has(term)) return -1;
  }
  // What the heading lacks, the context gave: the heading must add a wanted term the context lacks.
  if (held < wanted.size && [...wanted].every((term) => context!.has(term))) return -1;
  return terms.size - held;
}
