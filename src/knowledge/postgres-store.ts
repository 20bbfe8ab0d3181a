/**
 * The servers' knowledge in PostgreSQL (DATABASE_URL): the article files of each server, a
 * revision per change, the history rollback restores, and an audit record of every change.
 * Any number of replicas share one database:
 *   - migrations run at start on every replica (postgres-migrations.ts: advisory lock);
 *   - an upload or rollback is one transaction, so a replica killed mid-upload leaves the old
 *     files whole, and its NOTIFY is delivered only when it commits;
 *   - every replica LISTENs and emits 'change' for changes made elsewhere; after a lost
 *     connection it reconnects with backoff, listens again and compares every server's revision
 *     with what it last saw, so changes made while it was away are not missed.
 * While the database is unreachable the store is 'degraded': reads and writes throw
 * StoreUnavailableError, and the knowledge already built from it stays in service (that lives
 * above this class, which only stores files).
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../log.js';
import { migrate } from './postgres-migrations.js';
import type { HistoryEntry, StoredFile } from './storage.js';

/** The NOTIFY channel every replica listens on. */
export const CHANGE_CHANNEL = 'knowledge_changes';

export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('store unavailable: the knowledge database cannot be reached right now; the knowledge in service is unchanged. Try again shortly.', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Someone else changed the server's knowledge between reading it and writing. */
export class StoreConflictError extends Error {
  constructor(readonly expected: number, readonly actual: number) {
    super('the knowledge changed meanwhile (another moderator or replica); nothing was written. Try again.');
    this.name = 'StoreConflictError';
  }
}

export interface ServerSnapshot {
  serverId: string;
  /** 0: the server has no knowledge of its own. */
  revision: number;
  /** As the database returns them: Buffers. */
  files: Array<StoredFile & { bytes: Buffer }>;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Earlier versions rollback can restore. */
  history: number;
}

export type ChangeAction = 'upload' | 'rollback';

export interface KnowledgeChange {
  serverId: string;
  revision: number;
  /** 'catch-up': found after a reconnect, the action itself was missed. */
  action: ChangeAction | 'catch-up';
  by: string;
  /** The file uploaded or restored. */
  name?: string;
}

/** A change as its caller sees it: what it did to the server's files and history. */
export interface AppliedChange extends KnowledgeChange {
  /** False when there was nothing to change (an upload of the bytes already in place): nothing was written or audited. */
  changed: boolean;
  /** Earlier versions rollback can restore, after the change. */
  history: number;
}

export interface StoreHealth {
  state: 'ok' | 'degraded';
  /** Why degraded. */
  reason?: string;
  since: string;
}

export interface AuditEntry {
  serverId: string;
  action: string;
  by: string;
  ok: boolean;
  revisionBefore?: number;
  revisionAfter?: number;
  detail?: Record<string, unknown>;
}

export interface PostgresStoreOptions {
  url: string;
  logger: Logger;
  /** Earlier versions kept per server for rollback. */
  historyLimit?: number;
  /** Pool size for reads and writes (the listener has its own connection). */
  poolSize?: number;
  /** Give up connecting after this long (then: store unavailable). */
  connectTimeoutMs?: number;
  /** Reconnect delays: from `firstMs`, doubling up to `maxMs`, with ±20 % jitter. */
  backoff?: { firstMs: number; maxMs: number };
  /** How often the listener's connection is checked (a silent network loss sends no error). */
  heartbeatMs?: number;
}

interface ChangePayload {
  s: string;
  r: number;
  a: ChangeAction;
  b: string;
  n?: string;
  /** The store instance that made the change (it already knows). */
  o: string;
}

interface StoreEvents {
  change: [KnowledgeChange];
  health: [StoreHealth];
}

export class PostgresKnowledgeStore extends EventEmitter<StoreEvents> {
  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private readonly log: Logger;
  private readonly origin = randomUUID();
  /** The revision of each server as last seen (read, written, notified or caught up). */
  private readonly seen = new Map<string, number>();
  private currentHealth: StoreHealth = { state: 'degraded', reason: 'not connected yet', since: new Date().toISOString() };
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connecting = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private readonly historyLimit: number;
  private readonly connectTimeoutMs: number;
  private readonly backoff: { firstMs: number; maxMs: number };
  private readonly heartbeatMs: number;

  private constructor(private readonly opts: PostgresStoreOptions) {
    super();
    this.log = opts.logger.child({ component: 'knowledge-db' });
    this.historyLimit = opts.historyLimit ?? 20;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
    this.backoff = opts.backoff ?? { firstMs: 200, maxMs: 5000 };
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 5,
      connectionTimeoutMillis: this.connectTimeoutMs,
      // A database that accepts but never answers must not hold a moderator's upload for good:
      // the query fails, the store turns degraded and reconnects.
      query_timeout: 15_000,
      idleTimeoutMillis: 30_000,
      application_name: 'article-qa-bot',
    });
    // An idle pooled connection cut by the server (a restart) reports here; without a handler
    // the error would end the process.
    this.pool.on('error', (err) => this.log.debug({ err: err.message }, 'idle database connection lost'));
  }

  /** Connects, migrates the schema, starts listening. Throws if the database cannot be reached. */
  static async open(opts: PostgresStoreOptions): Promise<PostgresKnowledgeStore> {
    const store = new PostgresKnowledgeStore(opts);
    try {
      const client = await store.pool.connect();
      try {
        const result = await migrate(client);
        if (result.applied.length) store.log.info({ applied: result.applied, version: result.version }, 'knowledge database migrated');
        if (result.newerThanCode) store.log.warn({ version: result.version }, 'the knowledge database schema is newer than this code; running with it');
      } finally {
        client.release();
      }
      await store.listen(false);
    } catch (err) {
      await store.close();
      throw new Error(`cannot open the knowledge database at ${describeUrl(opts.url)}: ${(err as Error).message}`, { cause: err });
    }
    return store;
  }

  get health(): StoreHealth {
    return this.currentHealth;
  }

  /** The server's revision as this replica last saw it (0: no knowledge of its own). */
  revision(serverId: string): number {
    return this.seen.get(serverId) ?? 0;
  }

  /** The server's files, as one consistent snapshot. */
  async read(serverId: string): Promise<ServerSnapshot> {
    const snapshot = await this.withClient(async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const server = await client.query<{ revision: string; updated_at: Date; updated_by: string }>(
          'SELECT revision, updated_at, updated_by FROM knowledge_servers WHERE server_id = $1',
          [serverId],
        );
        const files = await client.query<{ name: string; content: Buffer }>('SELECT name, content FROM knowledge_articles WHERE server_id = $1 ORDER BY name', [serverId]);
        const history = await countPrevious(client, serverId); // in the same snapshot
        await client.query('COMMIT');
        const row = server.rows[0];
        return {
          serverId,
          revision: row ? Number(row.revision) : 0,
          files: files.rows.map((f) => ({ name: f.name, bytes: f.content })),
          updatedAt: row ? row.updated_at.toISOString() : null,
          updatedBy: row ? row.updated_by : null,
          history,
        } satisfies ServerSnapshot;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.seen.set(serverId, snapshot.revision);
    return snapshot;
  }

  /** Servers that have knowledge of their own. */
  async servers(): Promise<string[]> {
    const { rows } = await this.withClient((c) => c.query<{ server_id: string }>('SELECT server_id FROM knowledge_servers WHERE revision > 0 ORDER BY server_id'));
    return rows.map((r) => r.server_id);
  }

  /**
   * Adds or replaces one file of a server, in one transaction: the replaced content goes to the
   * history, the revision moves on, the change is audited and announced. The caller validates
   * the file first. With `expectedRevision` (the revision the caller built on), a change made
   * meanwhile by someone else refuses the write (StoreConflictError). `changed`: false when the
   * file already held these bytes (nothing written, nothing audited).
   */
  async upload(serverId: string, name: string, bytes: Uint8Array, by: string, expectedRevision?: number): Promise<AppliedChange> {
    const content = Buffer.from(bytes);
    return this.change(serverId, by, expectedRevision, async (client, before) => {
      const previous = await client.query<{ content: Buffer }>('SELECT content FROM knowledge_articles WHERE server_id = $1 AND name = $2', [serverId, name]);
      const old = previous.rows[0]?.content ?? null;
      if (old && old.equals(content)) return null;
      await client.query("INSERT INTO knowledge_history (server_id, name, content, replaced_at, kind) VALUES ($1, $2, $3, $4, 'previous')", [serverId, name, old, before]);
      await this.trimHistory(client, serverId);
      const revision = await nextRevision(client);
      const digest = await putArticle(client, serverId, name, content, revision);
      return { revision, action: 'upload', name, detail: { bytes: content.length, sha256: digest, replaced: old !== null } };
    });
  }

  /**
   * Restores the file the last upload replaced (or removes the file it added): the newest
   * 'previous' history entry that differs from what is in place. What it replaces is kept as a
   * 'kept' entry. null: nothing to roll back. `removed`: the file was new, so it is gone now.
   */
  async rollback(serverId: string, by: string): Promise<(AppliedChange & { removed: boolean }) | null> {
    let removed = false;
    try {
      const change = await this.change(serverId, by, undefined, async (client, before) => {
        // An entry identical to what is in place would restore nothing: the one before it counts.
        const last = await client.query<{ id: string; name: string; content: Buffer | null }>(
          `SELECT h.id, h.name, h.content FROM knowledge_history h
             LEFT JOIN knowledge_articles a ON a.server_id = h.server_id AND a.name = h.name
            WHERE h.server_id = $1 AND h.kind = 'previous' AND h.content IS DISTINCT FROM a.content
            ORDER BY h.id DESC LIMIT 1`,
          [serverId],
        );
        const entry = last.rows[0];
        if (!entry) throw new NothingToRollBack();
        await client.query(
          `INSERT INTO knowledge_history (server_id, name, content, replaced_at, kind)
           SELECT $1, $2, (SELECT content FROM knowledge_articles WHERE server_id = $1 AND name = $2), $3, 'kept'`,
          [serverId, entry.name, before],
        );
        // Entries newer than the one restored are identical to what was in place: spent.
        await client.query("DELETE FROM knowledge_history WHERE server_id = $1 AND kind = 'previous' AND id >= $2", [serverId, entry.id]);
        await this.trimHistory(client, serverId);
        const revision = await nextRevision(client);
        removed = entry.content === null;
        if (entry.content === null) {
          await client.query('DELETE FROM knowledge_articles WHERE server_id = $1 AND name = $2', [serverId, entry.name]);
        } else {
          await putArticle(client, serverId, entry.name, entry.content, revision);
        }
        return { revision, action: 'rollback', name: entry.name, detail: { restored: entry.content !== null ? 'previous content' : 'removed (it was new)' } };
      });
      return { ...change, removed };
    } catch (err) {
      if (err instanceof NothingToRollBack) return null;
      throw err;
    }
  }

  /** One file's bytes, or null. */
  async readFile(serverId: string, name: string): Promise<Buffer | null> {
    const { rows } = await this.withClient((c) => c.query<{ content: Buffer }>('SELECT content FROM knowledge_articles WHERE server_id = $1 AND name = $2', [serverId, name]));
    return rows[0]?.content ?? null;
  }

  /** The server's kept versions, oldest first. */
  async history(serverId: string): Promise<HistoryEntry[]> {
    const { rows } = await this.withClient((c) =>
      c.query<{ id: string; name: string; created_at: Date; kind: 'previous' | 'kept'; absent: boolean }>(
        'SELECT id, name, created_at, kind, content IS NULL AS absent FROM knowledge_history WHERE server_id = $1 ORDER BY id',
        [serverId],
      ),
    );
    return rows.map((r) => ({ id: r.id, name: r.name, savedAt: r.created_at.toISOString(), kind: r.kind, absent: r.absent }));
  }

  /** Records a request that changed nothing (a refused upload, say). Best effort: a down database only logs. */
  async audit(entry: AuditEntry): Promise<void> {
    try {
      await this.withClient((c) => insertAudit(c, entry));
    } catch (err) {
      this.log.warn({ err: (err as Error).message, audit: entry }, 'could not write the audit record to the database');
    }
  }

  /** Audit records of a server, newest first. */
  async auditLog(serverId: string, limit = 20): Promise<Array<AuditEntry & { at: string }>> {
    const { rows } = await this.withClient((c) =>
      c.query<{ at: Date; action: string; by: string; ok: boolean; revision_before: string | null; revision_after: string | null; detail: Record<string, unknown> }>(
        'SELECT at, action, by, ok, revision_before, revision_after, detail FROM knowledge_audit WHERE server_id = $1 ORDER BY id DESC LIMIT $2',
        [serverId, limit],
      ),
    );
    return rows.map((r) => ({
      serverId,
      at: r.at.toISOString(),
      action: r.action,
      by: r.by,
      ok: r.ok,
      revisionBefore: r.revision_before === null ? undefined : Number(r.revision_before),
      revisionAfter: r.revision_after === null ? undefined : Number(r.revision_after),
      detail: r.detail,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const listener = this.listener;
    this.listener = null;
    if (listener) await Promise.race([discard(listener), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    await this.pool.end().catch(() => undefined);
  }

  /** Keeps the newest `historyLimit` entries of the server. */
  private async trimHistory(client: pg.ClientBase, serverId: string): Promise<void> {
    await client.query(
      `DELETE FROM knowledge_history WHERE server_id = $1 AND id NOT IN
         (SELECT id FROM knowledge_history WHERE server_id = $1 ORDER BY id DESC LIMIT $2)`,
      [serverId, this.historyLimit],
    );
  }

  /** One change of one server: lock its row, check the revision, apply, record, announce. */
  private async change(
    serverId: string,
    by: string,
    expectedRevision: number | undefined,
    apply: (client: pg.PoolClient, before: number) => Promise<{ revision: number; action: ChangeAction; name: string; detail: Record<string, unknown> } | null>,
  ): Promise<AppliedChange> {
    const result = await this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('INSERT INTO knowledge_servers (server_id, revision, updated_by) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING', [serverId, by]);
        const locked = await client.query<{ revision: string }>('SELECT revision FROM knowledge_servers WHERE server_id = $1 FOR UPDATE', [serverId]);
        const before = Number(locked.rows[0].revision);
        if (expectedRevision !== undefined && expectedRevision !== before) throw new StoreConflictError(expectedRevision, before);
        const applied = await apply(client, before);
        const history = await countPrevious(client, serverId);
        if (!applied) {
          await client.query('ROLLBACK');
          return { serverId, revision: before, action: 'upload', by, changed: false, history } satisfies AppliedChange;
        }
        const { revision, action, name, detail } = applied;
        await client.query('UPDATE knowledge_servers SET revision = $2, updated_at = now(), updated_by = $3 WHERE server_id = $1', [serverId, revision, by]);
        await client.query('INSERT INTO knowledge_versions (server_id, revision, action, name, created_by) VALUES ($1, $2, $3, $4, $5)', [serverId, revision, action, name, by]);
        await insertAudit(client, { serverId, action, by, ok: true, revisionBefore: before, revisionAfter: revision, detail: { name, ...detail } });
        const payload: ChangePayload = { s: serverId, r: revision, a: action, b: by, n: name, o: this.origin };
        // Delivered to every listener when, and only if, the transaction commits.
        await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(payload)]);
        await client.query('COMMIT');
        return { serverId, revision, action, by, name, changed: true, history } satisfies AppliedChange;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.seen.set(serverId, result.revision);
    return result;
  }

  /** Runs `fn` on a pooled connection; connection failures become StoreUnavailableError. */
  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    // Degraded: refuse at once instead of waiting for a connection timeout on every request.
    if (this.currentHealth.state !== 'ok') throw new StoreUnavailableError(new Error(this.currentHealth.reason));
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.lost(err, null);
      throw new StoreUnavailableError(err);
    }
    let broken = false;
    // A checked-out connection has no error listener of the pool's: a server shutdown would be
    // an uncaught exception. The query under way fails too, and is handled below.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } catch (err) {
      if (isConnectionError(err)) {
        broken = true;
        this.lost(err, null);
        throw new StoreUnavailableError(err);
      }
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** Connects the listener, LISTENs, and catches up on changes made while it was away. */
  private async listen(announceMissed: boolean): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.url,
      connectionTimeoutMillis: this.connectTimeoutMs,
      // A half-open connection must fail, not hang the reconnect (or the heartbeat) for good.
      query_timeout: 2 * this.connectTimeoutMs,
      keepAlive: true,
      application_name: 'article-qa-bot listener',
    });
    client.on('error', (err) => this.lost(err, client));
    client.on('end', () => this.lost(new Error('connection ended'), client));
    client.on('notification', (msg) => this.onNotification(msg));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      // Listening first, then reading: a change committed in between is both read and notified
      // (harmless), never neither.
      const { rows } = await client.query<{ server_id: string; revision: string }>('SELECT server_id, revision FROM knowledge_servers');
      if (this.closed) throw new Error('store closed');
      this.listener = client;
      for (const row of rows) {
        const revision = Number(row.revision);
        const known = this.seen.get(row.server_id);
        this.seen.set(row.server_id, revision);
        if (announceMissed && known !== revision) this.emit('change', { serverId: row.server_id, revision, action: 'catch-up', by: 'database' });
      }
    } catch (err) {
      // Not awaited: on a connection that already failed, end() can wait for an 'end' that has
      // been and gone, and this replica would never try again.
      void discard(client);
      throw err;
    }
    this.failures = 0;
    this.setHealth({ state: 'ok', since: new Date().toISOString() });
    this.startHeartbeat(client);
  }

  private onNotification(msg: pg.Notification): void {
    if (msg.channel !== CHANGE_CHANNEL || !msg.payload) return;
    let payload: ChangePayload;
    try {
      payload = JSON.parse(msg.payload) as ChangePayload;
    } catch {
      this.log.warn({ payload: msg.payload }, 'unreadable knowledge change notification ignored');
      return;
    }
    const known = this.seen.get(payload.s);
    this.seen.set(payload.s, payload.r);
    // This store's own change, or a revision already read: its caller has it.
    if (payload.o === this.origin || known === payload.r) return;
    this.emit('change', { serverId: payload.s, revision: payload.r, action: payload.a, by: payload.b, name: payload.n });
  }

  /**
   * The connection is gone (the listener's, or a pooled one that failed): degraded until the
   * listener is back. `client` null: a pooled connection failed; the listener is dropped too so
   * that the state is checked by connecting again.
   */
  private lost(err: unknown, client: pg.Client | null): void {
    if (this.closed) return;
    if (client && client !== this.listener) return; // a listener already replaced
    const listener = this.listener;
    this.listener = null;
    if (listener) void discard(listener);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (this.currentHealth.state === 'ok') {
      const reason = `database connection lost: ${(err as Error)?.message ?? String(err)}`;
      this.log.warn({ reason }, 'knowledge database unavailable: answering from the knowledge loaded, refusing changes until it is back');
      this.setHealth({ state: 'degraded', reason, since: new Date().toISOString() });
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.connecting) return;
    const { firstMs, maxMs } = this.backoff;
    const delay = Math.min(maxMs, firstMs * 2 ** this.failures) * (0.8 + Math.random() * 0.4);
    this.failures++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connecting = true;
      this.listen(true).then(
        () => {
          this.connecting = false;
          this.log.info('knowledge database reachable again: listening, caught up on missed changes');
        },
        (err: Error) => {
          this.connecting = false;
          this.log.debug({ err: err.message, attempt: this.failures }, 'knowledge database still unreachable');
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  private startHeartbeat(client: pg.Client): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      const timeout = setTimeout(() => this.lost(new Error('heartbeat timed out'), client), this.connectTimeoutMs);
      client.query('SELECT 1').then(
        () => clearTimeout(timeout),
        (err: Error) => {
          clearTimeout(timeout);
          this.lost(err, client);
        },
      );
    }, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private setHealth(health: StoreHealth): void {
    this.currentHealth = health;
    this.emit('health', health);
  }
}

class NothingToRollBack extends Error {}

async function nextRevision(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ r: string }>("SELECT nextval('knowledge_revision_seq') AS r");
  return Number(rows[0].r);
}

