/**
 * The bot's observable moments, for health checks and metrics (issue 4) to listen to without
 * reaching into the handlers. Emitted in console mode too where they apply (question, refresh).
 *
 *   import { botEvents } from './app/events.js';
 *   botEvents.on('question', ({ latencyMs, answered }) => histogram.observe(latencyMs / 1000));
 *
 * Listeners run synchronously inside the handlers: keep them cheap. A listener that throws is
 * logged by nobody and ignored (see emitBotEvent), so metrics can never break an answer.
 */
import { EventEmitter } from 'node:events';
import type { RefreshResult } from '../knowledge/store.js';

export type Vote = 'up' | 'down';
export type ShardState = 'spawned' | 'ready' | 'resumed' | 'reconnecting' | 'disconnected' | 'error' | 'died';

export interface BotEventMap {
  /** A question was answered (or abstained on): /ask, its "More" button, or a console line. */
  question: [{ source: 'discord' | 'console'; command: 'ask' | 'more'; latencyMs: number; answered: boolean }];
  /** A 👍/👎 press on an answer. */
  feedback: [{ vote: Vote }];
  /** A user was told to wait (per-user /ask cooldown). */
  cooldown: [{ command: string; userId: string }];
  /** A knowledge refresh asked for by a person (reload, upload, rollback) or seen on disk (watch). */
  refresh: [{ ok: boolean; action: RefreshResult['action'] }];
  /** The gateway is ready: discord.js ClientReady (all guilds of this process's shards received). */
  ready: [{ shards: number[]; guilds: number }];
  /** A shard's connection changed (in a shard process), or a shard process did (in the manager). */
  shardStatus: [{ shardId: number; status: ShardState }];
}

export const botEvents = new EventEmitter<BotEventMap>();

/** Emits without letting a listener's exception reach the caller (a reply in flight). */
export function emitBotEvent<K extends keyof BotEventMap>(name: K, ...args: BotEventMap[K]): void {
  try {
    (botEvents.emit as (n: K, ...a: BotEventMap[K]) => boolean)(name, ...args);
  } catch {
    // Observability must never break the bot; the listener owns its own error handling.
  }
}
