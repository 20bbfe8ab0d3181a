/**
 * WordNet synonyms: the file's builder reads WordNet's own data format (a word's synonyms are the
 * words of its few most frequent senses), and a question word's synonym in a sentence counts
 * towards matching it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSynonyms, synonymLines } from '../scripts/build-wordnet.js';
import { loadSynonyms, parseSynonyms, type Synonyms } from '../src/engine/synonyms.js';
import { FEATURE_NAMES, passageOf, questionCandidates } from '../src/engine/index.js';
import { knowledgeOf } from './helpers.js';

// Lines in WordNet 3.1's index.verb and data.verb layouts: "buy" has four senses, most frequent first.
const INDEX_VERB = ['  1 This software and database is being provided to you', 'buy v 4 2 @ ~ 4 2 00000001 00000002 00000003 00000004', 'get_hold v 1 0 1 0 00000001'].join('\n');
const DATA_VERB = [
  '00000001 40 v 03 buy 0 purchase 0 get_hold 0 000 | obtain by purchase',
  '00000002 40 v 03 bribe 0 corrupt 0 buy 0 000 | make illegal payments to',
  '00000003 31 v 01 buy 0 000 | accept as true',
  '00000004 31 v 02 buy 0 swallow 0 000 | believe',
].join('\n');

test('a word\u2019s synonyms are the single plain words of its three most frequent senses', () => {
  const synonyms = new Map<string, Set<string>>();
  addSynonyms(synonyms, INDEX_VERB, DATA_VERB);
  // "swallow" is the fourth sense's; "get_hold" is no single word, and has no synonyms of its own.
  assert.deepEqual([...synonyms].map(([w, s]) => [w, [...s].sort()]), [['buy', ['bribe', 'corrupt', 'purchase']]]);
  // The file holds each word's synonyms, then their stems that differ (the index's terms: "purchas" finds "purchased").
  assert.deepEqual(synonymLines(synonyms), ['buy\tbribe corrupt purchase purchas']);
});

test('the synonyms file gives each word its list; comments and unknown words give none; a missing file gives null', () => {
  const synonyms = parseSynonyms('# comment\nbuy\tbribe purchase purchas\nsign\tsymptom\n');
  assert.deepEqual(synonyms.of('buy'), ['bribe', 'purchase', 'purchas']);
  assert.deepEqual(synonyms.of('teapot'), []);
  assert.deepEqual(synonyms.of('# comment'), []);
  assert.deepEqual(parseSynonyms('sign\tsymptom\nbuy\tpurchase\n').of('buy'), ['purchase'], 'lines out of order are sorted');
  assert.equal(loadSynonyms('/nonexistent/synonyms.txt'), null);
});

test('a question word\u2019s synonym in a sentence counts towards matching it', () => {
  const kb = knowledgeOf({ 'ships.md': '# Ships\n\nThe company purchased 12 ships in 2019.\n\nThe ships sail from Oslo.\n' });
  const coverSoft = FEATURE_NAMES.indexOf('coverSoft');
  const cover = (synonyms: Synonyms | null) =>
    questionCandidates(kb, 'When did the company buy its ships?', { neighbours: null, vectors: null, synonyms })!.find((c) => passageOf(kb, c).text.includes('purchased'))!.x[coverSoft];
  const buy = parseSynonyms('buy\tpurchase purchas\n');
  assert.ok(cover(buy) > cover(null) + 0.1, `${cover(buy)} vs ${cover(null)}`);
});
