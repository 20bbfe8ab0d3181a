/**
 * The health endpoint and the HTTP server that carries it and /metrics (HEALTH_PORT, HEALTH_HOST).
 *
 * /healthz answers 200 with a JSON report when the process can do its job, 503 with the reason
 * otherwise:
 *   - console: the knowledge is loaded;
 *   - bot (one process): the knowledge is loaded, the gateway has been ready (discord.js
 *     ClientReady) and every shard of this process is ready or resumed since;
 *   - shard manager: every shard of its list (SHARD_IDS, else 0..SHARD_COUNT-1) is ready or
 *     resumed. Knowledge lives in the shard processes; a shard without knowledge never becomes
 *     ready (the store opens before login), and a refused refresh keeps the old knowledge.
 *   - any mode, once shutdown has begun: 503 "shutting down".
 * A shard 'error' does not change readiness by itself (discord.js reports socket errors that it
 * recovers from); the disconnect/reconnect that follows a real failure does.
 */
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { botEvents, type BotEventMap, type ShardState } from '../app/events.js';
import type { StoreHealth } from '../knowledge/postgres-store.js';
import type { KnowledgeStatus } from '../knowledge/store.js';
import type { Logger } from '../log.js';

export interface HealthReport {
  ok: boolean;
  /** Why not ok (absent when ok). */
  reason?: string;
  mode: 'console' | 'bot' | 'shard-manager' | 'http';
  knowledge?: { loaded: false } | { loaded: true; version: string; documents: number; paragraphs: number; speakers: number; loadedAt: string };
  gateway?: { ready: boolean; shards: Record<string, ShardState | 'not started'> };
  /** With DATABASE_URL: 'degraded' while it is unreachable (answers go on, changes are refused). */
  database?: StoreHealth;
  uptimeSeconds: number;
}

export type HealthCheck = () => HealthReport;

const UP: ReadonlySet<ShardState> = new Set(['ready', 'resumed']);

/**
 * Follows the gateway through botEvents: 'ready' (ClientReady, this process's shards) and
 * 'shardStatus' (a shard's connection in a bot process; a shard process in the manager).
 * With `expected` shards (the manager) each of them must be up; without (a bot process), the
 * shards are those ClientReady named, and nothing is up before it.
 */
export class GatewayTracker {
  private readonly states = new Map<number, ShardState>();
  /** Last status other than 'error', which is what readiness goes by. */
  private readonly connection = new Map<number, ShardState>();
  private clientReady = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly expected: readonly number[] | null = null,
    events: EventEmitter<BotEventMap> = botEvents,
  ) {
    const onReady = ({ shards }: BotEventMap['ready'][0]) => {
      this.clientReady = true;
      for (const id of shards) this.record(id, 'ready');
    };
    const onStatus = ({ shardId, status }: BotEventMap['shardStatus'][0]) => this.record(shardId, status);
    events.on('ready', onReady);
    events.on('shardStatus', onStatus);
    this.unsubscribe = () => {
      events.off('ready', onReady);
      events.off('shardStatus', onStatus);
    };
  }

  private record(shardId: number, status: ShardState): void {
    this.states.set(shardId, status);
    if (status !== 'error') this.connection.set(shardId, status);
  }

  check(): { ready: boolean; reason?: string; shards: Record<string, ShardState | 'not started'> } {
    const ids = this.expected ?? [...this.states.keys()].sort((a, b) => a - b);
    const shards: Record<string, ShardState | 'not started'> = {};
    for (const id of ids) shards[String(id)] = this.states.get(id) ?? 'not started';
    if (!this.expected && !this.clientReady) return { ready: false, reason: 'the Discord gateway is not ready yet (connecting)', shards };
    const down = ids.filter((id) => !UP.has(this.connection.get(id) ?? 'spawned'));
    if (down.length) {
      const what = down.map((id) => `${id} (${this.connection.get(id) ?? 'not started'})`).join(', ');
      return { ready: false, reason: `shard${down.length > 1 ? 's' : ''} not ready: ${what}`, shards };
    }
    return { ready: true, shards };
  }

  close(): void {
    this.unsubscribe();
  }
}

export interface HealthCheckOptions {
  mode: HealthReport['mode'];
  /** The knowledge in service; null until loaded. Absent in the shard manager. */
  knowledge?: () => KnowledgeStatus | null;
  /** Absent in console mode. */
  gateway?: Pick<GatewayTracker, 'check'>;
  /** True once shutdown has begun. */
  stopping?: () => boolean;
  /** The knowledge database (DATABASE_URL): 'degraded' still answers, so it stays 200. */
  database?: () => StoreHealth | null;
}

export function createHealthCheck(options: HealthCheckOptions): HealthCheck {
  const started = Date.now();
  return () => {
    const report: HealthReport = { ok: true, mode: options.mode, uptimeSeconds: Math.round((Date.now() - started) / 1000) };
    const reasons: string[] = [];
    if (options.stopping?.()) reasons.push('shutting down');
    if (options.knowledge) {
      const s = options.knowledge();
      if (s) report.knowledge = { loaded: true, version: s.version, documents: s.documents, paragraphs: s.paragraphs, speakers: s.speakers, loadedAt: s.loadedAt };
      else {
        report.knowledge = { loaded: false };
        reasons.push('the knowledge is not loaded yet');
      }
    }
    const database = options.database?.();
    if (database) report.database = database;
    if (options.gateway) {
      const g = options.gateway.check();
      report.gateway = { ready: g.ready, shards: g.shards };
      if (!g.ready) reasons.push(g.reason ?? 'the gateway is not ready');
    }
    if (reasons.length) {
      report.ok = false;
      report.reason = reasons.join('; ');
    }
    return report;
  };
}

export interface HealthServerOptions {
  host: string;
  /** 0 picks a free port (see HealthServer.port). */
  port: number;
  health: HealthCheck;
  /** The /metrics body; absent: /metrics is 404. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  logger: Logger;
}

export interface HealthServer {
  readonly host: string;
  /** The port actually bound. */
  readonly port: number;
  readonly url: string;
  /** Stops accepting connections and closes the open ones (a scrape in flight gets ~1 s). */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

/** Serves GET /healthz and GET /metrics (HEAD too); anything else is 404, other methods 405. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const log = options.logger.child({ component: 'health' });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    if (path !== '/healthz' && path !== '/metrics') return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n', head);
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', head);
    }
    if (path === '/healthz') {
      const report = options.health();
      return send(res, report.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(report)}\n`, head);
    }
    if (!options.metrics) return send(res, 404, 'text/plain; charset=utf-8', 'metrics are not served by this process\n', head);
    const { contentType, body } = await options.metrics();
    return send(res, 200, contentType, body, head);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'health server request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n', false);
      else res.destroy();
    });
  });
  // Probes and scrapers are local and quick; do not let a stalled client hold a socket for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new Error(`the health server cannot listen on ${options.host}:${options.port} (HEALTH_HOST, HEALTH_PORT): ${err.code ?? err.message}`));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'health server error'));
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}`;
  log.info({ host: options.host, port, url: `${url}/healthz` }, 'health server listening');

  let closing: Promise<void> | null = null;
  return {
    host: options.host,
    port,
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          log.info('health server closed');
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
