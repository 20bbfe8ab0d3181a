/**
 * The knowledge store: the folder of article files the bot answers from, and the knowledge built
 * from it. It validates, versions (content hash), keeps a history of replaced files, writes
 * atomically, rebuilds off the main thread and swaps the new knowledge in whole. Refreshes run
 * one at a time; a refused file never changes what is in service.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildKnowledge, contentHash, type Knowledge } from '../engine/build.js';
import type { SourceDoc } from '../engine/types.js';
import type { Logger } from '../log.js';
import { readCachedKnowledge, writeCachedKnowledge } from './cache.js';
import { FsKnowledgeFolder } from './folder.js';
import { describeRefusal, refusal, validateFiles, type RefusedFile } from './loader.js';
import { fileNameProblem } from './names.js';
import type { KnowledgeFolder } from './storage.js';
import { validateKnowledgeFile } from './validate.js';
import { defaultWordNeighbours } from '../engine/answer.js';
import { DEFAULT_VECTORS_PATH } from '../engine/vectors.js';

export { HISTORY_DIR } from './folder.js';
/** Below this many characters a build is quick enough to run on the main thread. */
const WORKER_THRESHOLD_CHARS = 200_000;

export interface KnowledgeStatus {
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
  /** Where built knowledge is cached; null disables the cache. Default: <package>/.cache. */
  cacheDir?: string | null;
  /** Build in a worker thread (default: for large folders). */
  worker?: boolean;
  /** With `dir`: how many replaced versions the history keeps (KNOWLEDGE_HISTORY, default 20). */
  historyLimit?: number;
}

/** Starts the build worker: compiled JS directly; from TypeScript sources (tsx), through tsx's loader. */
function startBuildWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./build-worker.js', import.meta.url));
  const url = new URL('./build-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`, { eval: true });
}

/** Builds (and caches, when `cacheDir` is set) in a worker thread. */
function buildInWorker(sources: SourceDoc[], cacheDir: string | null): Promise<{ knowledge: Knowledge; cacheError?: string }> {
  return new Promise((resolve, reject) => {
    const worker = startBuildWorker();
    worker.once('message', (msg: { knowledge?: Knowledge; cacheError?: string; error?: string }) => {
      void worker.terminate();
      if (msg.knowledge) resolve({ knowledge: msg.knowledge, cacheError: msg.cacheError });
      else reject(new Error(msg.error ?? 'build failed'));
    });
    worker.once('error', reject);
    worker.postMessage({ sources, cacheDir });
  });
}

/** A file name as it can be shown and logged: control characters escaped, at most 80 characters. */
function printableName(name: string): string {
  const escaped = name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped;
}

export class KnowledgeStore extends EventEmitter {
  private current!: Knowledge;
  private info!: Pick<KnowledgeStatus, 'loadedAt' | 'loadedBy' | 'refused' | 'history'>;
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  readonly folder: KnowledgeFolder;
  private readonly log: Logger;
  private readonly cacheDir: string | null;
  private readonly worker: boolean | undefined;

  private constructor(opts: KnowledgeStoreOptions) {
    super();
    if (opts.folder) this.folder = opts.folder;
    else if (opts.dir) this.folder = new FsKnowledgeFolder(opts.dir, opts.historyLimit);
    else throw new Error('KnowledgeStore needs a dir or a folder');
    this.log = opts.logger.child({ component: 'knowledge' });
    this.cacheDir = opts.cacheDir === undefined ? join(process.cwd(), '.cache') : opts.cacheDir;
    this.worker = opts.worker;
  }

  /** Opens the folder and loads it. Throws if no file in it can be loaded. */
  static async open(opts: KnowledgeStoreOptions): Promise<KnowledgeStore> {
    const store = new KnowledgeStore(opts);
    if (store.folder instanceof FsKnowledgeFolder) {
      for (const file of store.folder.removeStrayTempFiles()) store.log.info({ file }, 'removed a temp file left by an interrupted write');
    }
    if (!defaultWordNeighbours()) {
      store.log.warn({ path: DEFAULT_VECTORS_PATH }, 'word vectors not found or unreadable: answering lexically, without paraphrases (run `npm run vectors`)');
    }
    const result = await store.refresh('load', 'startup');
    if (!result.ok) throw new Error(`no knowledge could be loaded from ${store.folder.label}: ${result.message}`);
    return store;
  }

