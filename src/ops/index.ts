/**
 * Health and metrics wiring for src/main.ts, one object per process:
 *
 *   const ops = await startOps({ config, mode, logger });   // HTTP server up (503 until ready)
 *   ops.setStore(store);          // console, bot: knowledge in service
 *   ops.setClient(bot.client);    // bot in a shard process: the manager can read its metrics
 *   ops.setShardManager(manager); // shard manager: /metrics merges the shards' metrics
 *   await ops.close();            // shutdown: /healthz says 503 at once, then the server closes
 *
 * Without HEALTH_PORT nothing is started and every call is a no-op. A shard process never serves
 * HTTP itself (it inherits HEALTH_PORT from the manager, which serves for every shard); it keeps
 * its metrics, labelled shard="N", for the manager to collect.
 */
import type { Client, ShardingManager } from 'discord.js';
import type { Config } from '../config.js';
import type { StoreHealth } from '../knowledge/postgres-store.js';
import type { KnowledgeStore } from '../knowledge/store.js';
import type { Logger } from '../log.js';
import { createHealthCheck, GatewayTracker, startHealthServer, type HealthServer } from './health.js';
import { createMetrics, exposeMetricsToManager, renderManagerMetrics } from './metrics.js';

export interface Ops {
  readonly server: HealthServer | null;
  setStore(store: KnowledgeStore): void;
  setClient(client: Client): void;
  setShardManager(manager: ShardingManager): void;
  /** The knowledge database's health, reported in /healthz. */
  setDatabase(health: () => StoreHealth): void;
  close(): Promise<void>;
}

export interface OpsOptions {
  config: Pick<Config, 'HEALTH_PORT' | 'HEALTH_HOST' | 'SHARD_COUNT' | 'SHARD_IDS'>;
  mode: 'console' | 'bot' | 'shard-manager' | 'http';
  logger: Logger;
  /** This process runs under a ShardingManager (it has shard ids in SHARDS). */
  shardProcess?: boolean;
  /** SHARDS of a shard process, e.g. "[2]" or "2"; becomes the shard label of its metrics. */
  shards?: string;
}

const NO_OPS: Ops = { server: null, setStore() {}, setClient() {}, setShardManager() {}, setDatabase() {}, close: async () => {} };

/** The manager's shards: SHARD_IDS when this machine runs some of them, else all of SHARD_COUNT. */
function managedShards(config: OpsOptions['config']): number[] {
  return config.SHARD_IDS ?? Array.from({ length: config.SHARD_COUNT ?? 1 }, (_, i) => i);
}

export async function startOps(options: OpsOptions): Promise<Ops> {
  const { config, mode, logger } = options;
  if (config.HEALTH_PORT === undefined) return NO_OPS;
  let store: KnowledgeStore | null = null;
  let manager: ShardingManager | null = null;
  let stopping = false;
  let database: (() => StoreHealth) | null = null;
  const knowledge = mode === 'shard-manager' ? undefined : () => store?.status() ?? null;
  // Interactions over HTTP have no gateway: ready once the knowledge is loaded, like the console.
  const gateway = mode === 'console' || mode === 'http' ? null : new GatewayTracker(mode === 'shard-manager' ? managedShards(config) : null);
  const health = createHealthCheck({ mode, knowledge, gateway: gateway ?? undefined, stopping: () => stopping, database: () => database?.() ?? null });
  const shardLabel = options.shardProcess ? (options.shards ?? '').replace(/[^\d,]/g, '') || 'unknown' : undefined;
  const metrics = createMetrics({ mode, knowledge, ready: () => health().ok, defaultLabels: shardLabel ? { shard: shardLabel } : undefined });

  const server = options.shardProcess
    ? null
    : await startHealthServer({
        host: config.HEALTH_HOST,
        port: config.HEALTH_PORT,
        health,
        metrics: () => (manager ? renderManagerMetrics(metrics, manager) : metrics.render()),
        logger,
      });

  return {
    server,
    setStore(s) {
      store = s;
    },
    setClient(client) {
      if (options.shardProcess) exposeMetricsToManager(client, metrics);
    },
    setShardManager(m) {
      manager = m;
    },
    setDatabase(h) {
      database = h;
    },
    async close() {
      stopping = true;
      await server?.close();
      metrics.close();
      gateway?.close();
    },
  };
}
