/**
 * The knowledge store of one folder: the knowledge in service, and the refreshes that replace it.
 * Refreshes (load, reload, upload, rollback, watch) run one at a time through a queue; each reads
 * the folder, has the builder check and build the files, and swaps the result in whole, or
 * refuses with the reasons and leaves what is in service untouched. The folder (files, history,
 * atomic writes) and the builder (validation, cache, worker) are their own modules.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { ANTONYMS_PATH, defaultAntonyms, defaultPersonNouns, defaultSynonyms, defaultWordNeighbours, defaultWordVectors, DEFAULT_VECTORS_PATH, PERSON_NOUNS_PATH, SYNONYMS_PATH, WORD_VECTORS_PATH, type Knowledge } from '../engine/index.js';
import type { Logger } from '../log.js';
import { KnowledgeBuilder, type BuildProgress, type BuildResult } from './builder.js';
import { filesKey } from './cache.js';
import { FsKnowledgeFolder } from './folder.js';
import { describeRefusal, refusal, type RefusedFile } from './loader.js';
import { fileNameProblem, isHiddenName, KNOWLEDGE_EXTENSIONS } from './names.js';
import type { FolderChange, KnowledgeFolder, StoredFile } from './storage.js';

export { HISTORY_DIR } from './folder.js';
export type { BuildProgress } from './builder.js';

export interface KnowledgeStatus {
  /** Content hash of the knowledge in service; 'none' when nothing could be loaded. */
  version: string;
  documents: number;
  paragraphs: number;
  speakers: number;
  quotes: number;
  loadedAt: string;
  loadedBy: string;
  /** Files present but refused at the last load, with reasons. */
  refused: RefusedFile[];
  /** How many earlier versions rollback can restore. */
  history: number;
}

export interface RefreshResult {
  ok: boolean;
  action: 'load' | 'reload' | 'upload' | 'rollback' | 'watch';
  by: string;
  before: string;
  after: string;
  /** What was refused and why (the knowledge in service did not change because of it). */
  refused: RefusedFile[];
  message: string;
}

export interface KnowledgeStoreOptions {
  /** A folder on disk, or `folder` for any other storage. */
  dir?: string;
  folder?: KnowledgeFolder;
  logger: Logger;
  /** Where built knowledge is cached; null disables the cache. Default: <cwd>/.cache. */
  cacheDir?: string | null;
  /** Build in a worker thread (default: for large folders). */
  worker?: boolean;
  /** With `dir`: how many replaced versions the history keeps (KNOWLEDGE_HISTORY, default 20). */
  historyLimit?: number;
  /** Open even when no file loads (a server's folder before its first upload); default: throw. */
  allowEmpty?: boolean;
  /** Extra log fields (the server id). */
  logFields?: Record<string, unknown>;
}

