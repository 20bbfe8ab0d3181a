/**
 * Builds knowledge off the main thread, so answers and gateway heartbeats go on during a
 * rebuild of a large folder. Receives SourceDoc[], posts back { knowledge } or { error }.
 */
import { parentPort } from 'node:worker_threads';
import { buildKnowledge } from '../engine/build.js';
import type { SourceDoc } from '../engine/types.js';

parentPort?.on('message', (sources: SourceDoc[]) => {
  try {
    parentPort!.postMessage({ knowledge: buildKnowledge(sources) });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
