/**
 * Sharding. With SHARD_COUNT > 1 the process started by `npm start` becomes a ShardingManager
 * that runs one child process per shard (shardList from SHARD_IDS when set, so several machines
 * can split the shards between them over a shared knowledge folder). Each child is a complete
 * bot with its own KnowledgeStore on the same folder.
 *
 * Why 'process' mode and not 'worker': a shard's crash, memory or event-loop stall stays in its
 * own process and the manager respawns it; SIGTERM reaches each child's own graceful shutdown;
 * and every child is exactly `npm start` for one shard (same entry file, same env, same
 * DISCORD_API_BASE), which is also how a single-shard bot runs. Workers would share one heap
 * and one set of process-wide signal and crash handlers across all shards.
 *
 * A refresh on one shard reaches the others through the manager: broadcastEval runs a small
 * function on every child's client, which calls the knowledge hook this module attaches to the
 * client (the children re-read the shared folder). The folder watch in every child is the
 * second path, and the only one between machines.
 */
import { ShardingManager, type Client, type Shard } from 'discord.js';
import type { Config } from '../config.js';
import type { KnowledgeStore } from '../knowledge/store.js';
import type { Logger } from '../log.js';
import { EXIT_FATAL_GATEWAY } from './gateway.js';
import { emitBotEvent, type ShardState } from '../app/events.js';
import type { ShardPeers } from '../app/knowledge-service.js';
import type { ShardKnowledge } from '../app/replies.js';

/**
 * Where each child keeps its knowledge hook on its Client. A registry symbol, because the
 * functions given to broadcastEval are sent as source text and cannot see this module's scope:
 * they spell out `Symbol.for('article-qa-bot.knowledge')` themselves.
 */
export const KNOWLEDGE_HOOK = Symbol.for('article-qa-bot.knowledge');

/** What broadcastEval can call on every shard's client. Results must be plain (they cross IPC). */
export interface ShardKnowledgeHook {
  status(): ShardKnowledge;
  reloadFromDisk(by: string): Promise<ShardKnowledge>;
}

type HookedClient = Client & { [KNOWLEDGE_HOOK]?: ShardKnowledgeHook };

/** True in a process the ShardingManager started (it sets SHARDING_MANAGER and SHARDS). */
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER === 'true' && env.SHARDS !== undefined;
}

/** The shard ids this client serves, as a label: "0", "2,3". */
export function shardLabel(client: Client): string {
  if (client.shard) return client.shard.ids.join(',');
  const shards = client.options.shards;
  return Array.isArray(shards) ? shards.join(',') : '0';
}