/** What a refresh asked by a person may be told while it runs. */
export interface RefreshOptions {
  onProgress?: (progress: BuildProgress) => void;
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** A file name as it can be shown and logged: control characters escaped, at most 80 characters. */
function printableName(name: string): string {
  const escaped = name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped;
}

export type WordDataName = 'neighbours' | 'vectors' | 'antonyms' | 'synonyms' | 'personNouns';
/** The word data files built at install, each with its loader and what its absence costs (said at start-up). */
const WORD_DATA: Record<WordDataName, { path: string; load: () => unknown; missing: string }> = {
  neighbours: { path: DEFAULT_VECTORS_PATH, load: defaultWordNeighbours, missing: 'word vectors not found or unreadable: answering lexically, without paraphrases (run `npm run vectors`)' },
  vectors: { path: WORD_VECTORS_PATH, load: defaultWordVectors, missing: 'quantized word vectors not found or unreadable: answering without meaning-level matching (run `npm run vectors`)' },
  antonyms: { path: ANTONYMS_PATH, load: defaultAntonyms, missing: 'antonym list not found or unreadable: opposites ("largest", "smallest") may pass for paraphrases (run `npm run wordnet`)' },
  synonyms: { path: SYNONYMS_PATH, load: defaultSynonyms, missing: 'synonym list not found or unreadable: answering without WordNet synonyms ("purchase" for "buy") (run `npm run wordnet`)' },
  personNouns: {
    path: PERSON_NOUNS_PATH,
    load: defaultPersonNouns,
    missing: 'person-noun list not found or unreadable: unnamed speakers outside the hand lists ("some cardiologists said") go unattributed (run `npm run wordnet`)',
  },
};
const WORD_DATA_NAMES = Object.keys(WORD_DATA) as WordDataName[];

/**
 * Warns about missing or unreadable word data (data/), once per process at start-up (not per store:
 * a store is opened for every server that loads, again after each eviction). Loads them too, so
 * the first question does not pay for it. Returns what is missing.
 */
export function warnMissingWordData(logger: Logger, load?: Record<WordDataName, () => unknown>): Record<WordDataName, boolean> {
  const log = logger.child({ component: 'knowledge' });
  const missing = Object.fromEntries(WORD_DATA_NAMES.map((name) => [name, !(load?.[name] ?? WORD_DATA[name].load)()])) as Record<WordDataName, boolean>;
  for (const name of WORD_DATA_NAMES) if (missing[name]) log.warn({ path: WORD_DATA[name].path }, WORD_DATA[name].missing);
  return missing;
}

export class KnowledgeStore extends EventEmitter {
  private current: Knowledge | null = null;
  /** Cache key of the files in service (equal keys: nothing to rebuild). */
  private key: string | null = null;
  private bytes = 0;
  private info: Pick<KnowledgeStatus, 'loadedAt' | 'loadedBy' | 'refused' | 'history'> = { loadedAt: '', loadedBy: '', refused: [], history: 0 };
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  readonly folder: KnowledgeFolder;
  private readonly builder: KnowledgeBuilder;
  private readonly log: Logger;
  private readonly allowEmpty: boolean;

  private constructor(opts: KnowledgeStoreOptions) {
    super();
    if (opts.folder) this.folder = opts.folder;
    else if (opts.dir) this.folder = new FsKnowledgeFolder(opts.dir, opts.historyLimit);
    else throw new Error('KnowledgeStore needs a dir or a folder');
    this.log = opts.logger.child({ component: 'knowledge', ...opts.logFields });
    const cacheDir = opts.cacheDir === undefined ? join(process.cwd(), '.cache') : opts.cacheDir;
    this.builder = new KnowledgeBuilder({ cacheDir, logger: this.log, worker: opts.worker });
    this.allowEmpty = opts.allowEmpty ?? false;
  }

  /** Opens the folder and loads it. Throws if no file in it can be loaded (unless allowEmpty). */
  static async open(opts: KnowledgeStoreOptions): Promise<KnowledgeStore> {
    const store = new KnowledgeStore(opts);
    if (store.folder instanceof FsKnowledgeFolder) {
      for (const file of store.folder.removeStrayTempFiles()) store.log.info({ file }, 'removed a temp file left by an interrupted write');
    }
    const result = await store.refresh('load', 'startup');
    if (!result.ok && !opts.allowEmpty) throw new Error(`no knowledge could be loaded from ${store.folder.label}: ${result.message}`);
    return store;
  }

  /** Whether any knowledge is in service (false only for an empty store opened with allowEmpty). */
  get loaded(): boolean {
    return this.current !== null;
  }

  get knowledge(): Knowledge {
    if (!this.current) throw new Error(`no knowledge is loaded from ${this.folder.label}`);
    return this.current;
  }

  /** Memory measure of the knowledge in service: its serialised size in bytes. */
  get memoryBytes(): number {
    return this.bytes;
  }

  status(): KnowledgeStatus {
    const k = this.current;
    return {
      version: k?.version ?? 'none',
      documents: k?.documents.length ?? 0,
      paragraphs: k?.documents.reduce((n, d) => n + d.paragraphs.length, 0) ?? 0,
      speakers: k?.speakers.length ?? 0,
      quotes: k?.quotes.length ?? 0,
      ...this.info,
    };
  }

