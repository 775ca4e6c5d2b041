/**
 * What the More and Context buttons need to remember about an answer. Kept in memory,
 * least recently used first out; a button on a forgotten answer asks to ask again.
 *
 * Entries are values: `remember` stores a frozen copy and `get` hands that frozen copy
 * out, so a later page (More) can never change what an earlier answer's Context shows.
 */
import { randomBytes } from 'node:crypto';

export interface RememberedAnswer {
  readonly question: string;
  readonly top: number;
  /** The quotes shown in this answer, for its Context button. */
  readonly cited: ReadonlyArray<{ readonly source: string; readonly lines: readonly [number, number] }>;
}

export class AnswerCache {
  private readonly entries = new Map<string, RememberedAnswer>();

  constructor(private readonly capacity = 5000) {}

  /** Stores a frozen copy of an answer and returns its short key (fits in a button's custom id). */
  remember(answer: RememberedAnswer): string {
    const key = randomBytes(6).toString('base64url');
    this.entries.set(key, frozenCopy(answer));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  /**
   * Remembers the quotes a page of answers showed, for its Context button; returns the key. A
   * quote with a code example is cited from the quote's first line to the example's last.
   */
  rememberResults(question: string, top: number, results: ReadonlyArray<{ source: string; lines: readonly [number, number]; example?: { lines: readonly [number, number] } }>): string {
    return this.remember({ question, top, cited: results.map(({ source, lines, example }) => ({ source, lines: example ? [lines[0], example.lines[1]] as const : lines })) });
  }

  get(key: string): RememberedAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }
}

function frozenCopy(answer: RememberedAnswer): RememberedAnswer {
  const cited = answer.cited.map(({ source, lines }) => Object.freeze({ source, lines: Object.freeze([lines[0], lines[1]] as const) }));
  return Object.freeze({ question: answer.question, top: answer.top, cited: Object.freeze(cited) });
}
