/**
 * A knowledge folder on disk: the article files, their history in `.history/`, and the audit
 * trail. Every write goes through writeFileAtomic; every version an upload replaces is kept
 * first, so rollback can restore it.
 *
 * Links are never followed: a symbolic link in the folder could point anywhere on the machine,
 * and whatever the knowledge holds is quoted publicly. Entries are read with lstat semantics and
 * files opened with O_NOFOLLOW; a link is refused by name (it shows in /knowledge status), and
 * the history holds content only, never a link or what it points to.
 */
import { appendFileSync, closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { TEMP_FILE, writeFileAtomic } from './atomic-write.js';
import type { AuditRecord, FolderChange, HistoryEntry, KnowledgeFolder, StoredFile, RefusedFile } from './storage.js';
import { fileNameProblem, isHiddenName, KNOWLEDGE_EXTENSIONS } from './names.js';

export const HISTORY_DIR = '.history';
const AUDIT_FILE = 'audit.jsonl';
/**
 * History file names: `<ms>-<seq>-<name>` (what an upload replaced), `...<name>.absent` (the upload
 * added the file) or `...<name>.kept` (what a rollback replaced; never restored by rollback).
 */
const HISTORY_ENTRY = /^(\d{13})-(\d{4})-(.+)$/;
export const DEFAULT_HISTORY_LIMIT = 20;
const LINK_REFUSED = 'a symbolic link: links are not followed, put the file itself in the folder';

/** The bytes of a regular file at `path`; null when there is none; throws for a link or a folder. */
function readRegularFile(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new Error(LINK_REFUSED);
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Is there anything at `path`, a dangling link included? */
function occupied(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export class FsKnowledgeFolder implements KnowledgeFolder {
  readonly label: string;
  private historySeq = 0;

  /** `historyLimit`: how many versions `.history/` keeps (KNOWLEDGE_HISTORY); the oldest go first. */
  constructor(
    readonly dir: string,
    private readonly historyLimit = DEFAULT_HISTORY_LIMIT,
  ) {
    this.label = dir;
  }

  async list(): Promise<{ files: StoredFile[]; refused: RefusedFile[] }> {
    return this.listSync();
  }

  /** The same as list(), for callers that cannot wait (the CLI, the eval scripts). */
  listSync(): { files: StoredFile[]; refused: RefusedFile[] } {
    const files: StoredFile[] = [];
    const refused: RefusedFile[] = [];
    if (!existsSync(this.dir)) return { files, refused };
    // A single file stands for a folder holding just it (the CLI's --knowledge FILE).
    if (statSync(this.dir).isFile()) return { files: [{ name: basename(this.dir), bytes: readFileSync(this.dir) }], refused };
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (isHiddenName(entry.name)) continue; // .history, editor temp files
        const full = join(dir, entry.name);
        const name = relative(this.dir, full).split('\\').join('/');
        // Other files are not knowledge (a README.json); a knowledge file with an odd name is refused.
        const problem = entry.isFile() && KNOWLEDGE_EXTENSIONS.test(entry.name) ? fileNameProblem(entry.name) : null;
        if (problem) {
          refused.push({ file: name, reason: problem });
          continue;
        }
        // Dirent types come from the directory itself: a link is a link, whatever it points to.
        if (entry.isSymbolicLink()) refused.push({ file: name, reason: LINK_REFUSED });
        else if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && KNOWLEDGE_EXTENSIONS.test(entry.name)) {
          try {
            const bytes = readRegularFile(full);
            if (bytes) files.push({ name, bytes });
          } catch (err) {
            refused.push({ file: name, reason: (err as Error).message === LINK_REFUSED ? LINK_REFUSED : `could not be read: ${(err as Error).message}` });
          }
        }
      }
    };
    walk(this.dir);
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { files, refused };
  }

  async read(name: string): Promise<Uint8Array | null> {
    return this.readOrNull(join(this.dir, name)); // a link or a folder is no knowledge file
  }

  /** The audit trail is the store's to write (audit()): `by` is not needed here. */
  async write(name: string, bytes: Uint8Array): Promise<FolderChange> {
    const saved = this.keep(name, 'previous');
    try {
      writeFileAtomic(join(this.dir, name), bytes);
    } catch (err) {
      unlinkSync(saved); // nothing was replaced: nothing to roll back
      throw err;
    }
    return { history: this.pruneHistory().filter((e) => e.kind === 'previous').length };
  }

  async rollback(): Promise<{ name: string; removed: boolean } | null> {
    // An entry identical to the file in place (a crash between keeping the history and writing
    // the file) restores nothing: drop it and go one further back.
    const previous = () => this.entries().filter((e) => e.kind === 'previous');
    let entry = previous().pop();
    while (entry && this.sameAsCurrent(entry)) {
      unlinkSync(this.historyPath(entry.id));
      entry = previous().pop();
    }
    if (!entry) return null;
    const target = join(this.dir, entry.name);
    // What is in place may be a hand edit that exists nowhere else: keep it before replacing it.
    const kept = this.keep(entry.name, 'kept');
    try {
      if (entry.absent) {
        if (occupied(target)) unlinkSync(target);
      } else {
        writeFileAtomic(target, readRegularFile(this.historyPath(entry.id)) ?? new Uint8Array());
      }
    } catch (err) {
      if (kept) unlinkSync(kept);
      throw err;
    }
    unlinkSync(this.historyPath(entry.id));
    this.pruneHistory();
    return { name: entry.name, removed: entry.absent };
  }

  async history(): Promise<HistoryEntry[]> {
    return this.entries();
  }

  async audit(record: AuditRecord): Promise<void> {
    mkdirSync(join(this.dir, HISTORY_DIR), { recursive: true });
    appendFileSync(join(this.dir, HISTORY_DIR, AUDIT_FILE), `${JSON.stringify(record)}\n`);
  }

  /** Deletes temp files a process killed mid-write left behind; returns their paths. */
  removeStrayTempFiles(): string[] {
    const removed: string[] = [];
    for (const dir of [this.dir, join(this.dir, HISTORY_DIR)]) {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).filter((x) => TEMP_FILE.test(x))) {
        try {
          unlinkSync(join(dir, f));
          removed.push(join(dir, f));
        } catch {
          // gone already, or not ours to remove: harmless either way
        }
      }
    }
    return removed;
  }

  /** Drops the oldest versions beyond the limit; returns the entries kept, oldest first. */
  private pruneHistory(): HistoryEntry[] {
    const entries = this.entries();
    const excess = Math.max(0, entries.length - this.historyLimit);
    for (const old of entries.slice(0, excess)) {
      try {
        unlinkSync(this.historyPath(old.id));
      } catch {
        // removed by another process already
      }
    }
    return entries.slice(excess);
  }

  private historyPath(id: string): string {
    return join(this.dir, HISTORY_DIR, id);
  }

  /** History entries, oldest first. */
  private entries(): HistoryEntry[] {
    const dir = join(this.dir, HISTORY_DIR);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      // Only regular files: a link planted in the history is never restored.
      .filter((e) => e.isFile() && HISTORY_ENTRY.test(e.name) && !e.name.endsWith('.tmp'))
      .map((e) => e.name)
      .sort()
      .map((id) => {
        const [, ms, , rest] = HISTORY_ENTRY.exec(id)!;
        const suffix = /\.(absent|kept)$/.exec(rest)?.[1];
        const name = suffix ? rest.slice(0, -suffix.length - 1) : rest;
        return { id, name, savedAt: new Date(Number(ms)).toISOString(), kind: suffix === 'kept' ? 'kept' : 'previous', absent: suffix === 'absent' };
      });
  }

  private sameAsCurrent(entry: HistoryEntry): boolean {
    const target = join(this.dir, entry.name);
    if (entry.absent) return !occupied(target);
    const current = this.readOrNull(target);
    return current !== null && current.equals(readRegularFile(this.historyPath(entry.id)) ?? Buffer.alloc(0));
  }

  /** The regular file at `path`, or null (absent, a link, a folder). */
  private readOrNull(path: string): Buffer | null {
    try {
      return readRegularFile(path);
    } catch {
      return null;
    }
  }

  /**
   * Keeps the version of `name` about to be replaced and returns the history file written: as
   * 'previous' (an upload's, rollback restores it) or 'kept' (a rollback's; null when there is no
   * file to keep).
   */
  private keep(name: string, kind: 'previous'): string;
  private keep(name: string, kind: 'kept'): string | null;
  private keep(name: string, kind: HistoryEntry['kind']): string | null {
    const stamp = `${Date.now()}-${String(this.historySeq++ % 10000).padStart(4, '0')}`;
    // A link in the file's place is kept as "absent": its target is not the folder's to copy.
    const current = this.readOrNull(join(this.dir, name));
    if (kind === 'kept' && !current) return null;
    const suffix = kind === 'kept' ? '.kept' : current ? '' : '.absent';
    const entry = this.historyPath(`${stamp}-${name}${suffix}`);
    writeFileAtomic(entry, current ?? new Uint8Array());
    return entry;
  }
}