  /** Re-reads the folder. */
  reload(by: string, options: RefreshOptions = {}): Promise<RefreshResult> {
    return this.refresh('reload', by, options);
  }

  /**
   * Adds or replaces one file: checked and built with the rest of the folder first (a refused
   * file changes nothing), the version it replaces kept in the history, written atomically, then
   * swapped in.
   */
  upload(fileName: string, bytes: Uint8Array, by: string, options: RefreshOptions = {}): Promise<RefreshResult> {
    return this.serial(async () => {
      const { result, audited } = await this.writeUpload(fileName, bytes, by, options);
      return this.inTrail(result, audited);
    });
  }

  /** The upload itself; `audited`: the folder recorded it in its own trail. */
  private async writeUpload(fileName: string, bytes: Uint8Array, by: string, options: RefreshOptions): Promise<{ result: RefreshResult; audited?: boolean }> {
    const before = this.version;
    const refused = (files: RefusedFile[]) => ({ result: this.refusedResult('upload', by, before, files) });
    const name = basename(fileName);
    // The listing's own rule: what an upload writes, a reload reads.
    const badName = fileNameProblem(name);
    if (badName) return refused([{ file: printableName(name), reason: badName }]);
    let listed;
    try {
      listed = await this.folder.list();
    } catch (err) {
      return refused([refusal(err, this.folder.label)]);
    }
    // Build what the folder will be before touching it.
    const next = {
      files: [...listed.files.filter((f) => f.name !== name), { name, bytes }],
      refused: listed.refused.filter((r) => r.file !== name),
    };
    let built: BuildResult;
    try {
      built = await this.builder.build(next, options.onProgress, name);
    } catch (err) {
      return refused([refusal(err, name)]);
    }
    const own = built.refused.filter((r) => r.file === name);
    if (own.length || !built.knowledge) return refused(own.length ? own : built.refused);
    let written: FolderChange;
    try {
      written = await this.folder.write(name, bytes, by);
    } catch (err) {
      return refused([refusal(err, name)]);
    }
    this.recordOwnWrite(name, bytes);
    this.info = { ...this.info, history: written.history };
    return { result: this.swap('upload', by, before, built, next.files), audited: written.audited };
  }

  /**
   * A change refused before it reached the store (an upload refused by its name or size, or
   * because the download was): told, logged and written to the folder's audit trail exactly as
   * the store's own refusals are, in turn with the other refreshes.
   */
  refuseUpload(by: string, refused: RefusedFile[]): Promise<RefreshResult> {
    return this.serial(async () => this.inTrail(this.refusedResult('upload', by, this.version, refused.map((r) => ({ ...r, file: printableName(r.file) })))));
  }

  /** Restores the file the last upload replaced (or removes the file it added). */
  rollback(by: string, options: RefreshOptions = {}): Promise<RefreshResult> {
    return this.serial(async () => {
      const before = this.version;
      let restored;
      try {
        restored = await this.folder.rollback(by);
      } catch (err) {
        return this.inTrail(this.refusedResult('rollback', by, before, [refusal(err, this.folder.label)]));
      }
      if (!restored) return { ok: false, action: 'rollback', by, before, after: before, refused: [], message: 'nothing to roll back: no earlier version is kept' } satisfies RefreshResult;
      if (this.watcher) this.recordOwnWrite(restored.name, await this.folder.read(restored.name));
      const result = this.inTrail(await this.loadFolder('rollback', by, before, options), restored.audited);
      const undone = restored.removed ? `removed ${restored.name}, which the upload rolled back had added` : `restored the previous version of ${restored.name}`;
      return { ...result, message: `${undone}. ${result.message}` };
    });
  }