/** The server's 'previous' history entries (what rollback can restore), counted in the database. */
async function countPrevious(client: pg.ClientBase, serverId: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM knowledge_history WHERE server_id = $1 AND kind = 'previous'", [serverId]);
  return Number(rows[0].n);
}

async function insertAudit(client: pg.ClientBase, e: AuditEntry): Promise<void> {
  await client.query(
    'INSERT INTO knowledge_audit (server_id, action, by, ok, revision_before, revision_after, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [e.serverId, e.action, e.by, e.ok, e.revisionBefore ?? null, e.revisionAfter ?? null, JSON.stringify(e.detail ?? {})],
  );
}

/** Adds or replaces one article of a server at `revision`; returns its sha256 (hex). */
async function putArticle(client: pg.ClientBase, serverId: string, name: string, content: Buffer, revision: number): Promise<string> {
  const digest = sha256(content);
  await client.query(
    `INSERT INTO knowledge_articles (server_id, name, content, sha256, revision) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (server_id, name) DO UPDATE SET content = EXCLUDED.content, sha256 = EXCLUDED.sha256, revision = EXCLUDED.revision`,
    [serverId, name, content, digest, revision],
  );
  return digest;
}

/**
 * Lets go of a listener connection: its 'end' no longer reports a lost connection, its errors are
 * ignored, and it is ended. Resolves when it has ended (or failed to).
 */
function discard(client: pg.Client): Promise<void> {
  client.removeAllListeners('end');
  client.on('error', () => undefined);
  return client.end().catch(() => undefined);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A failure of the connection rather than of the statement: no SQLSTATE (a socket error, a
 * timeout), or class 08 (connection exception) / 57P (operator intervention: shutdown).
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof StoreConflictError || err instanceof NothingToRollBack) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P');
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE ...
  // pg's own: "Connection terminated unexpectedly", "timeout exceeded when trying to connect",
  // "Client has encountered a connection error and is not queryable".
  return /connection|terminated|timeout|not queryable/i.test(err.message);
}

/** The URL without its password, for logs and messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
