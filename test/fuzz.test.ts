/**
 * Fuzzed questions: real sentences from nlp-corpus (film reviews, UN text, fiction, ...), random
 * characters, emoji and oversized input. Nothing may throw; an answer must always be a verbatim
 * slice of its document with a score above the threshold; off-topic sentences mostly abstain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerQuestion, quotesOf, DEFAULT_THRESHOLD, type Answer } from '../src/engine/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { seedKnowledge } from './helpers.js';

const k = seedKnowledge();
const corpusDir = join(PACKAGE_ROOT, 'node_modules', 'nlp-corpus', 'builds');
const sentences: string[] = JSON.parse(readFileSync(join(corpusDir, 'doc-0.json'), 'utf8'))
  .concat(JSON.parse(readFileSync(join(corpusDir, 'doc-1.json'), 'utf8')))
  .slice(0, 1000);

function checkAnswer(a: Answer | null) {
  if (!a) return;
  const doc = k.documents.find((d) => d.name === a.document)!;
  assert.equal(doc.text.slice(a.start, a.end), a.passage);
  assert.ok(a.score >= DEFAULT_THRESHOLD && a.score <= 1);
}

/** A small deterministic PRNG, so a failure reproduces. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

test('1000 corpus sentences as questions: no throw, verbatim answers, mostly abstain', () => {
  let answered = 0;
  for (const s of sentences) {
    const a = answerQuestion(k, s);
    checkAnswer(a);
    if (a) answered++;
    assert.doesNotThrow(() => quotesOf(k, s));
  }
  // The corpus is about anything but this article: a confident answer should be rare.
  assert.ok(answered / sentences.length < 0.05, `answered ${answered} of ${sentences.length} off-topic sentences`);
});

test('random characters, emoji, control characters, lone surrogates and huge input', () => {
  const rand = rng(42);
  const alphabet = ['a', 'Z', ' ', '?', '“', '"', '\u0000', '\n', '\t', '😀', '🇺🇦', '\ud800', 'é', 'ß', '中', '\u202e', '#', '@everyone', '<@123>', 'China'];
  for (let i = 0; i < 500; i++) {
    const len = Math.floor(rand() * 60);
    const q = Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    checkAnswer(answerQuestion(k, q));
    assert.doesNotThrow(() => quotesOf(k, q));
  }
  for (const q of ['', ' ', '😀'.repeat(3000), 'x'.repeat(6000), 'China '.repeat(1000), '\u0000'.repeat(6000)]) {
    checkAnswer(answerQuestion(k, q));
    assert.doesNotThrow(() => quotesOf(k, q));
  }
});