  /** Reloads when files change on disk (debounced). Returns a function that stops watching. */
  watch(debounceMs = 500): () => void {
    if (!(this.folder instanceof FsKnowledgeFolder)) return () => undefined;
    let timer: NodeJS.Timeout | null = null;
    const changed = new Set<string | null>();
    try {
      this.watcher = watch(this.folder.dir, { recursive: false }, (_event, file) => {
        // The listing's rule: hidden files and other extensions are never knowledge.
        if (file && (isHiddenName(file) || !KNOWLEDGE_EXTENSIONS.test(file))) return;
        changed.add(file);
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void this.onFolderChange([...changed], changed), debounceMs);
      });
    } catch (err) {
      // A folder that does not exist yet (a server before its first upload): reloads still work.
      this.log.debug({ err, dir: this.folder.dir }, 'not watching the knowledge folder');
    }
    return () => {
      if (timer) clearTimeout(timer);
      this.watcher?.close();
      this.watcher = null;
      this.ownWrites.clear();
    };
  }

  private get version(): string {
    return this.current?.version ?? 'none';
  }

  /**
   * What this store last wrote to each file (null: removed), to tell its own writes from edits:
   * kept only while watching, the one reader of it (onFolderChange).
   */
  private readonly ownWrites = new Map<string, Uint8Array | null>();

  private recordOwnWrite(name: string, bytes: Uint8Array | null): void {
    if (this.watcher) this.ownWrites.set(name, bytes);
  }

  /** Is `name` on disk exactly as this store left it? */
  private async isOwnWrite(name: string): Promise<boolean> {
    if (!this.ownWrites.has(name)) return false;
    const wrote = this.ownWrites.get(name)!;
    const now = await this.folder.read(name);
    return wrote === null ? now === null : now !== null && Buffer.from(now).equals(wrote);
  }

  /** Versions rollback can restore, for status(): `counted` when the listing brought it, else from history(). */
  private async countHistory(counted: number | undefined): Promise<void> {
    this.info = { ...this.info, history: counted ?? (await this.folder.history()).filter((e) => e.kind === 'previous').length };
  }

  private async onFolderChange(files: Array<string | null>, pending: Set<string | null>): Promise<void> {
    pending.clear();
    // The echo of this store's own upload or rollback: already built and in service.
    const own = await Promise.all(files.map((f) => (f === null ? false : this.isOwnWrite(f))));
    if (own.every(Boolean)) {
      this.log.debug({ files }, 'folder change is this store\'s own write: nothing to reload');
      return;
    }
    const r = await this.refresh('watch', 'file watcher');
    if (r.before !== r.after || r.refused.length) this.log.info({ event: 'watch', ...r }, 'knowledge folder changed on disk');
  }

