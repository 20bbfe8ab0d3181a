/**
 * A server's knowledge files in PostgreSQL, with the same contract as a folder on disk (list,
 * read, write with history, rollback, history, audit), so the knowledge store builds and swaps
 * them exactly as it does a folder. Writes are transactions of PostgresKnowledgeStore; a write
 * based on files that another replica changed meanwhile is refused rather than lost.
 */
import type { PostgresKnowledgeStore } from './postgres-store.js';

/** A refresh as the audit trail records it (the store's own record). */
export interface FolderAuditRecord {
  at: string;
  action: string;
  by: string;
  ok: boolean;
  before: string;
  after: string;
  refused: Array<{ file: string; line?: number; reason: string }>;
}

export class PostgresKnowledgeFolder {
  readonly label: string;
  /** The revision the last list() saw: a write on top of it must find it unchanged. */
  private listedRevision: number | undefined;

  constructor(
    private readonly db: PostgresKnowledgeStore,
    readonly serverId: string,
  ) {
    this.label = `postgres:${serverId}`;
  }

  async list(): Promise<{ files: Array<{ name: string; bytes: Uint8Array }>; refused: [] }> {
    const snapshot = await this.db.read(this.serverId);
    this.listedRevision = snapshot.revision;
    return { files: snapshot.files, refused: [] };
  }

  read(name: string): Promise<Uint8Array | null> {
    return this.db.readFile(this.serverId, name);
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    // by: the audit record of the store (audit()) names the moderator; this row names the replica's action.
    const change = await this.db.upload(this.serverId, name, bytes, 'knowledge store', this.listedRevision);
    this.listedRevision = change.revision;
  }

  async rollback(): Promise<{ name: string; removed: boolean } | null> {
    const change = await this.db.rollback(this.serverId, 'knowledge store');
    if (!change) return null;
    this.listedRevision = change.revision;
    return { name: change.name!, removed: (await this.db.readFile(this.serverId, change.name!)) === null };
  }

  history(): ReturnType<PostgresKnowledgeStore['history']> {
    return this.db.history(this.serverId);
  }

  audit(record: FolderAuditRecord): Promise<void> {
    return this.db.audit({ serverId: this.serverId, action: record.action, by: record.by, ok: record.ok, detail: { at: record.at, before: record.before, after: record.after, refused: record.refused } });
  }
}
