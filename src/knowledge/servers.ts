/**
 * Each server its own knowledge. A server with files of its own (a folder under SERVERS_DIR named
 * by its id) answers from them; every other server, DMs and user installs answer from the
 * bundled default, one copy in memory shared by all. Own knowledge is loaded on first use and the
 * least recently used is evicted when the loaded total passes the memory budget
 * (KNOWLEDGE_MEMORY_MB); a reload after eviction comes from the on-disk index cache, so it takes
 * milliseconds, not a build.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { FsKnowledgeFolder } from './folder.js';
import { checkServerId, isDiscordId, isHiddenName } from './names.js';
import type { KnowledgeFolder, KnowledgeStorage } from './storage.js';
import { KnowledgeStore } from './store.js';

/** Per-server folders on disk: `<serversDir>/<server id>/`, same file rules and history as the default. */
export class FsKnowledgeStorage implements KnowledgeStorage {
  constructor(
    readonly dir: string,
    private readonly historyLimit?: number,
  ) {}

  folder(serverId: string): FsKnowledgeFolder {
    // A Discord id: the only folder names under SERVERS_DIR that are servers.
    return new FsKnowledgeFolder(join(this.dir, checkServerId(serverId)), this.historyLimit);
  }

  /** Servers whose folder holds any file (a folder with only its history: back on the default). */
  async servers(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && isDiscordId(e.name) && readdirSync(join(this.dir, e.name)).some((f) => !isHiddenName(f)))
      .map((e) => e.name);
  }
}

export interface ServerKnowledgeOptions {
  /** The bundled default: always loaded, shared by every server without its own. */
  defaultStore: KnowledgeStore;
  storage: KnowledgeStorage;
  logger: Logger;
  /** Index cache shared by every server's store (keyed by content). */
  cacheDir: string | null;
  /** Loaded own knowledge beyond this many bytes is evicted, least recently used first. */
  memoryBudgetBytes: number;
  /** Build in a worker (default: by size). */
  worker?: boolean;
}

/** What a loaded store counts against the budget: its knowledge, and at least a little for an empty one (so those are evicted too). */
function footprint(store: KnowledgeStore): number {
  return Math.max(store.memoryBytes, EMPTY_STORE_BYTES);
}
const EMPTY_STORE_BYTES = 1024;

export class ServerKnowledge {
  readonly defaultStore: KnowledgeStore;
  private readonly log: Logger;
  /** Servers with a folder of their own (whether loaded or not). */
  private withOwn = new Set<string>();
  /** Loaded own stores, least recently used first (a Map keeps insertion order). */
  private readonly loaded = new Map<string, KnowledgeStore>();
  private readonly loading = new Map<string, Promise<KnowledgeStore>>();
  private evictions = 0;

  private constructor(private readonly options: ServerKnowledgeOptions) {
    this.defaultStore = options.defaultStore;
    this.log = options.logger.child({ component: 'servers' });
  }

  static async open(options: ServerKnowledgeOptions): Promise<ServerKnowledge> {
    const servers = new ServerKnowledge(options);
    servers.withOwn = new Set(await options.storage.servers());
    servers.log.info({ servers: servers.withOwn.size, memoryBudgetMB: Math.round(options.memoryBudgetBytes / 2 ** 20) }, 'servers with knowledge of their own');
    return servers;
  }

  /** Whether `serverId` has a folder of its own. */
  hasOwn(serverId: string | null): boolean {
    return serverId !== null && this.withOwn.has(serverId);
  }

  /**
   * The store that answers in `serverId` if it is in memory now, without waiting; undefined when
   * its own knowledge must be loaded first (see answering).
   */
  peek(serverId: string | null): KnowledgeStore | undefined {
    if (!this.hasOwn(serverId)) return this.defaultStore;
    const own = this.loaded.get(serverId!);
    if (!own) return undefined;
    this.touch(serverId!, own);
    return own.loaded ? own : this.defaultStore;
  }