  get knowledge(): Knowledge {
    return this.current;
  }

  status(): KnowledgeStatus {
    const k = this.current;
    // history is counted at each refresh: status() stays synchronous and cheap.
    return {
      version: k.version,
      documents: k.documents.length,
      paragraphs: k.documents.reduce((n, d) => n + d.paragraphs.length, 0),
      speakers: k.speakers.length,
      quotes: k.quotes.length,
      ...this.info,
    };
  }

  /** Re-reads the folder. */
  reload(by: string): Promise<RefreshResult> {
    return this.refresh('reload', by);
  }

  /**
   * Adds or replaces one file: validated first (refused files change nothing), the previous
   * version kept in the history, written atomically, then rebuilt and swapped in.
   */
  upload(fileName: string, bytes: Uint8Array, by: string): Promise<RefreshResult> {
    return this.serial(async () => {
      const before = this.current.version;
      const name = basename(fileName);
      // The loader's own rule: what an upload writes, a reload reads.
      const badName = fileNameProblem(name);
      if (badName) return this.refusedResult('upload', by, before, [{ file: printableName(name), reason: badName }]);
      let doc: SourceDoc;
      try {
        doc = validateKnowledgeFile(name, bytes);
      } catch (err) {
        return this.refusedResult('upload', by, before, [refusal(err, name)]);
      }
      // Build what the folder will be before touching the disk: a file that breaks the build is refused.
      const { sources } = validateFiles(await this.folder.list());
      const next = [...sources.filter((s) => s.name !== name), doc];
      let knowledge: Knowledge;
      try {
        knowledge = await this.build(next);
      } catch (err) {
        return this.refusedResult('upload', by, before, [refusal(err, name)]);
      }
      try {
        await this.folder.write(name, bytes);
      } catch (err) {
        return this.refusedResult('upload', by, before, [refusal(err, name)]);
      }
      this.recordOwnWrite(name, bytes);
      await this.countHistory();
      return this.swap('upload', by, before, knowledge, []);
    });
  }

  /** Restores the file the last upload replaced (or removes the file it added). */
  rollback(by: string): Promise<RefreshResult> {
    return this.serial(async () => {
      const before = this.current.version;
      let restored;
      try {
        restored = await this.folder.rollback();
      } catch (err) {
        return this.refusedResult('rollback', by, before, [refusal(err, this.folder.label)]);
      }
      if (!restored) return { ok: false, action: 'rollback', by, before, after: before, refused: [], message: 'nothing to roll back: no earlier version is kept' } satisfies RefreshResult;
      this.recordOwnWrite(restored.name, await this.folder.read(restored.name));
      const result = await this.loadFolder('rollback', by, before);
      return { ...result, message: `restored the previous version of ${restored.name}. ${result.message}` };
    });
  }

  /** What this store last wrote to each file (null: removed), to tell its own writes from edits. */
  private readonly ownWrites = new Map<string, Uint8Array | null>();

  private recordOwnWrite(name: string, bytes: Uint8Array | null): void {
    this.ownWrites.set(name, bytes);
  }

  /** Is `name` on disk exactly as this store left it? */
  private async isOwnWrite(name: string): Promise<boolean> {
    if (!this.ownWrites.has(name)) return false;
    const wrote = this.ownWrites.get(name)!;
    const now = await this.folder.read(name);
    return wrote === null ? now === null : now !== null && Buffer.from(now).equals(wrote);
  }

