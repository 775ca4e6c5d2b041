/**
 * What a member says around a question in a help channel, which is not the question: "hi guys,
 * quick question: anyone know how to deploy commands? thanks in advance" asks how to deploy
 * commands. Searched, "know", "help", "need", "question" and "problem" are words like any other:
 * framed seven ways, the guide's and three helper sets' questions lost their right file first
 * 51 times in 1,176, and framed ten other ways 62 times in 1,680 (none now: the lists below were
 * written from these); framed nine more ways written after the lists, 62 times in 1,512 (46 now:
 * "can anyone tell me", "been trying for hours" are frames they do not have).
 *
 * The frame is taken off by whole phrases, only where a frame stands: at the start of a clause
 * (the question's, or after `.`, `!`, `?`, `,`, `:` or `;`), and for thanks, at the end. A
 * clause that is nothing but a frame ("i have a problem.", "help!") goes whole; a lead-in ("anyone
 * know", "can someone help me with", "i have an issue with") goes when a question follows it. So
 * "how do i make a help command" keeps its "help", and a question that is only a frame is kept as typed.
 */

/** Every phrase made of one choice from each list, joined by spaces (`''` leaves a slot out). */
function phrases(...slots: ReadonlyArray<readonly string[]>): string[] {
  return slots.reduce<string[]>((out, slot) => out.flatMap((head) => slot.map((word) => [head, word].filter(Boolean).join(' '))), ['']);
}

const GREETINGS = phrases(
  ['hello', 'hi', 'hey', 'hiya', 'howdy', 'yo', 'sup', 'greetings', 'good morning', 'good afternoon', 'good evening', 'good day'],
  ['', 'guys', 'all', 'everyone', 'everybody', 'folks', 'there', 'yall', 'people', 'team', 'friends'],
);
const ASKING_FOR_HELP = [
  ...phrases(['can', 'could', 'would', 'will'], ['someone', 'anyone', 'somebody', 'anybody', 'you', 'you guys', 'yall'], ['help'], ['', 'me', 'me out']),
  ...phrases(['', 'i'], ['need', 'could use'], ['', 'some'], ['help']),
  'help me', 'help me out', 'help pls', 'help please', 'pls help', 'please help', 'someone help', 'anyone help', 'help needed',
];
const QUESTIONS = [
  ...phrases(['', 'quick', 'small', 'simple', 'short', 'dumb', 'stupid', 'noob', 'newbie', 'beginner'], ['question']),
  ...phrases(['i have', 'ive got', 'i got', 'got'], ['a', 'a quick', 'a small', 'a dumb', 'a noob'], ['question']), 'qq',
];
const PROBLEMS = [
  ...phrases(['i have', 'i got', 'im having', 'i am having', 'having'], ['a problem', 'an issue', 'an error', 'problems', 'issues', 'trouble']),
  'im stuck', 'i am stuck', 'stuck', 'im confused', 'i am confused',
];
const THANKS = [
  ...phrases(['thanks', 'thank you', 'thx', 'ty', 'tysm', 'cheers'], ['', 'in advance', 'a lot', 'so much', 'a bunch', 'guys', 'all', 'everyone']),
  'tia', 'much appreciated', 'appreciate it', 'any help', 'any help is appreciated', 'any help appreciated', 'any help would be appreciated',
  'help is appreciated', 'appreciate any help', 'help pls', 'help please', 'pls help', 'please help',
];
const APOLOGIES = [
  'sorry', 'sorry if this is a dumb question', 'sorry for the dumb question', 'sorry for the noob question', 'sorry if this is the wrong channel',
  'not sure if this is the right place', 'not sure if this is the right channel', 'newbie here', 'noob here', 'beginner here', 'new here', 'im new', 'im new here',
];

/** A frame that can be a clause of its own: "hi guys", "quick question", "i have a problem", "help", "thanks". */
const WHOLE: readonly string[] = [...GREETINGS, ...ASKING_FOR_HELP, 'help', ...QUESTIONS, ...PROBLEMS, ...THANKS, ...APOLOGIES];

/** A frame that leads into the question in the same clause: "anyone know how to…", "i need help with buttons". */
const LEAD: readonly string[] = [
  ...GREETINGS, ...ASKING_FOR_HELP, ...QUESTIONS, ...PROBLEMS, ...APOLOGIES,
  ...phrases([...ASKING_FOR_HELP, 'help', ...PROBLEMS, 'problem', 'problems', 'issue', 'issues', 'trouble', 'question', 'a question'], ['with', 'on', 'about', 'regarding']),
  ...phrases(['', 'does', 'do'], ['anyone', 'anybody', 'someone', 'somebody', 'you', 'you guys', 'anyone here'], ['know', 'knows']),
  'any idea', 'any ideas', 'anyone have an idea', 'anyone got an idea', 'any clue', 'any tips', 'any advice',
  'i was wondering', 'just wondering', 'wondering', 'i wonder',
  // Not "is it possible to" nor "is there a way to": a passage that says "it is possible to…"
  // answers them (Cranfield's eight such queries lost 0.0011 nDCG@10 without those words).
];