  /** The store that answers in `serverId` (null: a DM or a user install): its own, or the default. */
  async answering(serverId: string | null): Promise<KnowledgeStore> {
    if (!this.hasOwn(serverId)) return this.defaultStore;
    const own = await this.own(serverId!);
    return own.loaded ? own : this.defaultStore;
  }

  /** The server's own store, loaded (empty before its first upload); what moderators change. */
  async own(serverId: string): Promise<KnowledgeStore> {
    const ready = this.loaded.get(serverId);
    if (ready) {
      this.touch(serverId, ready);
      return ready;
    }
    let pending = this.loading.get(serverId);
    if (!pending) {
      pending = this.load(serverId).finally(() => this.loading.delete(serverId));
      this.loading.set(serverId, pending);
    }
    return pending;
  }

  /** After a swap in a server's own store: it may have gained its first files or lost its last. */
  private noteChanged(serverId: string): void {
    const store = this.loaded.get(serverId);
    if (store?.loaded) this.withOwn.add(serverId);
    else if (store) this.withOwn.delete(serverId);
    this.enforceBudget(serverId);
  }

  /**
   * Another process changed `serverId`'s knowledge (a replica on the same database): reload it if
   * it is in memory here; either way the server may now have knowledge of its own.
   */
  async changedElsewhere(serverId: string, by: string): Promise<void> {
    const store = this.loaded.get(serverId);
    if (!store) {
      this.withOwn.add(serverId);
      return;
    }
    await store.reload(by); // a change swaps, and the swap is noted (load)
  }

  /** Loaded servers and their memory, for status and the logs. */
  stats(): { servers: number; loaded: number; bytes: number; budgetBytes: number; evictions: number } {
    return { servers: this.withOwn.size, loaded: this.loaded.size, bytes: this.loadedBytes(), budgetBytes: this.options.memoryBudgetBytes, evictions: this.evictions };
  }

  private async load(serverId: string): Promise<KnowledgeStore> {
    const started = performance.now();
    // The folder need not exist: it is created by the first upload.
    const folder: KnowledgeFolder = this.options.storage.folder(serverId);
    const store = await KnowledgeStore.open({
      folder,
      logger: this.options.logger,
      cacheDir: this.options.cacheDir,
      worker: this.options.worker,
      allowEmpty: true,
      logFields: { serverId },
    });
    // Unreachable is not empty: answering from the default would quote another article. This
    // load fails (the question gets an apology) and the next question tries again.
    if (!store.loaded && folder.unreachable) throw folder.unreachable;
    // Every change of its knowledge swaps (an upload, a rollback, a reload, a change made on
    // another replica): the server may have gained its first files or lost its last.
    store.on('swap', () => this.noteChanged(serverId));
    this.loaded.set(serverId, store);
    if (store.loaded) this.withOwn.add(serverId);
    this.log.debug({ serverId, bytes: store.memoryBytes, ms: Math.round(performance.now() - started) }, 'server knowledge loaded');
    this.enforceBudget(serverId);
    return store;
  }

  private touch(serverId: string, store: KnowledgeStore): void {
    this.loaded.delete(serverId);
    this.loaded.set(serverId, store);
  }

  private loadedBytes(): number {
    let total = 0;
    for (const s of this.loaded.values()) total += footprint(s);
    return total;
  }

  /** Evicts the least recently used servers (never `keep`, the one just used) down to the budget. */
  private enforceBudget(keep: string): void {
    let total = this.loadedBytes();
    for (const [id, store] of this.loaded) {
      if (total <= this.options.memoryBudgetBytes) break;
      if (id === keep) continue;
      this.loaded.delete(id);
      total -= footprint(store);
      this.evictions += 1;
      this.log.debug({ serverId: id, bytes: store.memoryBytes, loadedBytes: total }, 'server knowledge evicted (least recently used)');
    }
  }
}
