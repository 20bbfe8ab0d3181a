/**
 * A knowledge folder on disk: the article files, their history in `.history/`, and the audit
 * trail. Every write goes through writeFileAtomic; every version an upload replaces is kept
 * first, so rollback can restore it.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { TEMP_FILE, writeFileAtomic } from './atomic-write.js';
import type { RefusedFile } from './loader.js';
import type { AuditRecord, HistoryEntry, KnowledgeFolder, StoredFile } from './storage.js';
import { KNOWLEDGE_EXTENSIONS } from './validate.js';

export const HISTORY_DIR = '.history';
const AUDIT_FILE = 'audit.jsonl';
/** History file names: `<ms>-<seq>-<name>` (previous content) or `...<name>.absent` (file was new). */
const HISTORY_ENTRY = /^(\d{13})-(\d{4})-(.+)$/;

export class FsKnowledgeFolder implements KnowledgeFolder {
  readonly label: string;
  private historySeq = 0;

  constructor(readonly dir: string) {
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
        if (entry.name.startsWith('.')) continue; // .history, editor temp files
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && KNOWLEDGE_EXTENSIONS.test(entry.name)) {
          const name = relative(this.dir, full).split('\\').join('/');
          try {
            files.push({ name, bytes: readFileSync(full) });
          } catch (err) {
            refused.push({ file: name, reason: `could not be read: ${(err as Error).message}` });
          }
        }
      }
    };
    walk(this.dir);
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { files, refused };
  }

  async read(name: string): Promise<Uint8Array | null> {
    const target = join(this.dir, name);
    return existsSync(target) ? readFileSync(target) : null;
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    const saved = this.keep(name);
    try {
      writeFileAtomic(join(this.dir, name), bytes);
    } catch (err) {
      unlinkSync(saved); // nothing was replaced: nothing to roll back
      throw err;
    }
  }

  async rollback(): Promise<{ name: string; removed: boolean } | null> {
    // An entry identical to the file in place (a crash between keeping the history and writing
    // the file) restores nothing: drop it and go one further back.
    let entry = this.entries().pop();
    while (entry && this.sameAsCurrent(entry)) {
      unlinkSync(this.historyPath(entry.id));
      entry = this.entries().pop();
    }
    if (!entry) return null;
    const target = join(this.dir, entry.name);
    if (entry.absent) {
      if (existsSync(target)) unlinkSync(target);
    } else {
      writeFileAtomic(target, readFileSync(this.historyPath(entry.id)));
    }
    unlinkSync(this.historyPath(entry.id));
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

  private historyPath(id: string): string {
    return join(this.dir, HISTORY_DIR, id);
  }

  /** History entries, oldest first. */
  private entries(): HistoryEntry[] {
    const dir = join(this.dir, HISTORY_DIR);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => HISTORY_ENTRY.test(f) && !f.endsWith('.tmp'))
      .sort()
      .map((id) => {
        const [, ms, , rest] = HISTORY_ENTRY.exec(id)!;
        const absent = rest.endsWith('.absent');
        return { id, name: absent ? rest.slice(0, -'.absent'.length) : rest, savedAt: new Date(Number(ms)).toISOString(), kind: 'previous', absent };
      });
  }

  private sameAsCurrent(entry: HistoryEntry): boolean {
    const target = join(this.dir, entry.name);
    if (entry.absent) return !existsSync(target);
    return existsSync(target) && readFileSync(target).equals(readFileSync(this.historyPath(entry.id)));
  }

  /** Keeps the version of `name` about to be replaced; returns the history file written. */
  private keep(name: string): string {
    const stamp = `${Date.now()}-${String(this.historySeq++ % 10000).padStart(4, '0')}`;
    const current = join(this.dir, name);
    const absent = !existsSync(current);
    const entry = this.historyPath(`${stamp}-${name}${absent ? '.absent' : ''}`);
    writeFileAtomic(entry, absent ? new Uint8Array() : readFileSync(current));
    return entry;
  }
}
