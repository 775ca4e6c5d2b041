/**
 * Chat shorthand: people type "vc", "msg", "perms", "dept" where documentation writes
 * "voice channel", "message", "permissions", "department". A question word on this list that
 * the corpus itself never uses is searched as its full words instead, and the answer says
 * so, as it does for a misspelling: "Showing results for *voice channel* (you typed vc)".
 *
 * Only shorthand in general use in chat and programming talk, each with one reading ("pm"
 * and "min" have two, and are not here); a corpus that uses the short form (a guide that
 * writes "DM", a code sample's `msg`) is searched for it as typed and for its full words
 * beside it, as for a member's word below. Either way the short form is a word, never a name
 * weighed up (`isChatWord`).
 *
 * `DOCS_WORDS` are the words members use for what Discord's documentation names otherwise
 * ("server" for guild, "popup" for modal); a corpus that lacks the member's word is searched
 * for the documentation's as for shorthand, one that has both for both.
 */
import type { VerbatimIndex } from '../engine/verbatim-index.ts';

export const SHORTHAND: ReadonlyMap<string, string> = new Map([
  ['vc', 'voice channel'], ['vcs', 'voice channels'],
  ['msg', 'message'], ['msgs', 'messages'],
  ['dm', 'direct message'], ['dms', 'direct messages'],
  ['mod', 'moderator'], ['mods', 'moderators'], ['admin', 'administrator'], ['admins', 'administrators'],
  ['perm', 'permission'], ['perms', 'permissions'],
  ['arg', 'argument'], ['args', 'arguments'], ['param', 'parameter'], ['params', 'parameters'],
  ['cmd', 'command'], ['cmds', 'commands'],
  ['config', 'configuration'], ['cfg', 'configuration'],
  ['db', 'database'], ['repo', 'repository'], ['env', 'environment'],
  ['info', 'information'],
  ['pic', 'picture'], ['pics', 'pictures'], ['img', 'image'], ['imgs', 'images'], ['pfp', 'avatar'],
  ['btn', 'button'], ['btns', 'buttons'],
  ['docs', 'documentation'], ['dev', 'developer'], ['devs', 'developers'],
  ['func', 'function'], ['fn', 'function'], ['var', 'variable'], ['vars', 'variables'],
  ['str', 'string'], ['obj', 'object'], ['num', 'number'],
  ['lib', 'library'], ['libs', 'libraries'], ['pkg', 'package'], ['dir', 'directory'],
  ['ms', 'milliseconds'], ['sec', 'second'], ['secs', 'seconds'], ['mins', 'minutes'], ['hr', 'hour'], ['hrs', 'hours'],
  ['ppl', 'people'], ['ram', 'memory'], ['ws', 'websocket'], ['congrats', 'congratulations'], ['convo', 'conversation'], ['convos', 'conversations'],
  // Written abbreviations as common in chat as in print.
  ['dept', 'department'], ['depts', 'departments'], ['govt', 'government'], ['govts', 'governments'], ['gov', 'government'], ['prez', 'president'],
  ['intl', 'international'], ['natl', 'national'], ['mgmt', 'management'], ['acct', 'account'], ['accts', 'accounts'],
  ['intel', 'intelligence'], ['feds', 'federal'], ['mag', 'magazine'], ['mags', 'magazines'], ['ops', 'operations'],
  // Names of services and languages as people type them.
  ['fb', 'facebook'], ['yt', 'youtube'], ['ig', 'instagram'], ['gh', 'github'], ['js', 'javascript'],
  ['approx', 'approximately'], ['yr', 'year'], ['yrs', 'years'], ['wk', 'week'], ['wks', 'weeks'], ['bday', 'birthday'], ['tmrw', 'tomorrow'],
]);

/**
 * Words Discord members use for what Discord's documentation names otherwise: a "server" is a
 * guild, a "popup" a modal, a "dropdown" a select menu, "max" a limit, "the longest" timeout its
 * maximum. A corpus that lacks the member's word is searched for the documentation's, as
 * shorthand is; one that has it (the discord.js guide says "server" too) is searched for both,
 * the documentation's word at `DOCS_WORD_WEIGHT` (options.ts). Each is the one name the
 * documentation has for the thing ("mute" is Discord's old name for a timeout; a corpus that
 * also says "mute" for voice is searched for both); "private" (ephemeral, or a private thread)
 * has two and is not here.
 */
