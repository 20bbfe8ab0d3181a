/**
 * Files -> knowledge: each file validated and parsed once, then built into the index, with the
 * on-disk cache in front (a hit skips both) and a worker thread behind (large inputs are checked
 * and built off the main thread, so answers and gateway heartbeats go on, whatever an upload
 * holds). The same steps run in the thread and in the worker (validateAndBuild).
 */
import { Worker } from 'node:worker_threads';
import { buildKnowledge, type Knowledge } from '../engine/index.js';
import type { Logger } from '../log.js';
import { filesKey, readCachedKnowledge, serialisedSize, writeCachedKnowledge } from './cache.js';
import { validateFiles, type RefusedFile } from './loader.js';
import type { StoredFile } from './storage.js';

/** Below this many bytes, checking and building take milliseconds: the main thread does it. */
export const WORKER_THRESHOLD_BYTES = 200_000;

/** Where a build stands, for a moderator waiting on a long one. */
export interface BuildProgress {
  stage: 'checking' | 'building' | 'caching';
  /** Files checked so far (stage 'checking'). */
  done?: number;
  total: number;
}

export interface BuildResult {
  /** Cache key of the files (see cache.ts); equal keys mean the same files. */
  key: string;
  /** Null when no file could be loaded. */
  knowledge: Knowledge | null;
  /** Files refused, with the reason (listing refusals included). */
  refused: RefusedFile[];
  /** Serialised size: the memory measure of the knowledge. */
  bytes: number;
  fromCache: boolean;
  worker: boolean;
  cacheError?: string;
}

export interface BuilderOptions {
  /** Where built knowledge is cached; null disables the cache. */
  cacheDir: string | null;
  logger: Logger;
  /** Always (true) or never (false) in a worker; default: by size. */
  worker?: boolean;
}

/** The steps of a build, wherever they run. */
export function validateAndBuild(
  listed: { files: StoredFile[]; refused: RefusedFile[] },
  key: string,
  cacheDir: string | null,
  onProgress: (p: BuildProgress) => void,
  required?: string,
): Omit<BuildResult, 'fromCache' | 'worker'> {
  const total = listed.files.length;
  onProgress({ stage: 'checking', done: 0, total });
  const { sources, refused } = validateFiles(listed, (done) => onProgress({ stage: 'checking', done, total }));
  // A refused upload: building the rest would be work for nothing.
  if (!sources.length || (required && refused.some((r) => r.file === required))) return { key, knowledge: null, refused, bytes: 0 };
  onProgress({ stage: 'building', total: sources.length });
  const knowledge = buildKnowledge(sources);
  if (!cacheDir) return { key, knowledge, refused, bytes: serialisedSize(knowledge) };
  onProgress({ stage: 'caching', total: sources.length });
  try {
    return { key, knowledge, refused, bytes: writeCachedKnowledge(cacheDir, key, knowledge, refused) };
  } catch (err) {
    return { key, knowledge, refused, bytes: serialisedSize(knowledge), cacheError: err instanceof Error ? err.message : String(err) };
  }
}

/** Starts the build worker: compiled JS directly; from TypeScript sources (tsx), through tsx's loader. */
function startBuildWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./build-worker.js', import.meta.url));
  const url = new URL('./build-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`, { eval: true });
}

type WorkerMessage = { progress: BuildProgress } | { result: Omit<BuildResult, 'fromCache' | 'worker'> } | { error: string };

function buildInWorker(
  listed: { files: StoredFile[]; refused: RefusedFile[] },
  key: string,
  cacheDir: string | null,
  onProgress: (p: BuildProgress) => void,
  required?: string,
): Promise<Omit<BuildResult, 'fromCache' | 'worker'>> {
  return new Promise((resolve, reject) => {
    const worker = startBuildWorker();
    worker.on('message', (msg: WorkerMessage) => {
      if ('progress' in msg) return onProgress(msg.progress);
      void worker.terminate();
      if ('result' in msg) resolve(msg.result);
      else reject(new Error(msg.error));
    });
    worker.once('error', reject);
    worker.postMessage({ listed, key, cacheDir, required });
  });
}

export class KnowledgeBuilder {
  private readonly log: Logger;

  constructor(private readonly options: BuilderOptions) {
    this.log = options.logger.child({ component: 'builder' });
  }

  /**
   * Checks and builds `listed` (from the cache when it can). Never throws for a bad file: it is
   * refused. With `required` (an upload's name), a refusal of that file stops before the build.
   * `key`: the files' filesKey, when the caller has it already.
   */
  async build(
    listed: { files: StoredFile[]; refused: RefusedFile[] },
    onProgress: (p: BuildProgress) => void = () => undefined,
    required?: string,
    key: string = filesKey(listed.files),
  ): Promise<BuildResult> {
    const { cacheDir } = this.options;
    const cached = cacheDir ? readCachedKnowledge(cacheDir, key) : null;
    if (cached) {
      this.log.debug({ key }, 'knowledge loaded from cache');
      return { key, knowledge: cached.knowledge, refused: [...listed.refused, ...cached.refused.filter((r) => !listed.refused.some((l) => l.file === r.file))], bytes: cached.bytes, fromCache: true, worker: false };
    }
    const started = performance.now();
    const size = listed.files.reduce((n, f) => n + f.bytes.length, 0);
    const worker = this.options.worker ?? size > WORKER_THRESHOLD_BYTES;
    const result = worker ? await buildInWorker(listed, key, cacheDir, onProgress, required) : validateAndBuild(listed, key, cacheDir, onProgress, required);
    const k = result.knowledge;
    this.log.info({ key, version: k?.version ?? null, documents: k?.documents.length ?? 0, bytes: size, worker, ms: Math.round(performance.now() - started) }, 'knowledge built');
    if (result.cacheError) this.log.warn({ err: result.cacheError, cacheDir }, 'could not write the knowledge cache; continuing without it');
    return { ...result, fromCache: false, worker };
  }
}
