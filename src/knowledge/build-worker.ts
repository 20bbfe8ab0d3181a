/**
 * Checks and builds knowledge off the main thread (see builder.ts), so answers and gateway
 * heartbeats go on while a large upload is validated and a large folder rebuilt. Receives
 * { listed, key, cacheDir, required }; posts { progress } as it goes, then { result } or { error }. The
 * worker also writes the cache: serialising a large index is work the main thread should not do.
 */
import { parentPort } from 'node:worker_threads';
import type { RefusedFile } from './loader.js';
import type { StoredFile } from './storage.js';
import { validateAndBuild } from './builder.js';

interface BuildRequest {
  listed: { files: StoredFile[]; refused: RefusedFile[] };
  key: string;
  cacheDir: string | null;
  required?: string;
}

parentPort?.on('message', ({ listed, key, cacheDir, required }: BuildRequest) => {
  try {
    const result = validateAndBuild(listed, key, cacheDir, (progress) => parentPort!.postMessage({ progress }), required);
    parentPort!.postMessage({ result });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