export const DOCS_WORDS: ReadonlyMap<string, string> = new Map([
  ['server', 'guild'], ['servers', 'guilds'],
  ['popup', 'modal'], ['popups', 'modals'],
  ['dropdown', 'select menu'], ['dropdowns', 'select menus'],
  ['emote', 'emoji'], ['emotes', 'emojis'],
  ['wipe', 'delete'], ['erase', 'delete'], ['mute', 'timeout'], ['mutes', 'timeouts'], ['muted', 'timeout'],
  ['max', 'limit'], ['maximum', 'limit'], ['longest', 'maximum'], ['biggest', 'maximum'], ['largest', 'maximum'],
]);

/**
 * Members' words searched only beside themselves, never instead: "mute" is a timeout only in
 * Discord's documentation, which also says "mute" (for voice); a corpus that never says it
 * (an HTTP client's docs with a `timeout` option) is not asked about timeouts.
 */
const BESIDE_ONLY: ReadonlySet<string> = new Set(['mute', 'mutes', 'muted']);

export interface Expansion {
  /** The analyzed question term the corpus does not have (`vc`). */
  term: string;
  /** The question's word, normalized (`vc`). */
  typed: string;
  /** The full words, as shown (`voice channel`). */
  shown: string;
  /** Their corpus terms, searched instead. */
  terms: string[];
}

/**
 * Expansions for the question terms that are shorthand the corpus lacks. `wordsOf` gives a
 * term's normalized words in the question; `exact` terms (inside a `"phrase"`) are left alone.
 */
export function expandShorthand(index: VerbatimIndex, terms: readonly string[], wordsOf: (term: string) => readonly string[], exact: ReadonlySet<string> = new Set()): Expansion[] {
  const out: Expansion[] = [];
  for (const term of terms) {
    if (exact.has(term)) continue;
    // The list first: a map lookup, where the corpus's frequency is a dictionary search.
    const typed = wordsOf(term).find((word) => searchedInstead(word) !== undefined);
    if (typed === undefined || index.hasTerm(term)) continue;
    const shown = searchedInstead(typed)!;
    const full = corpusTerms(index, shown);
    if (full.length) out.push({ term, typed, shown, terms: full });
  }
  return out;
}

/**
 * Expansions for two neighbouring question words that make a word of the lists the corpus
 * lacks: "drop down" and "drop-down" are "dropdown", searched as select menu. The pair's first
 * word is the term replaced (the second, "down", is a stopword or stays asked). `words` are the
 * question's normalized words in order; `asked` its terms.
 */
export function expandWordPairs(index: VerbatimIndex, words: readonly string[], asked: ReadonlySet<string>, exact: ReadonlySet<string> = new Set()): Expansion[] {
  const out: Expansion[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = words[i]! + words[i + 1]!;
    const shown = searchedInstead(joined);
    if (shown === undefined) continue;
    const term = index.analyzer.term(words[i]!);
    if (!term || !asked.has(term) || exact.has(term) || out.some((expansion) => expansion.term === term)) continue;
    if (index.hasTerm(index.analyzer.term(joined))) continue; // the corpus writes it as one word: a joined word
    const full = corpusTerms(index, shown);
    if (full.length) out.push({ term, typed: `${words[i]} ${words[i + 1]}`, shown, terms: full });
  }
  return out;
}

/**
 * The words searched beside the question terms that are members' words or shorthand the corpus
 * has (`DOCS_WORDS`, `SHORTHAND`; one it lacks is an `Expansion`): each corpus term → the
 * question term it stands for. `exact` terms (inside a `"phrase"`) are left alone.
 */
export function docsWordsFor(index: VerbatimIndex, terms: readonly string[], wordsOf: (term: string) => readonly string[], exact: ReadonlySet<string> = new Set()): Map<string, string> {
  const out = new Map<string, string>();
  for (const term of terms) {
    if (exact.has(term)) continue;
    const typed = wordsOf(term).find((word) => searchedBeside(word) !== undefined);
    if (typed === undefined || !index.hasTerm(term)) continue;
    for (const docs of corpusTerms(index, searchedBeside(typed)!)) if (docs !== term && !out.has(docs)) out.set(docs, term);
  }
  return out;
}

/** Forms of "ping", Discord members' word for a mention when a person or role follows it. */
const PING_FORMS: ReadonlySet<string> = new Set(['ping', 'pings', 'pinging', 'pinged']);

/** Words between a verb and its object that leave the object as it is ("ping *the* user", "ping *every* member"). */
const DETERMINERS: ReadonlySet<string> = new Set(['the', 'a', 'an', 'every', 'all', 'each', 'my', 'your', 'our', 'their', 'his', 'her', 'its', 'this', 'that', 'these', 'those', 'some', 'any', 'other', 'specific', 'certain', 'random']);

