/**
 * The questions "More" continues, kept whole in the core and found again by a short key that the
 * button carries (a custom_id holds 100 characters; a question up to 500). Without it the
 * question would have to be read back from the answer's embed title, which Discord cuts at 256.
 *
 * In memory, per process: a press reaches the shard that answered (Discord routes a guild's
 * interactions to one shard), and a question past its TTL, or from before a restart, is simply
 * not found; the caller then falls back on what the message still shows whole, or asks again.
 */
import { randomBytes } from 'node:crypto';

/** How long a question stays available to "More" after its last use. */
export const FOLLOW_UP_TTL_MS = 6 * 60 * 60 * 1000;
/** Most questions remembered at once (≤ 500 characters each: a few MB at most). */
export const FOLLOW_UP_MAX = 10_000;

/** A key, as a pattern for custom_id parsers: 10 characters of [0-9a-z] (~51 bits; guessing one only re-asks a stranger's question). */
export const FOLLOW_UP_KEY_PATTERN = '[0-9a-z]{10}';

export class FollowUps {
  /** Oldest use first (a Map keeps insertion order; a use re-inserts), so eviction is from the front. */
  private readonly entries = new Map<string, { question: string; expires: number }>();

  constructor(
    private readonly options: { ttlMs?: number; max?: number; now?: () => number } = {},
  ) {}

  private get ttlMs(): number {
    return this.options.ttlMs ?? FOLLOW_UP_TTL_MS;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Keeps `question` and returns the key that finds it again. */
  remember(question: string): string {
    let key: string;
    do key = newKey();
    while (this.entries.has(key));
    this.entries.set(key, { question, expires: this.now() + this.ttlMs });
    this.evict();
    return key;
  }

  /** The question kept under `key`, or null when it expired, was evicted or never existed. A use renews it. */
  recall(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expires <= this.now()) return null;
    this.entries.set(key, { question: entry.question, expires: this.now() + this.ttlMs });
    return entry.question;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const max = this.options.max ?? FOLLOW_UP_MAX;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= max && entry.expires > now) break;
      this.entries.delete(key);
    }
  }
}

function newKey(): string {
  // 8 random bytes as base 36, cut to 10 digits: always 10 characters, only [0-9a-z].
  return randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0').slice(-10);
}
