/**
 * Builds knowledge off the main thread, so answers and gateway heartbeats go on during a
 * rebuild of a large folder. Receives { sources, cacheDir }, posts back { knowledge, cacheError? } or { error }.
 */
import { parentPort } from 'node:worker_threads';
import { buildKnowledge } from '../engine/build.js';
import type { SourceDoc } from '../engine/types.js';
import { writeCachedKnowledge } from './cache.js';

/**
 * The worker also writes the on-disk cache: serialising a large index is work the main thread
 * (answering, heartbeating) should not do.
 */
parentPort?.on('message', ({ sources, cacheDir }: { sources: SourceDoc[]; cacheDir: string | null }) => {
  let knowledge;
  try {
    knowledge = buildKnowledge(sources);
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
    return;
  }
  let cacheError: string | undefined;
  if (cacheDir) {
    try {
      writeCachedKnowledge(cacheDir, knowledge);
    } catch (err) {
      cacheError = err instanceof Error ? err.message : String(err);
    }
  }
  parentPort!.postMessage({ knowledge, cacheError });
});
