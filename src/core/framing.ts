/**
 * What a member says around a question in a help channel, which is not the question: "hi guys,
 * quick question: anyone know how to deploy commands? thanks in advance" asks how to deploy
 * commands. Searched, "know", "help", "need", "question" and "problem" are words like any other:
 * framed seven ways, the guide's and three helper sets' questions lost their right file first
 * 51 times in 1,176, and framed ten other ways 62 times in 1,680 (none now: the lists below were
 * written from these); framed nine more ways written after the lists, 62 times in 1,512 (23 now:
 * "first time making a bot," is no frame here). Members also talk about themselves, their effort
 * and the channel: framed 48 ways written by two helper sessions, 754 times in 8,064 (48 now:
 * the chat words below were written from these; "I come from a different language so…" has none).
 *
 * The frame is taken off by whole phrases, only where a frame stands: at the start of a clause
 * (the question's, or after `.`, `!`, `?`, `,`, `:`, `;` or an emoji standing alone), and for
 * thanks, at the end. A clause that is nothing but a frame ("i have a problem.", "help!") or
 * nothing but chat ("been googling all day.") goes whole; a lead-in ("anyone know", "can someone
 * help me with", "idk if im being stupid but") goes when a question follows it; chat after the
 * question ("…pls help im losing my mind") goes from its first appeal. So "how do i make a help
 * command" keeps its "help", and a question that is only a frame is kept as typed.
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
  // A letter's sign-off.
  ...phrases(['', 'kind', 'best', 'warm', 'many'], ['regards']), 'best wishes',
];
const APOLOGIES = [
  'sorry', 'sorry if this is a dumb question', 'sorry for the dumb question', 'sorry for the noob question', 'sorry if this is the wrong channel',
  'not sure if this is the right place', 'not sure if this is the right channel', 'newbie here', 'noob here', 'beginner here', 'new here', 'im new', 'im new here',
];

/**
 * A troubleshooting appeal that names nothing, in a clause of its own after what went wrong:
 * "getting [DisallowedIntents] when logging in, what's wrong", "…, why is this happening?",
 * "…. what does this mean", "…, how do i fix this". The clause before it says what it is about.
 */
const APPEALS = [
  ...phrases(['what am i', 'what im', 'what i am'], ['doing wrong', 'missing']), 'what did i do wrong', 'what i did wrong',
  ...phrases(['', 'any idea', 'any ideas', 'anyone know', 'does anyone know', 'idk'], ['whats', 'what is'], ['wrong', 'going on', 'happening', 'the problem', 'the issue'], ['', 'here', 'with it', 'with this', 'with my code']),
  ...phrases(['why is', 'why'], ['this', 'that', 'it'], ['happening']), ...phrases(['why does'], ['this', 'that', 'it'], ['happen']),
  ...phrases(['what does'], ['this', 'that', 'it'], ['mean']),
  ...phrases(['how do i', 'how can i', 'how to', 'how would i', 'how should i'], ['fix', 'solve'], ['', 'this', 'it', 'that']),
  'any fix', 'any fixes', 'any solution', 'any solutions', 'is there a fix', 'is there any fix',
];

/** A frame that can be a clause of its own: "hi guys", "quick question", "i have a problem", "help", "thanks", "what's wrong". */
const WHOLE: readonly string[] = [...GREETINGS, ...ASKING_FOR_HELP, 'help', ...QUESTIONS, ...PROBLEMS, ...THANKS, ...APOLOGIES, ...APPEALS];

/** A frame that leads into the question in the same clause: "anyone know how to…", "i need help with buttons". */
const LEAD: readonly string[] = [
  ...GREETINGS, ...ASKING_FOR_HELP, ...QUESTIONS, ...PROBLEMS, ...APOLOGIES,
  ...phrases([...ASKING_FOR_HELP, 'help', ...PROBLEMS, 'problem', 'problems', 'issue', 'issues', 'trouble', 'question', 'a question'], ['with', 'on', 'about', 'regarding']),
  ...phrases(['', 'does', 'do'], ['anyone', 'anybody', 'someone', 'somebody', 'you', 'you guys'], ['', 'here', 'around'], ['know', 'knows']),
  ...phrases(['can', 'could', 'would', 'will'], ['someone', 'anyone', 'somebody', 'anybody', 'you', 'you guys', 'yall'], ['', 'please', 'pls'], ['tell me', 'explain', 'explain to me', 'show me']),
  'any idea', 'any ideas', 'anyone have an idea', 'anyone got an idea', 'any clue', 'any tips', 'any advice',
  'i was wondering', 'just wondering', 'wondering', 'i wonder',
  // Not "is it possible to" nor "is there a way to": a passage that says "it is possible to…"
  // answers them (Cranfield's eight such queries lost 0.0011 nDCG@10 without those words).
];

