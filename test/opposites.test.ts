/**
 * Sentences that contradict a question rather than answer it (SQuAD 2.0's near misses swap a word
 * for its opposite or a number for another). Word opposites come from WordNet: the file's builder
 * reads WordNet's own data format, the engine never takes an opposite for a paraphrase, and a
 * sentence that says the opposite of what was asked is marked, as is one with a swapped number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { antonymPairs } from '../scripts/build-wordnet.js';
import { degrees, loadAntonyms, parseAntonyms } from '../src/engine/antonyms.js';
import { stems } from '../src/engine/nlp.js';
import { analyzeQuestion } from '../src/engine/question.js';
import { candidatesFor } from '../src/engine/features.js';
import { FEATURE_NAMES } from '../src/engine/index.js';
import { defaultWordNeighbours, defaultWordVectors } from '../src/engine/word-data.js';
import { knowledgeOf } from './helpers.js';

// Lines in WordNet 3.1's data.adj layout: offset, lexicographer file, type, word count (hex),
// words with lexical ids, pointer count, pointers (symbol, offset, pos, source/target in hex).
const DATA_ADJ = [
  '  1 This software and database is being provided to you, the LICENSEE, by Princeton University',
  '01385286 00 a 02 large 0 big 0 002 ! 01394557 a 0101 & 01386125 s 0000 | above average in size',
  '01394557 00 a 01 small 0 001 ! 01385286 a 0101 | limited or below average in number',
  '01386125 00 s 01 great_big 0 001 & 01385286 a 0000 | very large',
  '02500000 00 a 01 well-known 0 001 ! 02500001 a 0101 | widely known',
  '02500001 00 a 01 unknown 0 001 ! 02500000 a 0101 | not known',
].join('\n');

test('antonym pairs are read from WordNet data lines: single plain words only, each pair once', () => {
  // large/small from both sides is one pair; "big" is not the pointer's source word; the
  // hyphenated word is dropped, and the licence header is skipped.
  assert.deepEqual(antonymPairs(DATA_ADJ), [['large', 'small']]);
});

test('a word\u2019s opposites come with their stems and the forms of degree the text may use', () => {
  const antonyms = parseAntonyms('# comment\nlarge\tsmall\ndecrease\tincrease\n', stems);
  assert.deepEqual([...antonyms.of('large')].sort(), ['small', 'smaller', 'smallest']);
  assert.ok(antonyms.of('increase').includes('decreas'), 'the stem finds "decreased" and "decreasing"');
  assert.ok(antonyms.of('small').includes('large') && antonyms.of('small').includes('larger'));
  assert.deepEqual(antonyms.of('teapot'), []);
  assert.deepEqual(degrees('big'), ['bigger', 'biggest']);
  assert.deepEqual(degrees('early'), ['earlier', 'earliest']);
  assert.equal(loadAntonyms(stems, '/nonexistent/antonyms.txt'), null);
});

test('an opposite is never a paraphrase, and a sentence holding the opposite of a question word it lacks is marked', () => {
  const kb = knowledgeOf({
    'lakes.md': '# Lakes\n\nLake Ordu is the smallest lake in the province.\n\nLake Varn is the deepest lake in the province.\n',
  });
  const antonyms = parseAntonyms('large\tsmall\n', stems);
  const vectors = defaultWordVectors();
  const neighbours = defaultWordNeighbours();
  const a = analyzeQuestion(kb, 'Which is the largest lake in the province?', { neighbours, vectors, antonyms });
  const largest = a.terms.find((t) => t.text === 'largest')!;
  const smallest = kb.index.surfaceTerms.get('smallest')!;
  assert.ok(largest.opposites.has(smallest));
  assert.ok(!largest.alts.has(smallest));
  const feature = FEATURE_NAMES.indexOf('antonym');
  const marked = (c: ReturnType<typeof candidatesFor>[number]) => c.x[feature];
  const holdsSmallest = (c: ReturnType<typeof candidatesFor>[number]) =>
    kb.index.sentTerms.slice(kb.index.sentTermStart[c.sentence], kb.index.sentTermStart[c.sentence + 1]).includes(smallest);
  // Every candidate is marked exactly when its sentence says "smallest"; both kinds are there.
  const candidates = candidatesFor(kb, a, vectors);
  assert.deepEqual(candidates.map((c) => marked(c)), candidates.map((c) => (holdsSmallest(c) ? 1 : 0)));
  assert.deepEqual(new Set(candidates.map(holdsSmallest)), new Set([true, false]));
  // Without the list, nothing is an opposite.
  const plain = analyzeQuestion(kb, 'Which is the largest lake in the province?', { neighbours, vectors });
  const plainLargest = plain.terms.find((t) => t.text === 'largest')!;
  assert.equal(plainLargest.opposites.size, 0);
  assert.ok(plainLargest.alts.has(smallest), 'word vectors alone take "smallest" for a paraphrase of "largest"');
  assert.ok(candidatesFor(kb, plain, vectors).every((c) => marked(c) === 0));
});

test('a sentence that has another number where the question has one is marked as a swapped number', () => {
  const kb = knowledgeOf({
    'academies.md': '# Statement\n\nIn 2001, 16 national science academies issued a joint statement on climate change.\n\nThe academies meet every year in Geneva.\n',
  });
  const swap = FEATURE_NAMES.indexOf('numberSwap');
  const marks = (q: string) => candidatesFor(kb, analyzeQuestion(kb, q), null).map((c) => c.x[swap]);
  // The statement has a number, but not the question's 12: marked. The other sentence has no number.
  assert.deepEqual(marks('In what year did 12 national science academies issue a joint statement?'), [1, 0]);
  assert.deepEqual(marks('In what year did 16 national science academies issue a joint statement?'), [0, 0]);
  assert.deepEqual(marks('In what year did the national science academies issue a joint statement?'), [0, 0]);
});
