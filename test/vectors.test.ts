import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWordNeighboursFile, isCandidateWord, nearestNeighbours, nearestNeighboursParallel } from '../scripts/build-vectors.js';
import { DEFAULT_VECTORS_PATH, decodeWordNeighbours, encodeWordNeighbours, loadWordNeighbours, readVectorsMeta } from '../src/engine/vectors.js';

/** Quantisation step of stored similarities (one byte over (0, 1]). */
const STEP = 1 / 255;

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/** A tiny hand-made embedding set: two clusters, one loner, and words the builder must skip. */
const SMALL = {
  dimensions: 4,
  words: ['the', 'attack', '123', 'assault', 'raid', 'economy', 'growth', 'tuesday', 'banana', 'recession'],
  vectors: {
    the: [1, 1, 1, 1],
    attack: [1, 0.1, 0, 0],
    '123': [1, 0.1, 0, 0],
    assault: [0.9, 0.3, 0, 0.05],
    raid: [0.7, 0.6, 0.1, 0],
    economy: [0, 0, 1, 0.1],
    growth: [0, 0.1, 0.9, 0.3],
    tuesday: [1, 0.1, 0, 0.01],
    banana: [0, -1, 0, 1],
    recession: [0.05, 0, 0.8, -0.1],
  } as Record<string, number[]>,
};

function withTmpDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'vectors-test-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a missing file loads as null', () => {
  assert.equal(loadWordNeighbours(join(tmpdir(), `no-such-vectors-${process.pid}.bin`)), null);
  assert.equal(readVectorsMeta(join(tmpdir(), `no-such-vectors-${process.pid}.bin`)), null);
});

test('truncated, corrupted or foreign files load as null', () => {
  const good = buildWordNeighboursFile(SMALL, { minSimilarity: 0.5 });
  withTmpDir((dir) => {
    const write = (name: string, bytes: Uint8Array): string => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    assert.ok(loadWordNeighbours(write('good.bin', good)), 'the intact file loads');
    assert.equal(loadWordNeighbours(write('empty.bin', new Uint8Array(0))), null);
    assert.equal(loadWordNeighbours(write('head.bin', good.subarray(0, 20))), null);
    assert.equal(loadWordNeighbours(write('short.bin', good.subarray(0, good.length - 1))), null);
    assert.equal(loadWordNeighbours(write('long.bin', Buffer.concat([good, Buffer.from([0])]))), null);
    const magic = Uint8Array.from(good);
    magic[0] ^= 0xff;
    assert.equal(loadWordNeighbours(write('magic.bin', magic)), null);
    const version = Uint8Array.from(good);
    version[4] = 99;
    assert.equal(loadWordNeighbours(write('version.bin', version)), null);
    // Any flipped byte in the body is caught by the checksum.
    for (const at of [40, Math.floor(good.length / 2), good.length - 6]) {
      const flipped = Uint8Array.from(good);
      flipped[at] ^= 0x10;
      assert.equal(loadWordNeighbours(write(`flip-${at}.bin`, flipped)), null, `flip at ${at}`);
    }
    assert.equal(loadWordNeighbours(write('json.bin', Buffer.from('{"precision":8,"words":[]}'))), null);
  });
});

test('a small embedding set round-trips: neighbours in order, with their cosines', () => {
  const wn = decodeWordNeighbours(buildWordNeighboursFile(SMALL, { minSimilarity: 0.5, k: 3 }));
  assert.ok(wn);
  // Stop words, numbers and weekdays are not kept; everything else is.
  assert.equal(wn.size, 7);
  for (const w of ['the', '123', 'tuesday', 'unknown']) {
    assert.equal(wn.has(w), false, w);
    assert.deepEqual(wn.neighbours(w), []);
  }
  assert.ok(wn.has('attack') && wn.has('Attack'), 'lookups ignore case');

  const v = SMALL.vectors;
  const attack = wn.neighbours('attack');
  assert.deepEqual(
    attack.map((n) => n.word),
    ['assault', 'raid'],
  );
  assert.ok(Math.abs(attack[0].similarity - cosine(v.attack, v.assault)) <= STEP / 2 + 1e-9);
  assert.ok(Math.abs(attack[1].similarity - cosine(v.attack, v.raid)) <= STEP / 2 + 1e-9);
  assert.deepEqual(
    wn.neighbours('economy').map((n) => n.word),
    ['recession', 'growth'],
  );
  // Symmetric relation, and nothing below the threshold: the loner has no neighbours at all.
  assert.ok(wn.neighbours('assault').some((n) => n.word === 'attack'));
  assert.deepEqual(wn.neighbours('banana'), []);
  for (const w of ['attack', 'assault', 'raid', 'economy', 'growth', 'recession']) {
    const ns = wn.neighbours(w);
    assert.ok(ns.length <= 3);
    for (let i = 0; i < ns.length; i++) {
      assert.ok(ns[i].similarity > 0 && ns[i].similarity <= 1, `${w}: similarity in (0, 1]`);
      assert.ok(ns[i].similarity >= 0.5 - STEP, `${w}: above threshold`);
      if (i > 0) assert.ok(ns[i].similarity <= ns[i - 1].similarity, `${w}: most similar first`);
      assert.notEqual(ns[i].word, w);
    }
  }
});

