/**
 * Where a server's knowledge files live. The store (queue, build, swap) reads and writes through
 * this interface only, so the files can sit in a folder on disk (src/knowledge/folder.ts) or in a
 * database, one implementation per backend. Every method may be called from one store at a time
 * per server: the store serialises its refreshes.
 */

/** One knowledge file as stored: its name (`article.md`, or `sub/article.md` in a folder) and bytes. */
export interface StoredFile {
  name: string;
  bytes: Uint8Array;
}

/** A kept version of a file. */
export interface HistoryEntry {
  /** Opaque id, unique within the folder; entries sort oldest first by it. */
  id: string;
  name: string;
  savedAt: string;
  /**
   * 'previous': what an upload replaced, restored by rollback (newest first); `absent` means the
   *   upload added the file, so rollback removes it.
   * 'kept': what a rollback replaced or removed (a hand edit, say): never restored by rollback,
   *   kept so nothing is lost.
   */
  kind: 'previous' | 'kept';
  absent: boolean;
}

/** One refresh, as the audit trail records it. */
export interface AuditRecord {
  at: string;
  action: string;
  by: string;
  ok: boolean;
  before: string;
  after: string;
  refused: RefusedFile[];
}

/** The knowledge files of one server (or of the bundled default). */
export interface KnowledgeFolder {
  /** Names the folder in logs and messages (a path, or `postgres:<server>`). */
  readonly label: string;
  /**
   * Why the last list() failed when the storage itself could not be reached (a database that is
   * down), null after a list() that worked. Such a folder is not empty, only unreadable for now.
   */
  readonly unreachable?: Error | null;
  /**
   * Every knowledge file, and the entries refused before reading (links, odd names) with the reason.
   * `history`: how many 'previous' entries history() holds, when the storage counts them with the
   * listing (a database, in the same snapshot); without it the store counts history() itself.
   */
  list(): Promise<{ files: StoredFile[]; refused: RefusedFile[]; history?: number }>;
  /** One file's bytes, or null when there is no such (regular) file. */
  read(name: string): Promise<Uint8Array | null>;
  /**
   * Adds or replaces `name` atomically (the old bytes or the new, never a mix), after keeping the
   * version it replaces as a 'previous' history entry. Throws FileWriteError (nothing changed).
   * `by`: who asked (the moderator), for a folder that audits its own changes.
   */
  write(name: string, bytes: Uint8Array, by: string): Promise<FolderChange>;
  /**
   * Restores the newest 'previous' entry that differs from what is in place (keeping what it
   * replaces as 'kept'); returns the file it restored, or null when there is nothing to restore.
   */
  rollback(by: string): Promise<({ name: string; removed: boolean } & Pick<FolderChange, 'audited'>) | null>;
  /** Kept versions, oldest first. */
  history(): Promise<HistoryEntry[]>;
  /** Appends to the audit trail (best effort: a failure is logged by the caller, never fatal). */
  audit(record: AuditRecord): Promise<void>;
}

/** What a write (or rollback) did, beyond changing the file. */
export interface FolderChange {
  /** True when the folder recorded the change in its own audit trail, naming `by` (a database, in the change's transaction): the store does not record it again. */
  audited?: boolean;
  /** How many 'previous' entries history() holds after the change (what rollback can restore). */
  history: number;
}

/** Every server's knowledge folder. */
export interface KnowledgeStorage {
  /** The folder of `serverId` (it need not exist yet: the first write creates it). */
  folder(serverId: string): KnowledgeFolder;
  /** Servers that have knowledge of their own. */
  servers(): Promise<string[]>;
}

/** A file the knowledge does not take, and why (with the line, where it helps). */
export interface RefusedFile {
  file: string;
  line?: number;
  reason: string;
}
