/**
 * From a parsed question to the terms searched: the question's own terms, with each
 * misspelling the corpus has never seen replaced by the closest corpus word at a lower weight
 * (`spelling.ts`), chat shorthand the corpus lacks by its full words and a member's word
 * ("server") joined by the documentation's ("guild", `shorthand.ts`), and
 * the corpus's one word for two neighbouring question words added ("log in" → login), and
 * names and jargon weighed up (`RankingOptions.nameWeight`). Shared
 * by `ask` and the evaluation, so what is measured is what is asked.
 *
 * Tried and left out: WordNet synonyms for English words the corpus lacks ("envoy" →
 * "emissary"). No effect on SciFact train or SQuAD (their questions' words are in their
 * corpora), and noisy where they act: "fins" became "five", "charged" "complaint".
 */
import { normalizeWord } from './analyzer.ts';
import type { ParsedQuery } from './query.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { isEnglishWord, lemmasOfWord } from './lexicon.ts';
import { englishRarity } from './word-frequency.ts';
import { docsWordsFor, expandShorthand, expandWordPairs, isChatWord, readingsFor, type Expansion } from './shorthand.ts';
import { correctTerms, type Correction } from './spelling.ts';
import { breakWords } from './word-breaks.ts';
import { sentences } from './framing.ts';
import { DOCS_WORD_WEIGHT, JOINED_WEIGHT, MAX_JOINED_WORD } from './options.ts';
import { answerSignals, type AnswerSignals } from './answerability.ts';

export interface SearchTerms {
  /**
   * Distinct terms to rank by, and to judge whether the corpus answers on
   * (`answerability.ts`): the question's, misspellings corrected.
   */
  searchTerms: string[];
  /** Each search term's weight (query term frequency × the weight of a substitute). */
  termFrequency: Map<string, number>;
  corrections: Correction[];
  /** Chat shorthand the corpus lacks, searched as its full words (`shorthand.ts`). */
  expansions: Expansion[];
  /**
   * Search terms whose words are English (`lexicon.ts`), chat shorthand and its full words;
   * not a misspelling's stand-in (most are names). The rest are names and jargon.
   */
  english: Set<string>;
  /**
   * Each added corpus word that stands for question words → their terms among `searchTerms`:
   * made of two of them ("setup" for "set up"), or the documentation's word for a member's
   * ("guild" for "server", `shorthand.ts`). Another way to write them, not one more word asked.
   */
  joined: Map<string, string[]>;
  /** The question's normalized words outside `"phrases"`, in order, stopwords kept. */
  words: string[];
  /**
   * The search terms of each sentence of a message of several, and whether it asks
   * (`sentences` in `framing.ts`); empty for a message of one sentence.
   */
  clauses: SearchClause[];
}

/** One sentence of a message: its search terms, and whether it asks something. */
export interface SearchClause {
  terms: string[];
  asks: boolean;
}

export interface SearchTermOptions {
  /** Search misspellings as corpus words. Default true; `false` measures what it adds. */
  correct?: boolean;
  /**
   * Search chat shorthand the corpus lacks as its full words, and a member's word for what
   * the documentation names otherwise as both (`shorthand.ts`). Default true.
   */
  expand?: boolean;
  /** Add the corpus word two neighbouring question words make ("log in" → login). Default true. */
  join?: boolean;
  /** Search an English word the corpus lacks in its form as its lemma ("longest" → long). Default true. */
  lemmatize?: boolean;
}

