/**
 * Countries, their capitals and their demonyms are one thing for matching: a question about
 * "Canberra" or "the Australian government" is about Australia. The data comes from the
 * maintained `world-countries` package (mledoze/countries), read once on first use; only
 * one-word names are used, since questions are matched word by word.
 */
import { createRequire } from 'node:module';
import { withoutPossessive } from './text.js';

interface CountryRecord {
  name: { common: string };
  capital?: string[];
  demonyms?: Record<string, { m?: string; f?: string }>;
}

let groups: Map<string, string[]> | undefined;
let demonyms: Set<string> | undefined;
let allNames: Set<string> | undefined;

function countries(): CountryRecord[] {
  try {
    return createRequire(import.meta.url)('world-countries/countries.json') as CountryRecord[];
  } catch {
    return []; // package missing: no place equivalents, everything else works
  }
}

/** A country's English demonyms, lower case ("german"). */
function demonymsOf(c: CountryRecord): string[] {
  return [c.demonyms?.eng?.m, c.demonyms?.eng?.f].filter((n): n is string => !!n).map((n) => n.toLowerCase());
}

/** A country's names, capitals and English demonyms, lower case. */
function namesOf(c: CountryRecord): string[] {
  return [...[c.name.common, ...(c.capital ?? [])].map((n) => n.toLowerCase()), ...demonymsOf(c)];
}

function load(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const c of countries()) {
    // One-word names only: questions are matched word by word.
    const names = namesOf(c).filter((n) => /^\p{L}+$/u.test(n));
    const group = [...new Set(names)];
    if (group.length < 2) continue;
    for (const n of group) {
      // A word two countries share (a demonym like "guinean") is ambiguous: keep the first only.
      if (!map.has(n)) map.set(n, group.filter((x) => x !== n));
    }
  }
  return map;
}

/** The other names of the country `word` names (lower case), or [] when it is none; a people in the plural ("Germans") names its country too. */
export function placeEquivalents(word: string): string[] {
  groups ??= load();
  demonyms ??= new Set(countries().flatMap(demonymsOf));
  const w = word.toLowerCase();
  const found = groups.get(w);
  if (found) return found;
  const singular = w.endsWith('s') ? w.slice(0, -1) : '';
  return demonyms.has(singular) ? [singular, ...(groups.get(singular) ?? [])] : [];
}

/**
 * Is this (lower-case, possibly multi-word) a country, a capital or a nationality, singular or
 * plural ("new delhi", "americans")? Such words describe where or whose, not whom.
 */
export function isPlaceName(name: string): boolean {
  if (!allNames) {
    allNames = new Set();
    for (const c of countries()) {
      for (const n of namesOf(c)) {
        allNames.add(n);
        allNames.add(`${n}s`);
      }
    }
  }
  return allNames.has(withoutPossessive(name.toLowerCase()));
}
