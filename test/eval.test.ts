/** Keeps answer quality from regressing: the shared sample set and the held-out fixture set. */
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatReport, DEFAULT_EVAL_FILE, type EvalSet } from '../scripts/eval.js';
import { seedKnowledge, knowledgeOf, fixture, FIXTURES } from './helpers.js';
import { PACKAGE_ROOT } from '../src/paths.js';

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

test('the scripts refuse an option they do not take with their usage, and fit writes nothing then', () => {
  const weights = join(PACKAGE_ROOT, 'src', 'engine', 'weights.ts');
  const before = statSync(weights).mtimeMs;
  const run = (script: string, args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  const fit = run('scripts/fit.ts', ['--chek']);
  assert.equal(fit.status, 2, fit.stderr);
  assert.match(fit.stderr, /Unknown option '--chek'[\s\S]*usage: npm run fit/);
  assert.equal(statSync(weights).mtimeMs, before, 'the weights file was not rewritten');
  const part = run('scripts/eval.ts', ['--squad', 'meassure']);
  assert.equal(part.status, 2, part.stderr);
  assert.match(part.stderr, /--squad takes measure, fit, all, not "meassure"[\s\S]*usage:/);
  assert.doesNotMatch(part.stderr + part.stdout, /at .*\.ts:\d+/, 'no stack trace');
});