  private refresh(action: RefreshResult['action'], by: string, options: RefreshOptions = {}): Promise<RefreshResult> {
    return this.serial(() => this.loadFolder(action, by, this.version, options));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadFolder(action: RefreshResult['action'], by: string, before: string, options: RefreshOptions): Promise<RefreshResult> {
    let listed: Awaited<ReturnType<KnowledgeFolder['list']>>;
    try {
      listed = await this.folder.list();
      await this.countHistory(listed.history);
    } catch (err) {
      return this.refusedResult(action, by, before, [refusal(err, this.folder.label)]);
    }
    if (!listed.files.length && this.allowEmpty && listed.refused.length === 0) return this.empty(action, by, before);
    if (!listed.files.length) {
      return this.refusedResult(action, by, before, listed.refused.length ? listed.refused : [{ file: this.folder.label, reason: 'no .md or .txt knowledge files' }]);
    }
    const key = filesKey(listed.files);
    if (this.current && key === this.key) {
      this.info = { ...this.info, refused: [...listed.refused, ...this.info.refused.filter((r) => !listed.refused.some((l) => l.file === r.file) && listed.files.some((f) => f.name === r.file))] };
      // Asked for by a person: audited even when nothing changed (the watch's no-ops are not).
      if (action !== 'watch' && action !== 'load') this.audit({ ok: true, action, by, before, after: before, refused: this.info.refused }, `knowledge ${action}: no change`);
      return { ok: true, action, by, before, after: before, refused: this.info.refused, message: 'no change: the knowledge is already at this version' };
    }
    let built: BuildResult;
    try {
      built = await this.builder.build(listed, options.onProgress, undefined, key);
    } catch (err) {
      return this.refusedResult(action, by, before, [refusal(err, this.folder.label)]);
    }
    if (!built.knowledge) return this.refusedResult(action, by, before, built.refused);
    return this.swap(action, by, before, built, listed.files);
  }

  private swap(action: RefreshResult['action'], by: string, before: string, built: BuildResult, files: StoredFile[]): RefreshResult {
    this.current = built.knowledge;
    this.key = built.key;
    this.bytes = built.bytes;
    const refused = built.refused;
    const digests = new Map(files.map((f) => [f.name, digest(f.bytes)]));
    const changes = action === 'load' ? '' : this.fileChanges(digests);
    this.digests = digests;
    this.info = { ...this.info, loadedAt: new Date().toISOString(), loadedBy: by, refused };
    const s = this.status();
    const message =
      `version ${s.version}: ${s.documents} document(s), ${s.paragraphs} paragraphs, ${s.speakers} speakers, ${s.quotes} quotes` +
      (refused.length ? `; refused: ${refused.map(describeRefusal).join('; ')}` : '') +
      (changes ? `. Files: ${changes}` : '');
    const result: RefreshResult = { ok: true, action, by, before, after: s.version, refused, message };
    this.audit(result, `knowledge ${action}`);
    this.emit('swap', result);
    return result;
  }

  /** Fingerprints of the files in service, to say what a refresh changed. */
  private digests = new Map<string, string>();

  /** "added a.md; changed b.md; removed c.md": the files `now` (name -> digest) against those in service ('' when none changed). */
  private fileChanges(now: Map<string, string>): string {
    const added = [...now.keys()].filter((n) => !this.digests.has(n));
    const changed = [...now.keys()].filter((n) => this.digests.has(n) && this.digests.get(n) !== now.get(n));
    const removed = [...this.digests.keys()].filter((n) => !now.has(n));
    return [
      added.length ? `added ${added.join(', ')}` : '',
      changed.length ? `changed ${changed.join(', ')}` : '',
      removed.length ? `removed ${removed.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }

  /** A server folder whose last file is gone (its first upload rolled back): nothing of its own. */
  private empty(action: RefreshResult['action'], by: string, before: string): RefreshResult {
    const changed = this.current !== null;
    this.current = null;
    this.key = null;
    this.bytes = 0;
    this.digests = new Map();
    this.info = { ...this.info, loadedAt: new Date().toISOString(), loadedBy: by, refused: [] };
    const result: RefreshResult = { ok: true, action, by, before, after: 'none', refused: [], message: 'no knowledge files of its own: the bundled default answers here' };
    if (changed || action !== 'load') this.audit(result, `knowledge ${action}: empty`);
    if (changed) this.emit('swap', result);
    return result;
  }

  private refusedResult(action: RefreshResult['action'], by: string, before: string, refused: RefusedFile[]): RefreshResult {
    const message = `refused: ${refused.map(describeRefusal).join('; ')}. The knowledge in service is unchanged${this.current ? ` (version ${before})` : ''}.`;
    if (!this.current) this.info = { ...this.info, refused };
    this.audit({ ok: false, action, by, before, after: before, refused }, `knowledge ${action} refused`);
    return { ok: false, action, by, before, after: before, refused, message };
  }

  /** The audit record in the log: every refresh a person asked for, every change and every refusal. */
  private audit(r: Omit<RefreshResult, 'message'>, msg: string): void {
    const { ok, action, by, before, after, refused } = r;
    this.log[ok ? 'info' : 'warn']({ audit: true, action, by, before, after, refused }, msg);
  }

  /**
   * The refreshes that write to the folder (upload, rollback) are also recorded in the folder's own
   * trail (a reload never writes into a folder it only reads). A change the folder recorded itself
   * (`audited`: a database, in the change's transaction, naming the moderator) is not recorded
   * twice; a refusal always is.
   */
  private inTrail(r: RefreshResult, audited = false): RefreshResult {
    const { ok, action, by, before, after, refused } = r;
    if (!ok || !audited) {
      this.folder.audit({ at: new Date().toISOString(), action, by, ok, before, after, refused }).catch((err: unknown) => this.log.warn({ err }, 'could not append to the audit trail'));
    }
    return r;
  }
}
