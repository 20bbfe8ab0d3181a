/**
 * Retrieval over the search index: term lookups (stem, lemma, surface form, typo), IDF, and the
 * BM25 pass over paragraphs that hands the best paragraphs to candidate scoring.
 */
import type { SearchIndex } from './build.js';
import type { Token } from './nlp.js';
import { editDistance, letterMask, lettersApart, typoBudget } from './text.js';

/** BM25 parameters (the usual defaults; paragraphs are short and of even length). */
const BM25_K1 = 1.2;
const BM25_B = 0.75;

/** BM25's weight of a term found `tf` times in a unit of `length` terms (units average `avgLength`), before IDF. */
export function bm25(tf: number, length: number, avgLength: number): number {
  return saturation(tf, lengthNorm(length, avgLength));
}
/** BM25's length term of a unit of `length` terms: K1 × (1 − B + B × length / average). */
const lengthNorm = (length: number, avgLength: number): number => BM25_K1 * (1 - BM25_B + (BM25_B * length) / avgLength);
/** BM25's term-frequency saturation, given the unit's length term. */
const saturation = (tf: number, norm: number): number => (tf * (BM25_K1 + 1)) / (tf + norm);

const normCache = new WeakMap<SearchIndex, Float64Array>();
/** Every paragraph's BM25 length term, computed once per index. */
function lengthNorms(index: SearchIndex): Float64Array {
  let norms = normCache.get(index);
  if (!norms) {
    const avg = index.avgParaLength || 1;
    norms = Float64Array.from(index.paraLength, (length) => lengthNorm(length, avg));
    normCache.set(index, norms);
  }
  return norms;
}
/** Paraphrases found in more than this share of paragraphs are left out of the BM25 pass. */
const COMMON_EXPANSION_SHARE = 0.05;
/** ... but never below this many paragraphs (small knowledge bases have every word in 5%). */
const COMMON_EXPANSION_MIN_DF = 200;

/** What retrieval needs of a question: its terms, each with the index terms that satisfy it. */
export interface RetrievalTerm {
  /** Index term id -> weight in (0, 1] (1 = the word itself, less for a typo or paraphrase). */
  alts: Map<number, number>;
}

export function documentFrequency(index: SearchIndex, term: number): number {
  return index.postingStart[term + 1] - index.postingStart[term];
}