  /** Reloads when files change on disk (debounced). Returns a function that stops watching. */
  watch(debounceMs = 500): () => void {
    if (!(this.folder instanceof FsKnowledgeFolder)) return () => undefined;
    let timer: NodeJS.Timeout | null = null;
    const changed = new Set<string | null>();
    this.watcher = watch(this.folder.dir, { recursive: false }, (_event, file) => {
      if (file && (file.startsWith('.') || !/\.(md|txt)$/i.test(file))) return;
      changed.add(file);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void this.onFolderChange([...changed], changed), debounceMs);
    });
    return () => {
      if (timer) clearTimeout(timer);
      this.watcher?.close();
      this.watcher = null;
    };
  }

  /** Versions rollback can restore, for status(). */
  private async countHistory(): Promise<void> {
    this.info = { ...this.info, history: (await this.folder.history()).filter((e) => e.kind === 'previous').length };
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

  private refresh(action: RefreshResult['action'], by: string): Promise<RefreshResult> {
    return this.serial(() => this.loadFolder(action, by, this.current?.version ?? 'none'));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadFolder(action: RefreshResult['action'], by: string, before: string): Promise<RefreshResult> {
    let loaded;
    try {
      loaded = validateFiles(await this.folder.list());
      await this.countHistory();
    } catch (err) {
      return this.refusedResult(action, by, before, [refusal(err, this.folder.label)]);
    }
    const { sources, refused } = loaded;
    if (!sources.length) {
      return this.refusedResult(action, by, before, refused.length ? refused : [{ file: this.folder.label, reason: 'no .md or .txt knowledge files' }]);
    }
    if (this.current && contentHash(sources) === this.current.version) {
      this.info = { ...this.info, refused };
      // Asked for by a person: audited even when nothing changed (the watch's no-ops are not).
      if (action !== 'watch' && action !== 'load') this.log.info({ audit: true, action, by, before, after: before, refused }, `knowledge ${action}: no change`);
      return { ok: true, action, by, before, after: before, refused, message: 'no change: the knowledge is already at this version' };
    }
    let knowledge: Knowledge;
    try {
      knowledge = await this.build(sources);
    } catch (err) {
      return this.refusedResult(action, by, before, [refusal(err, this.folder.label)]);
    }
    return this.swap(action, by, before, knowledge, refused);
  }

  private async build(sources: SourceDoc[]): Promise<Knowledge> {
    const version = contentHash(sources);
    const cached = this.cacheDir ? readCachedKnowledge(this.cacheDir, version) : null;
    if (cached) {
      this.log.debug({ version }, 'knowledge loaded from cache');
      return cached;
    }
    const started = performance.now();
    const size = sources.reduce((n, s) => n + s.text.length, 0);
    const useWorker = this.worker ?? size > WORKER_THRESHOLD_CHARS;
    let knowledge: Knowledge;
    let cacheError: unknown;
    if (useWorker) {
      ({ knowledge, cacheError } = await buildInWorker(sources, this.cacheDir));
    } else {
      knowledge = buildKnowledge(sources);
      if (this.cacheDir) {
        try {
          writeCachedKnowledge(this.cacheDir, knowledge);
        } catch (err) {
          cacheError = err;
        }
      }
    }
    this.log.info({ version, documents: sources.length, chars: size, worker: useWorker, ms: Math.round(performance.now() - started) }, 'knowledge built');
    if (cacheError) this.log.warn({ err: cacheError, cacheDir: this.cacheDir }, 'could not write the knowledge cache; continuing without it');
    return knowledge;
  }

  private swap(action: RefreshResult['action'], by: string, before: string, knowledge: Knowledge, refused: RefusedFile[]): RefreshResult {
    this.current = knowledge;
    this.info = { ...this.info, loadedAt: new Date().toISOString(), loadedBy: by, refused };
    const s = this.status();
    const message =
      `version ${s.version}: ${s.documents} document(s), ${s.paragraphs} paragraphs, ${s.speakers} speakers, ${s.quotes} quotes` +
      (refused.length ? `; refused: ${refused.map(describeRefusal).join('; ')}` : '');
    const result: RefreshResult = { ok: true, action, by, before, after: s.version, refused, message };
    this.log.info({ audit: true, action, by, before, after: s.version, refused }, `knowledge ${action}`);
    this.emit('swap', result);
    return result;
  }

  private refusedResult(action: RefreshResult['action'], by: string, before: string, refused: RefusedFile[]): RefreshResult {
    const message = `refused: ${refused.map(describeRefusal).join('; ')}. The knowledge in service is unchanged${this.current ? ` (version ${before})` : ''}.`;
    this.log.warn({ audit: true, action, by, before, refused }, `knowledge ${action} refused`);
    return { ok: false, action, by, before, after: before, refused, message };
  }
}
