/**
 * A server's knowledge files in PostgreSQL, with the same contract as a folder on disk (list,
 * read, write with history, rollback, history, audit), so the knowledge store builds and swaps
 * them exactly as it does a folder. Writes are transactions of PostgresKnowledgeStore; a write
 * based on files that another replica changed meanwhile is refused rather than lost.
 */
import type { Logger } from '../log.js';
import { StoreUnavailableError, type KnowledgeChange, type PostgresKnowledgeStore } from './postgres-store.js';
import { checkServerId } from './names.js';
import type { AuditRecord, FolderChange, HistoryEntry, KnowledgeFolder, KnowledgeStorage, StoredFile } from './storage.js';

/** Every server's knowledge in one database. */
export class PostgresKnowledgeStorage implements KnowledgeStorage {
  constructor(readonly db: PostgresKnowledgeStore) {}

  folder(serverId: string): PostgresKnowledgeFolder {
    // A Discord id: what a server's key is (the same rule as the folders under SERVERS_DIR).
    return new PostgresKnowledgeFolder(this.db, checkServerId(serverId));
  }

  servers(): Promise<string[]> {
    return this.db.servers();
  }
}

export class PostgresKnowledgeFolder implements KnowledgeFolder {
  readonly label: string;
  unreachable: Error | null = null;
  /** The revision the last list() saw: a write on top of it must find it unchanged. */
  private listedRevision: number | undefined;

  constructor(
    private readonly db: PostgresKnowledgeStore,
    readonly serverId: string,
  ) {
    this.label = `postgres:${serverId}`;
  }

  async list(): Promise<{ files: StoredFile[]; refused: []; history: number }> {
    let snapshot;
    try {
      snapshot = await this.db.read(this.serverId);
    } catch (err) {
      if (err instanceof StoreUnavailableError) this.unreachable = err;
      throw err;
    }
    this.unreachable = null;
    this.listedRevision = snapshot.revision;
    return { files: snapshot.files, refused: [], history: snapshot.history };
  }

  read(name: string): Promise<Uint8Array | null> {
    return this.db.readFile(this.serverId, name);
  }

  /** The change's own audit row (in its transaction) names `by`; bytes already in place change nothing and audit nothing. */
  async write(name: string, bytes: Uint8Array, by: string): Promise<FolderChange> {
    const change = await this.db.upload(this.serverId, name, bytes, by, this.listedRevision);
    this.listedRevision = change.revision;
    return { audited: change.changed, history: change.history };
  }

  async rollback(by: string): Promise<{ name: string; removed: boolean; audited: boolean } | null> {
    const change = await this.db.rollback(this.serverId, by);
    if (!change) return null;
    this.listedRevision = change.revision;
    return { name: change.name!, removed: change.removed, audited: true };
  }

  history(): Promise<HistoryEntry[]> {
    return this.db.history(this.serverId);
  }

  audit(record: AuditRecord): Promise<void> {
    return this.db.audit({ serverId: this.serverId, action: record.action, by: record.by, ok: record.ok, detail: { at: record.at, before: record.before, after: record.after, refused: record.refused } });
  }
}

/**
 * Keeps `servers` in step with the database: every change another replica commits (announced by
 * NOTIFY, or found when catching up after a reconnect) reloads that server's knowledge here.
 */
export function followDatabaseChanges(db: PostgresKnowledgeStore, servers: { changedElsewhere(serverId: string, by: string): Promise<void> }, logger: Logger): () => void {
  const log = logger.child({ component: 'knowledge-db' });
  const onChange = (change: KnowledgeChange): void => {
    const by = change.action === 'catch-up' ? 'database catch-up' : `${change.action} on another replica`;
    servers.changedElsewhere(change.serverId, by).then(
      () => log.info({ serverId: change.serverId, revision: change.revision, action: change.action }, 'server knowledge changed elsewhere: swapped in here'),
      (err: unknown) => log.error({ err, serverId: change.serverId }, 'could not reload a server changed elsewhere'),
    );
  };
  db.on('change', onChange);
  return () => db.off('change', onChange);
}
