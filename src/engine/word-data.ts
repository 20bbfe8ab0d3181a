/**
 * The word data built once at install time (data/): word-vector neighbours, quantized word
 * vectors, WordNet antonyms, synonyms and person nouns. Each file is loaded on first use, once per process;
 * a file that was not built stays null and the engine goes on without it.
 */
import { loadWordNeighbours, type WordNeighbours } from './vectors.js';
import { loadWordVectors, type WordVectors } from './word-vectors.js';
import { loadAntonyms, type Antonyms } from './antonyms.js';
import { loadPersonNouns } from './person-nouns.js';
import { loadSynonyms, type Synonyms } from './synonyms.js';
import { stems } from './nlp.js';

/** `load`, run on the first call only; later calls return what it gave. */
function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}
/** The word-vector neighbours from the compact file (null when not built). */
export const defaultWordNeighbours: () => WordNeighbours | null = once(() => loadWordNeighbours());
/** The quantized word vectors (null when not built). */
export const defaultWordVectors: () => WordVectors | null = once(() => loadWordVectors());
/** The WordNet antonyms from data/antonyms.txt (null when not built). */
export const defaultAntonyms: () => Antonyms | null = once(() => loadAntonyms(stems));
/** The WordNet synonyms from data/synonyms.txt (null when not built). */
export const defaultSynonyms: () => Synonyms | null = once(() => loadSynonyms());
/** The WordNet person nouns from data/person-nouns.txt (null when not built). */
export const defaultPersonNouns: () => ReadonlySet<string> | null = once(() => loadPersonNouns());