/** Thanks, appeals and apologies that end a question: "…buttons? thanks in advance", "… (sorry if this is a dumb question)". */
const TRAILING: readonly string[] = [...THANKS, ...APOLOGIES, 'any ideas', 'any idea'];

/**
 * A clause made only of these words, `CHAT_EFFORT` and `CHAT_GLUE`, with one of these at least,
 * is the asker talking about themselves, their effort or the channel — "been googling all day",
 * "ugh i give up", "hope everyones doing well", "its 3am and my brain is fried lmao" — and goes
 * whole. A word a question about a bot or a library is made of ("message", "reply", "ping", "new",
 * "start") is not here: "reply to a dm." stays.
 */
const CHAT_WORDS: ReadonlySet<string> = new Set([
  // greetings and who is addressed
  'hi', 'hii', 'hiii', 'hello', 'helloo', 'hellooo', 'hey', 'heya', 'hiya', 'howdy', 'yo', 'sup', 'gm', 'greetings', 'guys', 'everyone', 'everybody', 'everyones', 'folks', 'yall', 'fam', 'bro', 'bros', 'anyone', 'anybody', 'someone', 'somebody', 'anyones',
  // asking, thanking, apologising
  'help', 'helps', 'helped', 'helping', 'pls', 'plz', 'please', 'thanks', 'thank', 'thx', 'ty', 'tysm', 'tia', 'appreciate', 'appreciated', 'grateful', 'amazing', 'awesome', 'legend', 'legends', 'owe', 'ton', 'nobody',
  'sorry', 'apologies', 'apologise', 'apologize', 'kindly', 'regards', 'convenience', 'sincerely', 'bother', 'bothering', 'beg', 'hurry', 'awake', 'lunch', 'bed', 'pointers', 'tips', 'advice', 'idea', 'ideas', 'clue', 'suggestions', 'bump', 'bumping', 'urgent', 'asap', 'rush', 'patient', 'swear',
  // the asker: new to this, stuck, trying, tired
  'dumb', 'stupid', 'silly', 'noob', 'newbie', 'beginner', 'beginners', 'lurker', 'hobbyist', 'student', 'taught', 'friend', 'busy', 'stuck', 'googling', 'googled', 'google', 'youtube', 'tried', 'trying', 'luck',
  'everything', 'anything', 'anythign', 'nothing', 'loosing', 'spamming', 'vacation', 'hobby', 'teacher', 'retired', 'mom', 'dad', 'coworker', 'boss', 'hours', 'ages', 'forever', 'weekend', 'yesterday', 'tonight', 'tomorrow', 'deadline', 'panicking', 'panic', 'losing', 'mind', 'brain', 'fried', 'tired', 'confused', 'frustrated', 'frustrating', 'annoying',
  // chat's interjections
  'lol', 'lmao', 'lmfao', 'xd', 'idk', 'tbh', 'ngl', 'rn', 'omg', 'ugh', 'welp', 'haha', 'hahaha', 'bruh', 'smh', 'oof', 'hope', 'hoping', 'officially',
]);

/** Words of effort a chat clause may hold beside a chat word ("cant find anything", "nothing works"), and a question too ("find a user"). */
const CHAT_EFFORT: ReadonlySet<string> = new Set([
  'find', 'found', 'search', 'searched', 'searching', 'look', 'looked', 'lookd', 'looking', 'work', 'works', 'worked', 'working', 'turn', 'think', 'figure', 'figured', 'try', 'fix', 'fixed', 'solve', 'solved',
  'ask', 'asked', 'know', 'understand', 'learning', 'learn', 'basics', 'give', 'gave', 'post', 'posting', 'first', 'time', 'new', 'doing', 'well', 'good', 'usually',
  'self', 'answer', 'answers', 'replying', 'saw', 'seen', 'bad', 'english', 'eat', 'sleep', 'afk', 'brb', 'feel', 'made', 'sense', 'read', 'threads', 'easy', 'advise', 'asking', 'picking',
]);