export function idf(index: SearchIndex, term: number): number {
  const df = documentFrequency(index, term);
  const n = index.paraDoc.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

// Per-index lookup tables built on first use (not part of the serialised index).
const termIdCache = new WeakMap<SearchIndex, Map<string, number>>();
const bucketCache = new WeakMap<SearchIndex, Map<string, BucketWord[]>>();
const surfaceCache = new WeakMap<SearchIndex, string[]>();

/** Word form -> term id: the terms (stems) themselves, then the surface words the text uses for them. */
function termIdsOf(index: SearchIndex): Map<string, number> {
  let m = termIdCache.get(index);
  if (!m) {
    m = new Map(index.terms.map((t, i) => [t, i]));
    for (const [word, id] of index.surfaceTerms) if (!m.has(word)) m.set(word, id);
    termIdCache.set(index, m);
  }
  return m;
}

/** Term id -> one lower-case surface word the text uses for it (for word-vector lookups). */
export function surfaceOfTerms(index: SearchIndex): string[] {
  let s = surfaceCache.get(index);
  if (!s) {
    s = new Array<string>(index.terms.length);
    for (const [word, id] of index.surfaceTerms) if (s[id] === undefined) s[id] = word;
    for (let i = 0; i < s.length; i++) if (s[i] === undefined) s[i] = index.terms[i];
    surfaceCache.set(index, s);
  }
  return s;
}

/** The index term of one word form: as a term (stem) or as a surface word the text uses. */
export function termIdOfWord(index: SearchIndex, form: string): number | undefined {
  return termIdsOf(index).get(form);
}

/** Looks a word up in the index vocabulary: stem, lemma or surface form; -1 when absent. */
export function lookupTerm(index: SearchIndex, t: Token): number {
  for (const form of [t.stem, t.lemma, t.lower, t.lower.replace(/'s$/, '')]) {
    const id = termIdOfWord(index, form);
    if (id !== undefined) return id;
  }
  return -1;
}

interface BucketWord {
  word: string;
  id: number;
  mask: number;
}

/** Words of the text (surface forms, lower case) bucketed by length and first letter, with their term. */
function termBuckets(index: SearchIndex): Map<string, BucketWord[]> {
  let b = bucketCache.get(index);
  if (!b) {
    b = new Map();
    // The text's words and their stems: a typo of another form of a word ("assasisnated" for
    // "assassination") is near its stem.
    for (const [word, id] of [...index.surfaceTerms, ...index.terms.map((t, i): [string, number] => [t, i])]) {
      if (!/^\p{L}+$/u.test(word)) continue;
      const key = `${word.length}:${word[0]}`;
      if (!b.has(key)) b.set(key, []);
      b.get(key)!.push({ word, id, mask: letterMask(word) });
    }
    bucketCache.set(index, b);
  }
  return b;
}

/**
 * Index terms within the typo budget of `word` (at most `maxEdits`), most frequent first. Typos rarely hit the
 * first letter, so only terms that share it are compared: a few dozen, not the vocabulary.
 */
export function typoCandidates(index: SearchIndex, word: string, maxEdits = Infinity): number[] {
  const budget = Math.min(typoBudget(word), maxEdits);
  if (!budget) return [];
  const buckets = termBuckets(index);
  const hits: Array<[number, number, number]> = [];
  const mask = letterMask(word);
  for (let len = word.length - budget; len <= word.length + budget; len++) {
    for (const { word: surface, id, mask: other } of buckets.get(`${len}:${word[0]}`) ?? []) {
      if (lettersApart(mask, other) > 2 * budget) continue;
      const d = editDistance(word, surface, budget);
      if (d <= budget) hits.push([id, d, documentFrequency(index, id)]);
    }
  }
  hits.sort((a, b) => a[1] - b[1] || b[2] - a[2]);
  return [...new Set(hits.map((h) => h[0]))].slice(0, 2);
}

/** Do all of these terms occur together in at least one paragraph? (Sorted postings, merged from the rarest.) */
export function coOccur(index: SearchIndex, ids: number[]): boolean {
  if (ids.some((id) => id < 0)) return false;
  const lists = [...new Set(ids)].sort((a, b) => documentFrequency(index, a) - documentFrequency(index, b));
  const cursors = lists.map((t) => index.postingStart[t]);
  const [rarest, ...rest] = lists;
  for (let i = index.postingStart[rarest]; i < index.postingStart[rarest + 1]; i++) {
    const p = index.postingPara[i];
    let everywhere = true;
    for (let r = 0; r < rest.length; r++) {
      const end = index.postingStart[rest[r] + 1];
      let c = cursors[r + 1];
      while (c < end && index.postingPara[c] < p) c++;
      cursors[r + 1] = c;
      if (c >= end) return false;
      if (index.postingPara[c] !== p) everywhere = false;
    }
    if (everywhere) return true;
  }
  return false;
}

let scratch = new Float64Array(0);
/** A zeroed score buffer for `n` paragraphs, reused across queries (callers re-zero what they touch). */
function scratchScores(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/**
 * BM25 over paragraphs: the `limit` best paragraphs as [paragraph, score], best first.
 * `boost` adds paragraphs (a named speaker's own) with a flat score even when no word matches.
 */
export function bestParagraphs(index: SearchIndex, terms: RetrievalTerm[], limit: number, boost: number[] = []): Array<[number, number]> {
  const n = index.paraDoc.length;
  const scores = scratchScores(n);
  const touched: number[] = [];
  const norms = lengthNorms(index);
  const add = (p: number, v: number) => {
    if (scores[p] === 0) touched.push(p);
    scores[p] += v;
  };
  for (const q of terms) {
    for (const [term, weight] of q.alts) {
      const df = documentFrequency(index, term);
      // A common paraphrase adds little but costs a long postings walk; candidate scoring still sees it.
      if (weight < 1 && df > Math.max(COMMON_EXPANSION_MIN_DF, COMMON_EXPANSION_SHARE * n)) continue;
      const w = idf(index, term) * weight;
      for (let i = index.postingStart[term]; i < index.postingStart[term + 1]; i++) {
        const p = index.postingPara[i];
        add(p, w * saturation(index.postingTf[i], norms[p]));
      }
    }
  }
  for (const p of boost) add(p, 1);
  const top = topK(touched, scores, limit);
  for (const p of touched) scores[p] = 0; // leave the scratch buffer clean for the next query
  return top;
}

/** The `k` best of `ids` by score, best first, as [id, score] pairs (a bounded min-heap). */
function topK(ids: number[], scores: Float64Array, k: number): Array<[number, number]> {
  const heap: number[] = [];
  const less = (x: number, y: number) => scores[x] < scores[y];
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      for (let c = heap.length - 1; c > 0; ) {
        const parent = (c - 1) >> 1;
        if (!less(heap[c], heap[parent])) break;
        [heap[c], heap[parent]] = [heap[parent], heap[c]];
        c = parent;
      }
    } else if (less(heap[0], id)) {
      heap[0] = id;
      for (let c = 0; ; ) {
        const l = 2 * c + 1;
        const r = l + 1;
        let m = c;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === c) break;
        [heap[c], heap[m]] = [heap[m], heap[c]];
        c = m;
      }
    }
  }
  return heap.sort((x, y) => scores[y] - scores[x]).map((id) => [id, scores[id]]);
}

const paraStartCache = new WeakMap<SearchIndex, Int32Array>();
/** Global paragraph id of paragraph `p` of document `d`. */
export function globalParagraph(index: SearchIndex, d: number, p: number): number {
  let starts = paraStartCache.get(index);
  if (!starts) {
    const docs = index.paraDoc.length ? index.paraDoc[index.paraDoc.length - 1] + 1 : 0;
    starts = new Int32Array(docs + 1).fill(-1);
    for (let g = index.paraDoc.length - 1; g >= 0; g--) starts[index.paraDoc[g]] = g;
    paraStartCache.set(index, starts);
  }
  return starts[d] + p;
}