export function searchTermsFor(index: VerbatimIndex, query: ParsedQuery, options: SearchTermOptions = {}): SearchTerms {
  const phraseTerms = new Set(query.phrases.flat().map((word) => index.analyzer.term(word)).filter(Boolean));
  // A stopword is a term only where a hyphen joins it ("v-if", `isHyphenJoined`): one the corpus
  // never joins ("higher-up" asked of news that lacks it) says nothing, as a stopword says nothing.
  const unjoined = new Set(
    index.analyzer
      .tokens(query.free)
      .filter(({ term, start, end }) => !index.analyzer.term(query.free.slice(start, end)) && !index.hasTerm(term))
      .map(({ term }) => term),
  );
  const asked = (query.terms.length ? query.terms : [...phraseTerms]).filter((term) => !unjoined.has(term));
  let words: Map<string, string[]> | undefined;
  let free: string[] | undefined;
  const freeWords = () => (free ??= index.analyzer.words(query.free));
  const wordsOf = (term: string) => (words ??= questionWords(index, query.text)).get(term) ?? [];
  const expansions = options.expand === false ? [] : expandShorthand(index, asked, wordsOf, phraseTerms);
  if (options.expand !== false) {
    const pairs = expandWordPairs(index, freeWords(), new Set(asked), phraseTerms);
    expansions.push(...pairs.filter((pair) => !expansions.some((expansion) => expansion.term === pair.term)));
  }
  // A word the corpus writes as two ("rerendering": re-rendering), before a spelling fix takes it for another word.
  const breaks = options.correct === false ? [] : breakWords(index, asked.filter((term) => !expansions.some((expansion) => expansion.term === term)), wordsOf, phraseTerms);
  expansions.push(...breaks);
  const expansionOf = new Map(expansions.map((expansion) => [expansion.term, expansion]));
  const corrections = options.correct === false ? [] : correctTerms(index, asked.filter((term) => !expansionOf.has(term)), wordsOf, phraseTerms);
  const correctionOf = new Map(corrections.map((correction) => [correction.term, correction]));
  // An English word the corpus lacks in this form, searched as its lemma's term: "longest" (which
  // Porter keeps) as long, "bought" as buy.
  const lemmaOf = options.lemmatize === false ? new Map<string, string>() : lemmaTerms(index, asked.filter((term) => !expansionOf.has(term) && !correctionOf.has(term) && !phraseTerms.has(term)), wordsOf);
  // The corpus term a question term is searched as, when it is not an expansion.
  const searchedTerm = (term: string) => lemmaOf.get(term) ?? correctionOf.get(term)?.corrected ?? term;
  const termFrequency = new Map<string, number>();
  const add = (key: string, weight: number) => termFrequency.set(key, Math.max(termFrequency.get(key) ?? 0, weight));
  for (const term of asked) {
    const asWeighted = query.termFrequency.get(term) ?? 1;
    const expansion = expansionOf.get(term);
    if (expansion) {
      for (const full of expansion.terms) add(full, asWeighted);
      continue;
    }
    add(searchedTerm(term), asWeighted * (correctionOf.get(term)?.weight ?? 1));
  }
  const joined = options.join === false ? new Map<string, string[]>() : joinedWords(index, freeWords(), termFrequency);
  for (const term of joined.keys()) add(term, JOINED_WEIGHT);
  // "server" asked of a corpus that says "server" and "guild": guild too, standing for it; "msg"
  // asked of one with `msg` in a code sample: message too.
  const docsWords = options.expand === false ? new Map<string, string>() : docsWordsFor(index, asked, wordsOf, phraseTerms);
  // "pinging everyone": mention too, standing for "ping"; "reply privately": ephemeral.
  if (options.expand !== false) {
    const searched = (word: string) => {
      const term = index.analyzer.term(word);
      if (!term || phraseTerms.has(term)) return undefined;
      const as = searchedTerm(term);
      return termFrequency.has(as) ? as : undefined;
    };
    for (const [term, of] of readingsFor(index, freeWords(), searched)) if (!docsWords.has(term)) docsWords.set(term, of);
  }
  for (const [term, of] of docsWords) {
    if (termFrequency.has(term)) continue;
    joined.set(term, [of]);
    add(term, DOCS_WORD_WEIGHT * termFrequency.get(of)!);
  }
  const searchTerms = [...termFrequency.keys()];
  // Shorthand's full words are English; a split word's halves are when they are English words ("health check", not "nest js").
  const english = new Set(expansions.filter((expansion) => !breaks.includes(expansion)).flatMap((expansion) => expansion.terms));
  for (const { shown, terms: halves } of breaks) {
    const halfWords = index.analyzer.words(shown);
    halves.forEach((half, i) => {
      if (isEnglishWord(halfWords[i] ?? '')) english.add(half);
    });
  }
  const { nameWeight, rarityWeight } = index.ranking;
  for (const term of asked) {
    if (expansionOf.has(term) || correctionOf.has(term)) continue;
    const lemma = lemmaOf.get(term);
    if (lemma !== undefined) {
      english.add(lemma);
      continue;
    }
    if (wordsOf(term).some((word) => isEnglishWord(word) || isChatWord(word))) english.add(term);
    // Names and jargon the corpus has weigh more than their IDF (`RankingOptions.nameWeight`).
    else if (nameWeight !== 1 && !english.has(term) && index.documentFrequency(term) > 0) termFrequency.set(term, termFrequency.get(term)! * nameWeight);
  }
  // Everyday English words count less than their IDF in a corpus that rarely needs them
  // ("long", "stay"), rare ones more ("poll"): `RankingOptions.rarityWeight`.
  if (rarityWeight !== 0) for (const term of searchTerms) termFrequency.set(term, termFrequency.get(term)! * rarityFactor(index, term));
  const searchedAs = (term: string) => expansionOf.get(term)?.terms ?? [searchedTerm(term)];
  const clauses = sentences(query.free)
    .map(({ text, asks }) => ({ terms: [...new Set(index.analyzer.terms(text).flatMap(searchedAs))].filter((term) => termFrequency.has(term)), asks }))
    .filter((clause) => clause.terms.length > 0);
  return { searchTerms, termFrequency, corrections, expansions, english, joined, words: freeWords(), clauses: clauses.length > 1 ? clauses : [] };
}