/** The words that hold a chat clause together: pronouns, auxiliaries, articles, prepositions, "so", "all day". */
const CHAT_GLUE: ReadonlySet<string> = new Set([
  'i', 'im', 'ive', 'id', 'ill', 'me', 'my', 'myself', 'you', 'u', 'ur', 'youre', 'your', 'we', 'us', 'our', 'it', 'its', 'this', 'that', 'he', 'hes', 'she', 'shes', 'they', 'them', 'here', 'there', 'theres',
  'is', 'am', 'are', 'was', 'were', 'be', 'being', 'been', 'have', 'has', 'had', 'do', 'does', 'did', 'dont', 'doesnt', 'didnt', 'cant', 'can', 'could', 'couldnt', 'would', 'will', 'should', 'might', 'gotta', 'got',
  'a', 'an', 'the', 'to', 'of', 'for', 'on', 'in', 'at', 'with', 'about', 'by', 'since', 'after', 'before', 'from', 'and', 'or', 'but', 'so', 'if', 'as', 'than',
  'just', 'really', 'super', 'very', 'too', 'still', 'already', 'again', 'pretty', 'kinda', 'bit', 'little', 'lot', 'all', 'any', 'some', 'no', 'not', 'up', 'out', 'now', 'ever',
  'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'long', 'while', 'today', 'morning', 'night', 'earlier', 'what', 'like', 'one', 'quick', 'real', 'much', 'more', 'way', 'else', 'who', 'go', 'going',
  'only', 'own', 'either', 'neither', 'around', 'tho', 'though', 'maybe', 'even', 'then', 'whoever', 'another', 'few', 'min', 'mins', 'anymore', 'back', 'came', 'went', 'says', 'bear',
]);

/** Who a member addresses: at a question's end, what it is about ("how do i ping everyone"), never chat. */
const ADDRESSEES: ReadonlySet<string> = new Set(['guys', 'everyone', 'everybody', 'folks', 'yall', 'anyone', 'anybody', 'someone', 'somebody', 'hello', 'hi', 'hey']);

/** Who may be what a question is about ("everyone can see my commands"): chat before a question word needs more than these. */
const SUBJECTS: ReadonlySet<string> = new Set(['everyone', 'everybody', 'everyones', 'anyone', 'anybody', 'anyones', 'someone', 'somebody', 'nobody']);

/** Question words that open a question, never a statement ("can" and "are" open chat too: "are doing a project…"). */
const WH_WORDS: ReadonlySet<string> = new Set(['how', 'hows', 'why', 'what', 'whats', 'where', 'wheres', 'when', 'which', 'who', 'whose']);

/** The words a question starts with, where chat before them ends. */
const INTERROGATIVES: ReadonlySet<string> = new Set([...WH_WORDS, 'can', 'could', 'does', 'do', 'did', 'is', 'are', 'should', 'would', 'will', 'wtf']);

/**
 * Words that make what follows part of the question ("…check if i tried", "…make my bot say thanks
 * to everyone"): chat never starts after one.
 */
const SUBORDINATORS: ReadonlySet<string> = new Set([
  'if', 'when', 'whenever', 'where', 'why', 'how', 'because', 'until', 'unless', 'whether', 'that', 'after', 'before', 'once', 'since', 'while', 'what', 'which', 'who',
  'say', 'says', 'said', 'saying', 'send', 'sends', 'reply', 'replies', 'respond', 'responds', 'write', 'writes', 'type', 'types', 'print', 'prints', 'log', 'logs', 'show', 'shows', 'display', 'displays', 'post', 'posts',
]);

/**
 * Words that start chat after a question in its clause: appeals, interjections, and "i" starting
 * a sentence of its own. Not "help" ("…make my bot help someone") nor whom it is for ("…to everyone").
 */
