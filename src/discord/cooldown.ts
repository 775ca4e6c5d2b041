/** Per-user rate limit: at most `limit` questions in any `windowMs` (sliding window). */
export class Cooldown {
  private readonly hits = new Map<string, number[]>();

  /**
   * @param limit questions allowed per window; 0 turns the limit off. Example: `5`.
   * @param windowMs window length. Example: `30_000`.
   * @param now clock, injectable for tests.
   */
  constructor(
    readonly limit: number,
    readonly windowMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a question, or says when a user who asked too often may ask again (a Discord
   * relative timestamp); undefined when they may ask now.
   */
  notice(userId: string): string | undefined {
    const verdict = this.take(userId);
    if (verdict.ok) return undefined;
    const at = Math.ceil((this.now() + verdict.retryAfterMs) / 1000);
    return `You're asking quickly — at most ${this.limit} questions per ${this.windowMs / 1000} s. Try again <t:${at}:R>.`;
  }

  /** Records a question; or, when over the limit, says how long until the next is allowed. */
  take(userId: string): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.limit <= 0) return { ok: true };
    const now = this.now();
    const recent = (this.hits.get(userId) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(userId, recent);
      return { ok: false, retryAfterMs: this.windowMs - (now - recent[0]!) };
    }
    recent.push(now);
    this.hits.set(userId, recent);
    if (this.hits.size > 10_000) this.prune(now);
    return { ok: true };
  }

  private prune(now: number): void {
    for (const [user, times] of this.hits) if (times.every((t) => now - t >= this.windowMs)) this.hits.delete(user);
  }
}