/**
 * How much more (over 1) or less a term the corpus has counts for its rarity in general
 * English: exp(`rarityWeight` × (rarity − 0.5)). A term the corpus lacks scores nothing
 * either way, and keeps 1.
 */
export function rarityFactor(index: VerbatimIndex, term: string): number {
  const { rarityWeight } = index.ranking;
  if (rarityWeight === 0 || index.documentFrequency(term) === 0) return 1;
  return Math.exp(rarityWeight * (englishRarity(index.analyzer, term) - 0.5));
}

/**
 * Judges passages for one question (`answerability.ts`): the signals of a passage from the
 * question's terms it matched. A joined word stands for its parts — matching "setup" matches
 * "set up" — and is not judged beside them, so "set up a postgres replica" is not half
 * answered by a passage that says "setup".
 */
export function answerJudge(index: VerbatimIndex, terms: SearchTerms): (matched: readonly string[]) => AnswerSignals {
  const judged = index
    .questionTerms(terms.searchTerms.filter((term) => !terms.joined.get(term)?.length), terms.english)
    .map((term) => ({ ...term, rarity: englishRarity(index.analyzer, term.term) }));
  const maxIdf = index.maxIdf();
  const absentNames = new Set(judged.filter((term) => term.df === 0 && !term.english).map((term) => term.term));
  return (matched) => {
    const found = new Set(matched);
    for (const term of matched) for (const part of terms.joined.get(term) ?? []) found.add(part);
    // A message of several sentences, one of which asks (`sentences`; when that one has no word
    // to search, the whole message is judged): the ones that ask are judged, and the others
    // where the passage meets them or where they name something the corpus lacks ("…San
    // Diego, Riverside and San Bernardino make up four of the five counties. What is the name of
    // the last county?"). "ok so i have been staring at this since lunch and my coffee went cold
    // twice. how do i…" is not half unanswered for its coffee.
    if (terms.clauses.some((clause) => clause.asks)) {
      const judgedHere = (clause: SearchClause) => clause.asks || clause.terms.some((term) => found.has(term) || absentNames.has(term));
      const kept = new Set(terms.clauses.filter(judgedHere).flatMap((clause) => clause.terms));
      return answerSignals(judged.filter((term) => kept.has(term.term)), found, maxIdf);
    }
    return answerSignals(judged, found, maxIdf);
  };
}