const TRAILING_OPENERS: ReadonlySet<string> = new Set([
  'pls', 'plz', 'please', 'thanks', 'thank', 'thx', 'ty', 'tysm', 'tia', 'sorry', 'lol', 'lmao', 'lmfao', 'xd', 'idk', 'tbh', 'ngl', 'omg', 'ugh', 'smh', 'oof', 'haha', 'bruh',
  'bump', 'bumping', 'any', 'no', 'still', 'been', 'tried', 'i', 'im', 'ive', 'id', 'its',
]);

/**
 * Words that are the asker's chat beside the word after them: "first post here", "first time
 * asking", "ping me if u answer", "dm me", "not my first language".
 */
const CHAT_BEFORE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['first', new Set(['post', 'time', 'question', 'day', 'language'])],
  ...['ping', 'dm', 'tag', 'pm', 'msg', 'message'].map((word) => [word, new Set(['me', 'u'])] as const),
]);

/** Words that are chat beside the word before them: "sorry for the ping", "my own msg", "what am i missing". */
const CHAT_AFTER: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['new', new Set(['im', 'pretty', 'fairly', 'very', 'kinda', 'quite', 'so', 'still', 'completely', 'totally', 'brand', 'am'])],
  ['ping', new Set(['the'])],
  ['msg', new Set(['own'])],
  ['missing', new Set(['i'])],
]);

/** The word at `i` in a chat clause: a chat word (2), effort or glue (1), or none (0). */
function chatWord(words: readonly string[], i: number): 0 | 1 | 2 {
  const word = words[i]!;
  if (CHAT_WORDS.has(word) || CHAT_BEFORE.get(word)?.has(words[i + 1]!) || CHAT_AFTER.get(word)?.has(words[i - 1]!)) return 2;
  return word === '' || CHAT_BEFORE.get(words[i - 1]!)?.has(word) || CHAT_EFFORT.has(word) || CHAT_GLUE.has(word) || DISCOURSE.has(word) || /^\d+(?:am|pm|h|hrs?|mins?)?$/u.test(word) ? 1 : 0;
}

/** Whether the words `from`–`end` are a chat clause: chat's words, effort and glue only, one chat word at least. */
function isChat(words: readonly string[], from: number, end: number): boolean {
  let chat = false;
  for (let i = from; i < end; i++) {
    const kind = chatWord(words, i);
    if (kind === 0) return false;
    if (kind === 2) chat = true;
  }
  return chat;
}

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
 * Where the question starts in the clause `start`–`end` after chat that leads into it, ended
 * by "but", "so" or the question's first word ("idk if im being stupid but why…", "hey guys
 * quick one how do i…"); `at` when none does. Not after "everyone" or "someone" alone: a subject
 * of the question ("everyone can see my commands, how…", "anyone but me…").
 */
function chatLeadEnd(words: readonly string[], start: number, end: number, at: number): number {
  let chat = false; // whether the words from `at` to `k` (all of them chat's) hold a chat word
  for (let k = start; k < end; k++) {
    if (chat && k > at && INTERROGATIVES.has(words[k]!)) [at, chat] = [k, false];
    const kind = chatWord(words, k);
    if (kind === 0) break;
    if ((words[k] === 'but' || words[k] === 'so') && k >= at && chat) [at, chat] = [k + 1, false];
    if (kind === 2 && !SUBJECTS.has(words[k]!)) chat = true;
  }
  return at;
}

/**
 * Where chat after the question starts among the kept word indexes `rest` ("…a button pls help
 * im losing my mind", "…sees it i swear ive tried everything"), or `rest.length` when none does:
 * at an appeal, an interjection or "i" not right after a word that ties it to the question, two
 * words or more with a chat word among them, running to the end in chat's words.
 */
function trailingChatStart(words: readonly string[], rest: readonly number[]): number {
  let run = rest.length;
  while (run > 0 && chatWord(words, rest[run - 1]!) > 0) run--;
  for (let at = run; at <= rest.length - 2; at++) {
    const word = words[rest[at]!]!;
    if ((at > 0 && SUBORDINATORS.has(words[rest[at - 1]!]!)) || !(TRAILING_OPENERS.has(word) || CHAT_BEFORE.get(word)?.has(words[rest[at]! + 1]!))) continue;
    // The first opener decides, as a later one sits inside the chat it opens; at the first word,
    // the whole question would be chat, and stays.
    return at > 0 && rest.slice(at).some((i) => chatWord(words, i) === 2 && !ADDRESSEES.has(words[i]!)) ? at : rest.length;
  }
  return rest.length;
}

