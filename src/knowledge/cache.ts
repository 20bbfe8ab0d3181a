/**
 * On-disk cache of built knowledge, keyed by the content hash of its files: a restart on the
 * same files skips the build. A cache file is trusted only if its header, engine version,
 * content hash and checksum all match; anything else is ignored (and rebuilt), never used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { ENGINE_VERSION, type Knowledge } from '../engine/build.js';
import { writeFileAtomic } from './atomic-write.js';

const MAGIC = 'AQBK';
const HEADER_BYTES = 4 + 4 + 16 + 32; // magic, engine version, content hash, sha256 of payload

function fileFor(dir: string, version: string): string {
  return join(dir, `knowledge-${version}.bin`);
}

/** The cached build for `version`, or null when absent, stale or corrupt. */
export function readCachedKnowledge(dir: string, version: string): Knowledge | null {
  let buf: Buffer;
  try {
    buf = readFileSync(fileFor(dir, version));
  } catch {
    return null;
  }
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 4) !== MAGIC) return null;
  if (buf.readUInt32LE(4) !== ENGINE_VERSION || buf.toString('latin1', 8, 24) !== version) return null;
  const payload = buf.subarray(HEADER_BYTES);
  if (!createHash('sha256').update(payload).digest().equals(buf.subarray(24, HEADER_BYTES))) return null;
  try {
    const k = deserialize(payload) as Knowledge;
    return k && k.version === version && Array.isArray(k.documents) && k.index?.postingStart instanceof Int32Array ? k : null;
  } catch {
    return null;
  }
}

/** Writes the build atomically (temp file + rename) and drops older cache files. */
export function writeCachedKnowledge(dir: string, k: Knowledge): void {
  mkdirSync(dir, { recursive: true });
  const payload = serialize(k);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(ENGINE_VERSION, 4);
  header.write(k.version.padEnd(16, '0').slice(0, 16), 8, 'latin1');
  createHash('sha256').update(payload).digest().copy(header, 24);
  const target = fileFor(dir, k.version);
  writeFileAtomic(target, Buffer.concat([header, payload]));
  for (const f of readdirSync(dir)) {
    if (f.startsWith('knowledge-') && f !== `knowledge-${k.version}.bin`) {
      try {
        unlinkSync(join(dir, f));
      } catch {
        // another process may have removed it already
      }
    }
  }
}
