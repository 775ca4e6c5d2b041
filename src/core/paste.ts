/**
 * What a pasted error carries that no page of the docs is about, left out of the words
 * searched. In a help channel an error comes with its stack trace and its values; the message
 * says what went wrong, while the frames' paths, line numbers and internal names
 * (`processTicksAndRejections`, `node_modules`, `dist`) and the values' IDs are words no page is
 * about: with ten frames after it, "DiscordAPIError[50035]: Invalid Form Body" was "Not found".
 * Works on the question's words with its line breaks folded (a slash command's option has
 * none), by looking at each word, without regexes over the whole text:
 * - Node and Java frames: `at` and a function name of up to four words, then a location in
 *   parentheses or bare (`at async BurstHandler.runRequest (/app/node_modules/x.js:831:23)`,
 *   `at node:internal/main/run_main_module:28:49`, `at com.acme.Bot.run(Bot.java:42)`);
 * - Python frames: `File "/app/main.py", line 12, in handler`, and the `Traceback (most recent
 *   call last):` line above them;
 * - a location on its own: a path and line (`src/index.ts:12`) or a line and column
 *   (`index.js:727:13`). A host and port (`127.0.0.1:8080`) is neither;
 * - an ID's value (`isIdValue`): a Discord snowflake, a thread id, an interaction token.
 */

/** Most words a function name of a Node frame takes: `new Promise (<anonymous>)`, `Timeout.<anonymous> [as _onTimeout]`. */
const MAX_NAME_WORDS = 4;
/** Most words a Python frame's quoted path takes (`"C:\Program Files\app\main.py",`). */
const MAX_PATH_WORDS = 6;

/** The question's words without the frames of a pasted stack trace. */
export function withoutStackFrames(words: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < words.length; ) {
    const frameEnd = nodeFrameEnd(words, i) ?? pythonFrameEnd(words, i) ?? tracebackEnd(words, i);
    if (frameEnd !== undefined) {
      i = frameEnd;
      continue;
    }
    if (!isLocation(words[i]!)) kept.push(words[i]!);
    i++;
  }
  return kept;
}

/**
 * After `at name (location)` starting at `i`, or undefined. The name is what Node writes:
 * `handleErrors`, `Client.login`, `async Promise.all`, `new Promise`, `Object.<anonymous>`,
 * `Timeout.<anonymous> [as _onTimeout]`; a plain word is a name only right before the
 * location, so "crashes at login in src/bot.js:10:3" keeps its "login" (and "at login. see
 * src/bot.js:10:3" too: a sentence's full stop is not a member access).
 */
function nodeFrameEnd(words: readonly string[], i: number): number | undefined {
  if (words[i] !== 'at') return undefined;
  for (let j = i + 1; j < words.length && j <= i + 1 + MAX_NAME_WORDS; j++) {
    const word = words[j]!;
    if (isLocation(word) || isCallSite(word)) return j + 1;
    const next = words[j + 1];
    const inName = word === 'async' || word === 'new' || /[<>[\]]/u.test(word) || word.slice(0, -1).includes('.') || (next !== undefined && (isLocation(next) || isCallSite(next)));
    if (!inName) return undefined;
  }
  return undefined;
}

/** After `File "path", line N[, in name]` starting at `i`, or undefined. */
function pythonFrameEnd(words: readonly string[], i: number): number | undefined {
  if (words[i] !== 'File' || !words[i + 1]?.startsWith('"')) return undefined;
  for (let j = i + 1; j < words.length && j <= i + MAX_PATH_WORDS; j++) {
    if (!/",?$/u.test(words[j]!) || (j === i + 1 && words[j]!.length < 3)) continue;
    if (words[j + 1] !== 'line' || !/^\d+,?$/u.test(words[j + 2] ?? '')) return undefined;
    return words[j + 3] === 'in' && words[j + 4] !== undefined ? j + 5 : j + 3;
  }
  return undefined;
}

/** After Python's `Traceback (most recent call last):` starting at `i`, or undefined. */
function tracebackEnd(words: readonly string[], i: number): number | undefined {
  const line = ['Traceback', '(most', 'recent', 'call', 'last):'];
  return line.every((word, k) => words[i + k] === word) ? i + line.length : undefined;
}

/** `(native)`, `(<anonymous>)`, or a call with its location: Java's `com.acme.Bot.run(Bot.java:42)`. */
function isCallSite(word: string): boolean {
  if (word === '(native)' || word === '(<anonymous>)' || word === '<anonymous>)') return true;
  const open = word.indexOf('(');
  return open > 0 && word.endsWith(')') && /:\d+\)$/u.test(word) && !word.slice(open + 1).includes('(');
}

/**
 * A place in a file: `/app/x.js:727:13`, `(node:internal/process/task_queues:95:5)`,
 * `src/index.ts:12`, `file:///app/x.mjs:3:9` — a line and column, or a path and a line; in
 * parentheses, or followed by a comma, as traces write them, or by a colon, as warnings and
 * compilers do (`/app/main.py:18: RuntimeWarning`, `./main.go:12:2: undefined`).
 */
export function isLocation(word: string): boolean {
  let text = word;
  if (text.startsWith('(')) text = text.slice(1);
  while (text.endsWith(')') || text.endsWith(',') || text.endsWith(';') || text.endsWith(':')) text = text.slice(0, -1);
  const line = /:(\d+)(?::(\d+))?$/u.exec(text);
  if (!line || line.index === 0) return false;
  const file = text.slice(0, line.index);
  if (file.includes('(') || file.includes(')')) return false;
  return line[2] !== undefined ? /[\p{L}_]/u.test(file) : file.includes('/') || file.includes('\\');
}

/** Digits in a number that is an ID, never a quantity: a snowflake has 17–19, a Unix time in ms 13. */
const MIN_ID_DIGITS = 10;
/** Length of a word of letters and digits that is a token or hash (`aW50ZXJhY3Rpb246…`, a commit). */
const MIN_TOKEN_CHARS = 24;

/**
 * An analyzed term that is a value from the asker's own data, not a word: a number of ten
 * digits or more (`1217741920331894815`), or a long run of letters mixed with digits (an
 * interaction token, a hash). A docs page cannot be about it, and weighed as a word the corpus
 * lacks it made a pasted error "Not found".
 */
export function isIdValue(term: string): boolean {
  let digits = 0;
  for (let i = 0; i < term.length; i++) {
    const code = term.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return (digits === term.length && digits >= MIN_ID_DIGITS) || (term.length >= MIN_TOKEN_CHARS && digits > 0 && digits < term.length);
}