test('vocabulary limit keeps the most frequent candidates', () => {
  const wn = decodeWordNeighbours(buildWordNeighboursFile(SMALL, { vocab: 3, minSimilarity: 0.5 }));
  assert.ok(wn);
  assert.equal(wn.size, 3);
  assert.ok(wn.has('attack') && wn.has('assault') && wn.has('raid') && !wn.has('economy'));
});

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('blocked kernel matches brute force on a larger random set', () => {
  // 1500 words spans two column blocks and a ragged last row block: the kernel's edge cases.
  const n = 1502;
  const dim = 8;
  const rand = rng(42);
  const words: string[] = [];
  const vectors: Record<string, number[]> = {};
  for (let i = 0; i < n; i++) {
    let w = 'zq'; // then i in base 26, as letters: unique, alphabetic, never a stop word
    for (let x = i; x > 0 || w.length === 2; x = Math.floor(x / 26)) w += String.fromCharCode(97 + (x % 26));
    words.push(w);
    vectors[w] = Array.from({ length: dim }, () => rand() * 2 - 1);
  }
  const k = 6;
  const min = 0.6;
  const wn = decodeWordNeighbours(buildWordNeighboursFile({ words, vectors, dimensions: dim }, { vocab: n, k, minSimilarity: min }));
  assert.ok(wn);
  assert.equal(wn.size, n);
  for (const w of words) {
    const expected = words
      .filter((o) => o !== w)
      .map((o) => cosine(vectors[w], vectors[o]))
      .filter((s) => s > min)
      .sort((a, b) => b - a)
      .slice(0, k);
    const got = wn.neighbours(w);
    assert.equal(got.length, expected.length, `${w}: neighbour count`);
    got.forEach((g, i) => {
      // Order may differ only between near-ties, so compare by rank: the i-th neighbour has the i-th best cosine.
      assert.ok(Math.abs(cosine(vectors[w], vectors[g.word]) - expected[i]) < 1e-5, `${w}: neighbour ${i}`);
      assert.ok(Math.abs(g.similarity - expected[i]) <= STEP / 2 + 1e-6, `${w}: quantised similarity ${i}`);
    });
  }
});

test('worker threads find exactly the same neighbours as one thread', async () => {
  const rand = rng(7);
  const vectors = Array.from({ length: 1203 }, () => Float32Array.from({ length: 16 }, () => rand() * 2 - 1));
  const options = { vocab: vectors.length, k: 5, minSimilarity: 0.6 };
  const one = nearestNeighbours(vectors, 16, options);
  const norm = (lists: typeof one) => lists.map((l) => ({ ids: Array.from(l.ids), similarities: Array.from(l.similarities) }));
  assert.deepEqual(norm(await nearestNeighboursParallel(vectors, 16, options, 3)), norm(one));
  assert.ok(one.some((l) => l.ids.length === 5) && one.some((l) => l.ids.length < 5), 'both full and partial lists are exercised');
});

test('the encoder rejects malformed input', () => {
  assert.throws(() => encodeWordNeighbours(['a', 'a'], [{ ids: [], similarities: [] }, { ids: [], similarities: [] }], {}));
  assert.throws(() => encodeWordNeighbours(['a', 'b'], [{ ids: [2], similarities: [0.9] }, { ids: [], similarities: [] }], {}));
  assert.throws(() => encodeWordNeighbours(['a', 'b'], [{ ids: [1], similarities: [1.5] }, { ids: [], similarities: [] }], {}));
  assert.throws(() => encodeWordNeighbours(['a', 'b'], [{ ids: [0], similarities: [0.9] }, { ids: [], similarities: [] }], {}), 'no self-neighbours');
});

test('candidate words: plain lower-case content words only', () => {
  for (const w of ['attack', 'sanctions', 'culpable', 'war']) assert.ok(isCandidateWord(w), w);
  for (const w of ['the', 'and', 'said2', 'u.s.', "n't", 'al', 'ii', 'xiv', 'monday', 'march', 'three', 'meanwhile', 'Attack']) assert.ok(!isCandidateWord(w), w);
});

test('the built data file, if present, has sensible neighbours', { skip: !existsSync(DEFAULT_VECTORS_PATH) && 'data/vectors.bin not built' }, () => {
  const t0 = performance.now();
  const wn = loadWordNeighbours();
  const ms = performance.now() - t0;
  assert.ok(wn, 'data/vectors.bin loads');
  assert.ok(ms < 1000, `loads quickly (${ms.toFixed(1)} ms)`);
  assert.ok(wn.size >= 10000);
  const near = (w: string): string[] => wn.neighbours(w).map((n) => n.word);
  const hasAny = (w: string, options: string[]) => assert.ok(options.some((o) => near(w).includes(o)), `${w} → ${near(w).join(', ')}`);
  hasAny('attack', ['assault', 'attacks']);
  hasAny('assault', ['attack']);
  hasAny('sanctions', ['embargo', 'penalties']);
  hasAny('diplomat', ['ambassador', 'envoy']);
  hasAny('aid', ['assistance', 'support']);
  hasAny('troops', ['soldiers', 'forces']);
  hasAny('talks', ['negotiations']);
  hasAny('said', ['told', 'says']);
  assert.deepEqual(wn.neighbours('the'), []);
  assert.deepEqual(wn.neighbours('qqqzzz'), []);
  for (const w of ['attack', 'economy', 'border', 'president']) {
    const ns = wn.neighbours(w);
    assert.ok(ns.length > 0, w);
    ns.forEach((n, i) => {
      assert.ok(n.similarity > 0 && n.similarity <= 1);
      if (i > 0) assert.ok(n.similarity <= ns[i - 1].similarity);
    });
  }
});