/** Lets the other shards read and refresh this shard's knowledge (through broadcastEval). */
export function exposeKnowledgeToShards(client: Client, store: KnowledgeStore, logger: Logger): void {
  const log = logger.child({ component: 'shards' });
  const hook: ShardKnowledgeHook = {
    status: () => ({ shard: shardLabel(client), status: store.status() }),
    async reloadFromDisk(by) {
      const result = await store.reload(by);
      log.info({ by, ok: result.ok, before: result.before, after: result.after }, 'knowledge re-read on request of another shard');
      return { shard: shardLabel(client), status: store.status(), ...(result.ok ? {} : { error: result.message }) };
    },
  };
  (client as HookedClient)[KNOWLEDGE_HOOK] = hook;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** This shard first, then the others by id. */
function ordered(results: Array<ShardKnowledge | null>, self: string): ShardKnowledge[] {
  const list = results.map((r, i) => r ?? { shard: `#${i}`, status: null, error: 'not started yet' });
  return list.sort((a, b) => (a.shard === self ? -1 : b.shard === self ? 1 : a.shard.localeCompare(b.shard, 'en', { numeric: true })));
}

/** The other shards, when this client runs under a ShardingManager; undefined otherwise. */
export function createShardPeers(client: Client, timeoutMs = 10_000): ShardPeers | undefined {
  const util = client.shard;
  if (!util) return undefined;
  return {
    async statuses() {
      const results = await withTimeout(
        util.broadcastEval((c) => (c as HookedClient)[Symbol.for('article-qa-bot.knowledge') as typeof KNOWLEDGE_HOOK]?.status() ?? null),
        timeoutMs,
        'the other shards',
      );
      return ordered(results as Array<ShardKnowledge | null>, shardLabel(client));
    },
    async reloadAll(by) {
      const results = await withTimeout(
        util.broadcastEval((c, ctx) => (c as HookedClient)[Symbol.for('article-qa-bot.knowledge') as typeof KNOWLEDGE_HOOK]?.reloadFromDisk(ctx.by) ?? null, {
          context: { by: `${by}, via shard ${shardLabel(client)}` },
        }),
        // A rebuild of a large folder takes a while; /knowledge has deferred its reply.
        timeoutMs * 6,
        'the other shards',
      );
      return ordered(results as Array<ShardKnowledge | null>, shardLabel(client));
    },
  };
}

export interface ShardManagerHandle {
  manager: ShardingManager;
  /** Starts the shard processes one after another; rejects if one fails to become ready. */
  spawn(): Promise<void>;
  /**
   * Stops spawning, asks every shard process to shut down (SIGTERM: each finishes its replies in
   * flight) and kills those still running after `graceMs`.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A manager for SHARD_COUNT shards (or the SHARD_IDS of them) as child processes running
 * `entryFile`. Never 'auto' shards: that would ask discord.com directly, whatever
 * DISCORD_API_BASE says. Created before spawning so a signal during start-up can stop it.
 */
export function createShardManager(config: Config, logger: Logger, entryFile: string): ShardManagerHandle {
  const log = logger.child({ component: 'shard-manager' });
  const totalShards = config.SHARD_COUNT ?? 1;
  const shardList = config.SHARD_IDS ?? Array.from({ length: totalShards }, (_, i) => i);
  const manager = new ShardingManager(entryFile, {
    totalShards,
    shardList,
    mode: 'process',
    token: config.DISCORD_TOKEN,
    // Children load the code the way this process did: tsx's loader in development, nothing for
    // compiled JavaScript. The environment (DISCORD_API_BASE, KNOWLEDGE_DIR, ...) is copied.
    execArgv: process.execArgv,
    respawn: true,
  });
  manager.on('shardCreate', (shard: Shard) => {
    const status = (state: ShardState, extra: Record<string, unknown> = {}) => {
      log[state === 'died' || state === 'error' ? 'warn' : 'info']({ shardId: shard.id, state, ...extra }, `shard ${state}`);
      emitBotEvent('shardStatus', { shardId: shard.id, status: state });
    };
    status('spawned');
    shard.on('ready', () => status('ready'));
    shard.on('resume', () => status('resumed'));
    shard.on('reconnecting', () => status('reconnecting'));
    shard.on('disconnect', () => status('disconnected'));
    shard.on('death', (child) => {
      const exitCode = 'exitCode' in child ? child.exitCode : undefined;
      status('died', { exitCode });
      // The shard hit a fatal gateway close (a revoked token): respawning would only hit it again.
      if (exitCode === EXIT_FATAL_GATEWAY && !stopped) {
        log.fatal({ shardId: shard.id, exitCode }, 'a shard ended on a fatal gateway close; stopping every shard and exiting');
        void stop(5_000).finally(() => process.exit(EXIT_FATAL_GATEWAY));
      }
    });
    shard.on('error', (err) => status('error', { err }));
  });
  let stopped = false;

  const stop = async (graceMs = 9_000): Promise<void> => {
    stopped = true;
    manager.respawn = false;
    const alive = [...manager.shards.values()].filter((s) => s.process && s.process.exitCode === null && s.process.signalCode === null);
    log.info({ shards: alive.map((s) => s.id) }, 'asking shard processes to shut down');
    await Promise.all(
      alive.map(
        (s) =>
          new Promise<void>((resolve) => {
            const child = s.process!;
            const timer = setTimeout(() => {
              log.warn({ shardId: s.id }, 'shard did not exit in time; killing it');
              child.kill('SIGKILL');
              resolve();
            }, graceMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    log.info('every shard process has exited');
  };

  // ShardingManager.spawn's loop, made stoppable: a SIGTERM during start-up spawns no more.
  const spawn = async (): Promise<void> => {
    log.info({ totalShards, shardList, delayMs: config.SHARD_SPAWN_DELAY_MS }, 'spawning shards');
    for (const [i, id] of shardList.entries()) {
      if (stopped) return;
      const last = i === shardList.length - 1;
      try {
        await Promise.all([
          manager.createShard(id).spawn(60_000),
          last || !config.SHARD_SPAWN_DELAY_MS ? null : new Promise((resolve) => setTimeout(resolve, config.SHARD_SPAWN_DELAY_MS)),
        ]);
      } catch (err) {
        if (stopped) return;
        log.error({ err, shardId: id }, 'a shard failed to start; stopping the others');
        await stop(5_000);
        throw err;
      }
    }
    log.info({ shards: [...manager.shards.keys()] }, 'every shard is ready');
  };

  return { manager, spawn, stop };
}