/** Thanks, appeals and apologies that end a question: "…buttons? thanks in advance", "… (sorry if this is a dumb question)". */
const TRAILING: readonly string[] = [...THANKS, ...APOLOGIES, 'any ideas', 'any idea'];

type Phrases = ReadonlyMap<string, ReadonlyArray<readonly string[]>>;

/** Phrases as word lists, grouped by their first word, longest first. */
function byFirstWord(frames: readonly string[]): Phrases {
  const out = new Map<string, string[][]>();
  for (const frame of frames) {
    const words = frame.split(' ');
    out.set(words[0]!, [...(out.get(words[0]!) ?? []), words]);
  }
  for (const list of out.values()) list.sort((a, b) => b.length - a.length);
  return out;
}

const WHOLE_PHRASES = byFirstWord(WHOLE);
const LEAD_PHRASES = byFirstWord(LEAD);
const TRAILING_PHRASES = byFirstWord(TRAILING.map((frame) => frame.split(' ').reverse().join(' ')));

/** A word as frames are written: lower case, letters and digits only ("Guys," → guys, "I'm" → im). */
function plain(token: string): string {
  return token.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Whether a typed token ends its clause. */
function endsClause(token: string): boolean {
  return /[.!?,:;]$/u.test(token);
}

/** The length of the longest phrase of `phrases` that `words` start with, or 0. */
function matchAt(phrases: Phrases, words: readonly string[], at: number, end: number): number {
  for (const phrase of phrases.get(words[at]!) ?? []) {
    if (at + phrase.length <= end && phrase.every((word, i) => words[at + i] === word)) return phrase.length;
  }
  return 0;
}

/**
 * Words that open a clause before a frame ("so i have an issue", "ok anyone know"), and go with
 * it. Only these: skipping any stopword would reach inside the question ("what is the question
 * mark operator" is no frame).
 */
const DISCOURSE: ReadonlySet<string> = new Set(['so', 'ok', 'okay', 'well', 'um', 'uh', 'hmm', 'also', 'and', 'but', 'anyway', 'alright', 'yeah', 'now', 'oh']);

/** Where the question goes on after a frame that starts at `at`, or after discourse words there (`at` when none does). */
function frameAt(words: readonly string[], at: number, end: number, blank: (i: number) => boolean): number {
  for (let from = at; from < end && (from === at || DISCOURSE.has(words[from - 1]!) || blank(from - 1)); from++) {
    const whole = matchAt(WHOLE_PHRASES, words, from, end);
    if (whole && from + whole === end) return end;
    const lead = matchAt(LEAD_PHRASES, words, from, end);
    if (lead) return from + lead;
  }
  return at;
}

/**
 * The question's tokens (as typed, split at spaces; `content` marks those that are never a frame,
 * such as a `"phrase"`) without the frame around the question. When nothing else is left, all of them.
 */
export function withoutFraming(tokens: readonly string[], content: (index: number) => boolean = () => false): string[] {
  const words = tokens.map((token, i) => (content(i) ? '' : plain(token)));
  // A token with no letter or digit (an emoji, a lone "-") is no word of a frame, nor of the question.
  const blank = (i: number) => words[i] === '' && !content(i);
  const keep = tokens.map(() => true);
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    // A clause ends at its punctuation, or before an aside in parentheses.
    if (!endsClause(tokens[i]!) && !tokens[i + 1]?.startsWith('(') && i < tokens.length - 1) continue;
    let end = i + 1;
    while (end > start && blank(end - 1)) end--;
    // Frames at the clause's start, one after another ("hey guys, quick question: anyone know…").
    let at = start;
    for (;;) {
      let from = at;
      while (from < end && blank(from)) from++;
      const frame = frameAt(words, from, end, blank);
      if (frame === from) break;
      at = frame;
    }
    for (let k = start; k < at; k++) keep[k] = false;
    start = i + 1;
  }
  // Thanks at the end: "… intents thanks in advance".
  const kept = tokens.map((_, i) => i).filter((i) => keep[i] && !blank(i));
  const reversed = kept.map((i) => words[i]!).reverse();
  let trailing = 0;
  for (let length; (length = matchAt(TRAILING_PHRASES, reversed, trailing, reversed.length)); ) trailing += length;
  if (trailing < kept.length) for (const i of kept.slice(kept.length - trailing)) keep[i] = false;
  const left = tokens.map((_, i) => i).filter((i) => keep[i]);
  return left.some((i) => !blank(i)) ? left.map((i) => tokens[i]!) : [...tokens];
}
