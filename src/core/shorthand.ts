/**
 * Chat shorthand: people type "vc", "msg", "perms", "dept" where documentation writes
 * "voice channel", "message", "permissions", "department". A question word on this list that
 * the corpus itself never uses is searched as its full words instead, and the answer says
 * so, as it does for a misspelling: "Showing results for *voice channel* (you typed vc)".
 *
 * Only shorthand in general use in chat and programming talk, each with one reading ("pm"
 * and "min" have two, and are not here); a corpus that uses the short form (a guide that
 * writes "DM") is searched for it as typed.
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
  ['ppl', 'people'], ['ws', 'websocket'], ['congrats', 'congratulations'], ['convo', 'conversation'], ['convos', 'conversations'],
  // Written abbreviations as common in chat as in print.
  ['dept', 'department'], ['depts', 'departments'], ['govt', 'government'], ['govts', 'governments'], ['gov', 'government'], ['prez', 'president'],
  ['intl', 'international'], ['natl', 'national'], ['mgmt', 'management'], ['acct', 'account'], ['accts', 'accounts'],
  ['intel', 'intelligence'], ['feds', 'federal'], ['mag', 'magazine'], ['mags', 'magazines'], ['ops', 'operations'],
  // Names of services and languages as people type them.
  ['fb', 'facebook'], ['yt', 'youtube'], ['ig', 'instagram'], ['gh', 'github'], ['js', 'javascript'],
  ['approx', 'approximately'], ['yr', 'year'], ['yrs', 'years'], ['wk', 'week'], ['wks', 'weeks'], ['bday', 'birthday'], ['tmrw', 'tomorrow'],
]);

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
    const typed = wordsOf(term).find((word) => SHORTHAND.has(word));
    if (typed === undefined || index.hasTerm(term)) continue;
    const shown = SHORTHAND.get(typed)!;
    const full = [...new Set(index.analyzer.terms(shown))].filter((t) => index.documentFrequency(t) > 0);
    if (full.length) out.push({ term, typed, shown, terms: full });
  }
  return out;
}
