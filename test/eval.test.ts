/** Keeps answer quality from regressing: the shared sample set and the held-out fixture set. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatReport, DEFAULT_EVAL_FILE, type EvalSet } from '../scripts/eval.js';
import { seedKnowledge, knowledgeOf, fixture, FIXTURES } from './helpers.js';

const MIN_ACCURACY = 0.9;

test('shared sample questions on the seed article', { skip: !existsSync(DEFAULT_EVAL_FILE) && 'shared/eval is not beside this checkout' }, () => {
  const report = evaluate(seedKnowledge(), JSON.parse(readFileSync(DEFAULT_EVAL_FILE, 'utf8')) as EvalSet);
  assert.ok(report.accuracy >= MIN_ACCURACY, formatReport(DEFAULT_EVAL_FILE, report));
  assert.equal(report.ask.abstained, report.ask.abstainCases, 'every off-topic sample abstains');
});

test('held-out questions on the fixture articles', () => {
  const k = knowledgeOf({ 'harbor-strike.md': fixture('articles/harbor-strike.md'), 'plain-notes.txt': fixture('articles/plain-notes.txt') });
  const file = join(FIXTURES, 'eval-fixtures.json');
  const report = evaluate(k, JSON.parse(readFileSync(file, 'utf8')) as EvalSet);
  assert.ok(report.accuracy >= MIN_ACCURACY, formatReport(file, report));
});

test('held-out questions on a plain-text article (a summit report)', () => {
  const k = knowledgeOf({ 'summit.txt': fixture('summit/summit.txt') });
  const file = join(FIXTURES, 'summit', 'eval-summit.json');
  const report = evaluate(k, JSON.parse(readFileSync(file, 'utf8')) as EvalSet);
  assert.ok(report.accuracy >= MIN_ACCURACY, formatReport(file, report));
});
