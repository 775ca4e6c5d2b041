/**
 * The terminal's lines as messages (`npm start`'s console, `npm run prompt`). Discord's message box keeps a paste as one message with its
 * line breaks; a terminal hands the same paste over as lines, and each became a message of its
 * own: an error pasted with ten stack frames got eleven answers, ten of them "no words to
 * search". In a terminal, lines that arrive together — one chunk of input, whose lines readline
 * emits in the same turn of the event loop — are one message; a line typed alone is one, and so
 * is each line of piped input (a script's questions, one per line). A line that is a command or
 * a button number (`/ask …`, `2`) is never joined to others.
 */
import type { EventEmitter } from 'node:events';

/** A line the console reads as a command or a button, not as text of a message. */
const isCommandLine = (line: string) => line.startsWith('/') || /^\d+$/u.test(line);

/**
 * Messages from a readline interface (its `line` and `close` events), trimmed. `together`:
 * lines emitted in the same turn are one message (a terminal's paste).
 */
export async function* messagesOf(lines: EventEmitter, together: boolean): AsyncGenerator<string> {
  const ready: string[] = [];
  let batch: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const flush = () => {
    const trimmed = batch.map((line) => line.trim());
    batch = [];
    const joined = trimmed.filter(Boolean);
    if (!together || joined.length < 2 || joined.some(isCommandLine)) ready.push(...trimmed);
    else ready.push(joined.join('\n'));
    wake?.();
  };
  lines.on('line', (line: string) => {
    if (batch.length === 0) setImmediate(flush);
    batch.push(line);
  });
  lines.once('close', () => {
    setImmediate(() => {
      closed = true;
      wake?.();
    });
  });
  while (true) {
    if (ready.length) {
      yield ready.shift()!;
      continue;
    }
    if (closed && batch.length === 0) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
