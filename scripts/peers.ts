/**
 * The peer libraries the benchmark compares with, configured alike: each indexes the same
 * sentences, with the same tokenizer (lower-case words, common stop words out), and returns the
 * best sentence's position (-1 for none).
 */
import MiniSearch from 'minisearch';
import bm25 from 'wink-bm25-text-search';

const STOP = new Set('a an and are as at be but by did do does for from had has have he her his how i in is it its of on or she that the their them they this to was were what when where which who why will with would you'.split(' '));
export const peerWords = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w && !STOP.has(w));

export function miniSearchOver(sentences: string[]): (q: string) => number {
  const ms = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [], tokenize: peerWords, processTerm: (w) => w });
  ms.addAll(sentences.map((text, id) => ({ id, text })));
  return (q) => (ms.search(q, { fuzzy: 0.2, prefix: true })[0]?.id as number | undefined) ?? -1;
}

export function winkBm25Over(sentences: string[]): (q: string) => number {
  const e = bm25();
  e.defineConfig({ fldWeights: { text: 1 } });
  e.definePrepTasks([peerWords]);
  sentences.forEach((text, id) => e.addDoc({ text }, id));
  e.consolidate();
  return (q) => (e.search(q, 1)[0]?.[0] as number | undefined) ?? -1;
}

export function peerSearchers(sentences: string[]): Record<'wink-bm25-text-search' | 'minisearch', (q: string) => number> {
  return { 'wink-bm25-text-search': winkBm25Over(sentences), minisearch: miniSearchOver(sentences) };
}