/** Who can be pinged: people, roles, and `@everyone`/`@here` as typed without the `@`. */
const PINGED: ReadonlySet<string> = new Set([
  'everyone', 'everybody', 'here', 'someone', 'somebody', 'anyone', 'anybody', 'nobody', 'people', 'person', 'persons',
  'user', 'users', 'member', 'members', 'role', 'roles', 'me', 'us', 'you', 'him', 'them', 'author', 'authors',
  'owner', 'owners', 'admin', 'admins', 'mod', 'mods', 'moderator', 'moderators', 'staff', 'player', 'players', 'friend', 'friends',
]);

/** A reply, as members say it: what an ephemeral response is one of. */
const REPLY_WORDS: ReadonlySet<string> = new Set(['reply', 'replies', 'replying', 'replied', 'respond', 'responds', 'responding', 'responded', 'response', 'responses', 'answer', 'answers']);

/** Words that make a reply private. */
const PRIVATE_WORDS: ReadonlySet<string> = new Set(['private', 'privately', 'hidden', 'hide', 'hides', 'secret', 'secretly', 'invisible']);

/** After "private", what makes it no reply: a private message is a DM, a private channel or thread is one. */
const PRIVATE_OTHER: ReadonlySet<string> = new Set(['message', 'messages', 'dm', 'dms', 'channel', 'channels', 'thread', 'threads']);

/** Seeing, which "only", "nobody" or "no one" narrows: "a reply only the user can see". */
const SEE_WORDS: ReadonlySet<string> = new Set(['see', 'sees', 'seen', 'visible']);
const ONLY_WORDS: ReadonlySet<string> = new Set(['only', 'nobody', 'noone']);

/**
 * What Discord members describe in words that have other readings, each told by the words
 * around it: the documentation's word, and the position in the question's normalized words
 * of the word it stands for (-1 when the question does not describe it).
 * - A mention: "ping" followed by a person or role ("stop my bot from pinging everyone",
 *   "ping a role"). A bot's ping ("my bot's ping is high", "a ping command") is its latency.
 * - An ephemeral response: a reply that is private, hidden or secret, or that only its user
 *   can see ("reply privately", "a response only the user can see"). Not in a question about
 *   threads, and not "a private message" (a DM) or "a private channel".
 */
const READINGS: ReadonlyArray<{ docs: string; find: (words: readonly string[]) => number }> = [
  {
    docs: 'mention',
    find: (words) =>
      words.findIndex((word, i) => {
        if (!PING_FORMS.has(word)) return false;
        let next = i + 1;
        while (next < words.length && DETERMINERS.has(words[next]!)) next++;
        return next < words.length && PINGED.has(words[next]!);
      }),
  },
  {
    docs: 'ephemeral',
    find: (words) => {
      if (!words.some((word) => REPLY_WORDS.has(word)) || words.some((word) => word === 'thread' || word === 'threads')) return -1;
      const privately = words.findIndex((word, i) => PRIVATE_WORDS.has(word) && !PRIVATE_OTHER.has(words[i + 1] ?? ''));
      if (privately >= 0 || !words.some((word, i) => ONLY_WORDS.has(word) || (word === 'no' && words[i + 1] === 'one'))) return privately;
      return words.findIndex((word) => SEE_WORDS.has(word));
    },
  },
];

/**
 * The documentation's words for what the question describes (`READINGS`), each searched beside
 * the word it stands for as a member's word is (`docsWordsFor`): corpus term → the searched
 * term of that word. `searched` gives a question word's searched term (`undefined` when it is
 * not searched, or is inside a `"phrase"`).
 */
export function readingsFor(index: VerbatimIndex, words: readonly string[], searched: (word: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const { docs, find } of READINGS) {
    const at = find(words);
    const term = at < 0 ? undefined : searched(words[at]!);
    if (term === undefined) continue;
    for (const docsTerm of corpusTerms(index, docs)) if (docsTerm !== term && !out.has(docsTerm)) out.set(docsTerm, term);
  }
  return out;
}

/** The words a typed word is searched as when the corpus lacks it: shorthand's, or the documentation's. */
function searchedInstead(word: string): string | undefined {
  return SHORTHAND.get(word) ?? (BESIDE_ONLY.has(word) ? undefined : DOCS_WORDS.get(word));
}

/** Whether a typed word is shorthand or a member's word: an ordinary word in other letters, never a name. */
export function isChatWord(word: string): boolean {
  return searchedBeside(word) !== undefined;
}

/** The words a typed word the corpus has is searched beside: the documentation's, or shorthand's. */
function searchedBeside(word: string): string | undefined {
  return DOCS_WORDS.get(word) ?? SHORTHAND.get(word);
}

/** The distinct terms of `words` that the corpus's passages have. */
function corpusTerms(index: VerbatimIndex, words: string): string[] {
  return [...new Set(index.analyzer.terms(words))].filter((term) => index.documentFrequency(term) > 0);
}