/**
 * Terms of the corpus made of two neighbouring words of the question: "time out" meets
 * "timeout", "sub command" meets "subcommand", "log in" meets "login". A verb and its particle
 * with one word between them are neighbours too, as English separates them: "time someone
 * out", "log them in", "set it up"; so are a verb and its object with an article or pronoun
 * between them, as a method name leaves it out ("defer a reply" meets `deferReply`, "edit the
 * reply" `editReply`). Of the stopwords only particles join (the "in" of "log in",
 * "on line" → online): a pronoun or article never starts a compound ("my logs" is not a
 * corpus's `mylogs`), and two stopwords never make a topic; numbers do not join, and words longer than
 * `MAX_JOINED_WORD` are not halves of a compound (each pair costs a dictionary lookup, a long
 * claim has dozens).
 */
function joinedWords(index: VerbatimIndex, words: readonly string[], asked: ReadonlyMap<string, number>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const { stopwords } = index.analyzer;
  const tried = new Set<string>(); // a repeated pair is looked up once
  const joins = (word: string) => word.length <= MAX_JOINED_WORD && LETTERS.test(word) && (!stopwords.has(word) || PARTICLES.has(word));
  const join = (left: string, right: string) => {
    if (!joins(left) || !joins(right) || (stopwords.has(left) && stopwords.has(right)) || tried.has(left + right)) return;
    tried.add(left + right);
    const term = index.analyzer.term(left + right);
    if (!term || asked.has(term) || out.has(term) || !index.hasTerm(term)) return;
    out.set(term, [index.analyzer.term(left), index.analyzer.term(right)].filter((part) => asked.has(part)));
  };
  const joinAcross = (left: string, right: string) => {
    if (stopwords.has(left) || stopwords.has(right)) return;
    join(left, right);
  };
  for (let i = 0; i + 1 < words.length; i++) {
    join(words[i]!, words[i + 1]!);
    if (i + 2 < words.length && PARTICLES.has(words[i + 2]!)) join(words[i]!, words[i + 2]!);
    if (i + 2 < words.length && DETERMINERS.has(words[i + 1]!)) joinAcross(words[i]!, words[i + 2]!);
  }
  return out;
}

/** For each term the corpus lacks whose word is an English form of a word it has: that word's term. */
function lemmaTerms(index: VerbatimIndex, asked: readonly string[], wordsOf: (term: string) => readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const term of asked) {
    if (index.hasTerm(term)) continue;
    for (const word of wordsOf(term)) {
      const lemma = lemmasOfWord(word).map((lemma) => index.analyzer.term(lemma)).find((lemma) => lemma && lemma !== term && index.hasTerm(lemma));
      if (lemma) {
        out.set(term, lemma);
        break;
      }
    }
  }
  return out;
}

/** Words between a verb and its object that a method name leaves out ("defer a reply" → `deferReply`). */
const DETERMINERS: ReadonlySet<string> = new Set(['a', 'an', 'the', 'my', 'your', 'its', 'their', 'our', 'his', 'her', 'this', 'that', 'each', 'every']);

/** The particles of English phrasal verbs, which may stand one word after their verb ("set it up"). */
const PARTICLES: ReadonlySet<string> = new Set(['up', 'down', 'in', 'out', 'on', 'off', 'over', 'back', 'away']);

const LETTERS = /^\p{L}+$/u;

/** Each term of a question with the normalized words it came from ("hacked" for `hack`). */
function questionWords(index: VerbatimIndex, question: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { term, start, end } of index.analyzer.tokens(question)) {
    const words = out.get(term) ?? [];
    words.push(normalizeWord(question.slice(start, end)));
    out.set(term, words);
  }
  return out;
}