/** The marks that end a sentence when a space follows them (a `discord.js` stays whole). */
const SENTENCE_MARKS = new Set(['.', '!', '?', ';']);

/**
 * The sentences of a message, each with whether it asks something: it ends with "?" or opens
 * with a question word ("how", "what", "why"…), or, when none does, it is the last. "3 days.
 * THREE DAYS. how do i…" asks in its third. One pass over the text (a regex for a run of marks
 * and a space retries each mark of a long run: quadratic).
 */
export function sentences(text: string): Array<{ text: string; asks: boolean }> {
  const out: Array<{ text: string; asks: boolean }> = [];
  const add = (sentence: string, marks: string) => {
    if (sentence.trim()) out.push({ text: sentence, asks: marks.includes('?') || WH_WORDS.has(plain(sentence.trimStart().split(' ')[0] ?? '')) });
  };
  let start = 0;
  for (let i = 0; i < text.length; ) {
    if (!SENTENCE_MARKS.has(text[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && SENTENCE_MARKS.has(text[end]!)) end++;
    if (end < text.length && /\s/u.test(text[end]!)) {
      add(text.slice(start, i), text.slice(i, end));
      start = end + 1;
    }
    i = end;
  }
  const last = text.slice(start);
  add(last, last.trimEnd().slice(-1));
  // Else the last asks: "my bot is offline. it says invalid token" asks about the token.
  if (out.length > 1 && !out.some((one) => one.asks)) out[out.length - 1]!.asks = true;
  return out;
}

/**
 * The question's tokens (as typed, split at spaces; `content` marks those that are never a frame,
 * such as a `"phrase"`) without the frame around the question. When nothing else is left, all of them.
 */
export function withoutFraming(tokens: readonly string[], content: (index: number) => boolean = () => false): string[] {
  // A content token is `"`, which no frame's word is.
  const words = tokens.map((token, i) => (content(i) ? '"' : plain(token)));
  // A token with no letter or digit (an emoji, a lone "-") is no word of a frame, nor of the question.
  const blank = (i: number) => words[i] === '';
  const keep = tokens.map(() => true);
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    // A clause ends at its punctuation, at an emoji or dash standing alone, or before an aside in parentheses.
    if (!endsClause(tokens[i]!) && !blank(i) && !tokens[i + 1]?.startsWith('(') && i < tokens.length - 1) continue;
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
    // A clause of chat alone ("been googling all day.", "ugh i give up.") goes whole.
    at = isChat(words, start, end) ? i + 1 : chatLeadEnd(words, start, end, at);
    for (let k = start; k < at; k++) keep[k] = false;
    start = i + 1;
  }
  // Thanks at the end: "… intents thanks in advance".
  const kept = tokens.map((_, i) => i).filter((i) => keep[i] && !blank(i));
  const reversed = kept.map((i) => words[i]!).reverse();
  let trailing = 0;
  for (let length; (length = matchAt(TRAILING_PHRASES, reversed, trailing, reversed.length)); ) trailing += length;
  if (trailing < kept.length) for (const i of kept.slice(kept.length - trailing)) keep[i] = false;
  const rest = kept.slice(0, kept.length - trailing);
  const chat = trailingChatStart(words, rest);
  for (const i of rest.slice(chat)) keep[i] = false;
  if (trailing > 0 || chat < rest.length) {
    // The clause the thanks or chat ended, when what is left of it is a frame ("…, what's wrong thanks in advance").
    let clause = chat;
    while (clause > 0 && !endsClause(tokens[rest[clause - 1]!]!)) clause--;
    if (clause > 0 && clause < chat && matchAt(WHOLE_PHRASES, rest.map((i) => words[i]!), clause, chat) === chat - clause) for (const i of rest.slice(clause, chat)) keep[i] = false;
  }
  const left = tokens.map((_, i) => i).filter((i) => keep[i]);
  return left.some((i) => !blank(i)) ? left.map((i) => tokens[i]!) : [...tokens];
}
