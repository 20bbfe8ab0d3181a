/**
 * Unnamed speakers beyond the hand lists of roles and bodies: WordNet's nouns for people
 * ("cardiologists", "beekeepers", "relatives"), read from WordNet's own data format at install.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { personNouns } from '../scripts/build-wordnet.js';
import { parsePersonNouns } from '../src/engine/person-nouns.js';
import { defaultPersonNouns } from '../src/engine/word-data.js';
import { articleStatements } from './helpers.js';

// WordNet 3.1 layout. data.noun: offset, lexicographer file (18 = noun.person, 08 = noun.body),
// type, word count (hex), words with lexical ids, pointers. index.noun: lemma, pos, synset count,
// pointer count, pointer symbols, sense count, tagged sense count, synset offsets (first = most frequent).
const DATA_NOUN = [
  '  1 This software and database is being provided to you, the LICENSEE, by Princeton University',
  '09900000 18 n 02 cardiologist 0 heart_specialist 0 000 | a specialist in cardiology',
  '09900001 18 n 01 Aalto 0 000 | Finnish architect',
  '05500000 08 n 01 head 0 000 | the upper part of the human body',
  '09900002 18 n 01 head 0 000 | a person who is in charge',
].join('\n');
const INDEX_NOUN = [
  '  1 This software and database is being provided to you, the LICENSEE, by Princeton University',
  'aalto n 1 0 1 0 09900001',
  'cardiologist n 1 1 @ 1 0 09900000',
  'head n 2 0 2 1 05500000 09900002',
  'heart_specialist n 1 0 1 0 09900000',
].join('\n');

test('person nouns are the plain lower-case nouns whose most frequent sense is a person', () => {
  // "head" is first a body part; Aalto is a name (WordNet writes it capitalised); two-word
  // entries are left out.
  assert.deepEqual(personNouns(INDEX_NOUN, DATA_NOUN), ['cardiologist']);
  assert.deepEqual([...parsePersonNouns('# header\ncardiologist\nbeekeeper\n')], ['cardiologist', 'beekeeper']);
});

test('a WordNet person noun heads an unnamed speaker; a noun for a thing does not', () => {
  assert.ok(defaultPersonNouns()?.has('cardiologist'), 'data/person-nouns.txt is built (npm run wordnet)');
  assert.deepEqual(
    articleStatements([
      'Trial results',
      'Some cardiologists said they wanted to see the full data before drawing conclusions.',
      'Outside the court, relatives of the victims said the sentence was too short.',
      'Two beekeepers said the season was the worst in memory.',
      'The results said little about older patients.',
    ]),
    [
      'cardiologists | indirect | they wanted to see the full data before drawing conclusions',
      'relatives | indirect | the sentence was too short',
      'beekeepers | indirect | the season was the worst in memory',
    ],
  );
});
