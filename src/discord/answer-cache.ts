/**
 * What the More and Context buttons need to remember about an answer. Kept in memory,
 * least recently used first out; a button on a forgotten answer asks to ask again.
 */
import { randomBytes } from 'node:crypto';

export interface RememberedAnswer {
  question: string;
  top: number;
  /** The quotes shown so far, for the Context button. */
  cited: Array<{ source: string; lines: [number, number] }>;
}

export class AnswerCache {
  private readonly entries = new Map<string, RememberedAnswer>();

  constructor(private readonly capacity = 5000) {}

  /** Stores an answer and returns its short key (fits in a button's custom id). */
  remember(answer: RememberedAnswer): string {
    const key = randomBytes(6).toString('base64url');
    this.entries.set(key, answer);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return key;
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
