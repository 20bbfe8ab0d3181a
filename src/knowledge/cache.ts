/**
 * On-disk cache of built knowledge, keyed by the files it was built from (their names and bytes,
 * and the engine's code): a restart, or a server whose knowledge was evicted from memory, loads
 * the index instead of validating and building again. An entry also holds the files refused at
 * that build, so a cache hit reports the same refusals. An entry is trusted only if its header,
 * engine version, key and checksum all match; anything else is ignored (and rebuilt), never used.
 * The least recently used entries beyond MAX_CACHE_ENTRIES are removed (one per server and
 * version, so many servers share the folder).
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { readdirSync, readFileSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { ENGINE_FINGERPRINT, ENGINE_VERSION, type Knowledge } from '../engine/index.js';
import { writeFileAtomic } from './atomic-write.js';
import type { RefusedFile } from './loader.js';
import type { StoredFile } from './storage.js';

const MAGIC = 'AQBC';
/**
 * Magic, engine version, key, CRC-32 of the payload. CRC-32 catches a torn or rotted file as
 * surely as a cryptographic hash would here (the file is ours, not an adversary's) at a tenth of
 * the cost: 4 ms for a 22 MB build against sha256's 40 ms, on every restart.
 */
const HEADER_BYTES = 4 + 4 + 16 + 4;
export const MAX_CACHE_ENTRIES = 2000;

export interface CachedBuild {
  knowledge: Knowledge;
  refused: RefusedFile[];
  /** Size of the serialised build: a fair measure of the memory it takes once loaded. */
  bytes: number;
}

/** The cache key of a set of files: their names and bytes, and the engine's code. */
export function filesKey(files: readonly StoredFile[]): string {
  const h = createHash('sha256').update(`engine ${ENGINE_FINGERPRINT}\n`);
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(`${f.name}\0${f.bytes.length}\0`).update(f.bytes);
  }
  return h.digest('hex').slice(0, 16);
}

function fileFor(dir: string, key: string): string {
  return join(dir, `knowledge-${key}.bin`);
}

/** The cached build for `key`, or null when absent, stale or corrupt. */
export function readCachedKnowledge(dir: string, key: string): CachedBuild | null {
  const file = fileFor(dir, key);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 4) !== MAGIC) return null;
  if (buf.readUInt32LE(4) !== ENGINE_VERSION || buf.toString('latin1', 8, 24) !== key) return null;
  const payload = buf.subarray(HEADER_BYTES);
  if (crc32(payload) !== buf.readUInt32LE(24)) return null;
  let entry: { knowledge: Knowledge; refused: RefusedFile[] };
  try {
    entry = deserialize(payload) as typeof entry;
  } catch {
    return null;
  }
  const k = entry?.knowledge;
  if (!k || !Array.isArray(k.documents) || !(k.index?.postingStart instanceof Int32Array) || !Array.isArray(entry.refused)) return null;
  try {
    const now = new Date();
    utimesSync(file, now, now); // recently used: kept longest
  } catch {
    // read-only cache: still usable
  }
  return { knowledge: k, refused: entry.refused, bytes: payload.length };
}

/** Writes the build atomically; returns its size. Prunes the least recently used entries. */
export function writeCachedKnowledge(dir: string, key: string, knowledge: Knowledge, refused: RefusedFile[]): number {
  const payload = serialize({ knowledge, refused });
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(ENGINE_VERSION, 4);
  header.write(key.padEnd(16, '0').slice(0, 16), 8, 'latin1');
  header.writeUInt32LE(crc32(payload), 24);
  writeFileAtomic(fileFor(dir, key), Buffer.concat([header, payload]));
  pruneCache(dir);
  return payload.length;
}

function pruneCache(dir: string): void {
  const entries = readdirSync(dir).filter((f) => /^knowledge-[0-9a-f]{16}\.bin$/.test(f));
  if (entries.length <= MAX_CACHE_ENTRIES) return;
  const byAge = entries
    .map((f) => {
      try {
        return { f, at: statSync(join(dir, f)).mtimeMs };
      } catch {
        return { f, at: 0 };
      }
    })
    .sort((a, b) => a.at - b.at);
  for (const { f } of byAge.slice(0, entries.length - MAX_CACHE_ENTRIES)) {
    try {
      unlinkSync(join(dir, f));
    } catch {
      // another process may have removed it already
    }
  }
}

/** Serialised size of a build that was not cached. */
export function serialisedSize(knowledge: Knowledge): number {
  return serialize(knowledge).length;
}
