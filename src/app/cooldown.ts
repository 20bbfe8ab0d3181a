/** Per-user cooldown: one use per user every `seconds`; 0 disables it. */
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a use and returns 0 when the user may go on, or the whole seconds left to wait (at
   * least 1) without recording anything.
   */
  take(userId: string): number {
    if (this.seconds <= 0) return 0;
    const now = this.now();
    const until = this.until.get(userId) ?? 0;
    if (until > now) return Math.max(1, Math.ceil((until - now) / 1000));
    this.until.set(userId, now + this.seconds * 1000);
    // Forget expired entries now and then so a busy server does not grow the map forever.
    if (this.until.size > 10_000) for (const [id, t] of this.until) if (t <= now) this.until.delete(id);
    return 0;
  }
}
