/** The CLI contract scripts depend on: `ask` and `quote`, JSON lines, stdin mode, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { FIXTURES, fixture } from './helpers.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'aqb-cli-'));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: PACKAGE_ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, KNOWLEDGE_CACHE_DIR: cacheDir, KNOWLEDGE_DIR: '' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

test('ask --json: one object with exactly the contract fields', () => {
  const r = cli(['ask', '--json', 'Will China attack Ukraine?']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.lines.length, 1);
  const o = JSON.parse(r.lines[0]);
  assert.deepEqual(Object.keys(o), ['question', 'answer']);
  assert.deepEqual(Object.keys(o.answer).sort(), ['document', 'paragraph', 'passage', 'role', 'score', 'section', 'speaker']);
  assert.equal(o.question, 'Will China attack Ukraine?');
  assert.match(o.answer.passage, /will never attack Ukraine/);
  assert.equal(o.answer.speaker, 'Fan Xianrong');
  assert.match(o.answer.role, /ambassador/);
  assert.equal(typeof o.answer.paragraph, 'number');
  assert.equal(typeof o.answer.score, 'number');
});

test('ask from stdin: one line per question, in order, bad questions included', () => {
  const questions = ['What did Wang Yi emphasize?', '', '😀🇺🇦', 'x'.repeat(6000), 'a\u0007b\u001bc', 'What is the capital of Australia?'];
  const r = cli(['ask', '--json'], questions.join('\n') + '\n');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.lines.length, questions.length);
  const objs = r.lines.map((l) => JSON.parse(l));
  objs.forEach((o, i) => assert.equal(o.question, questions[i]));
  assert.match(objs[0].answer.passage, /must not be affected/);
  for (const o of objs.slice(1)) assert.equal(o.answer, null);
});

test('ask without --json prints a readable answer or says there is none', () => {
  const r = cli(['ask', 'What did Andrew Small say?']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /seen as culpable/);
  assert.match(r.out, /— Andrew Small/);
  assert.match(cli(['ask', 'Who won the Super Bowl?']).out, /does not answer/);
});

test('quote --json, --list, stdin and an unknown speaker', () => {
  const wang = JSON.parse(cli(['quote', '--json', 'Wang Yi']).lines[0]);
  assert.deepEqual(Object.keys(wang), ['query', 'speaker', 'quotes']);
  assert.deepEqual(Object.keys(wang.speaker), ['name', 'role', 'aliases']);
  assert.equal(wang.speaker.name, 'Wang Yi');
  assert.deepEqual(Object.keys(wang.quotes[0]), ['text', 'passage', 'kind', 'document', 'section', 'paragraph']);
  assert.ok(wang.quotes.some((q: { text: string }) => q.text.includes('must not be affected')));

  const list = JSON.parse(cli(['quote', '--json', '--list']).lines[0]);
  assert.ok(list.speakers.some((s: { name: string; quotes: number }) => s.name === 'Zhao Lijian' && s.quotes === 2));

  const r = cli(['quote', '--json'], 'Xianrong\nEmmanuel Macron\n\n');
  const [fan, macron, empty] = r.lines.map((l) => JSON.parse(l));
  assert.equal(fan.speaker.name, 'Fan Xianrong');
  assert.deepEqual(macron, { query: 'Emmanuel Macron', speaker: null, quotes: [] });
  assert.deepEqual(empty, { query: '', speaker: null, quotes: [] });
});

test('--knowledge takes a file or a folder; refused files are reported on stderr, the rest answers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aqb-cli-k-'));
  writeFileSync(join(dir, 'bad.md'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(dir, 'strike.md'), fixture('articles/harbor-strike.md'));
  const r = cli(['ask', '--json', '--knowledge', dir, 'Who is the president of the dockworkers union?']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /bad\.md.*binary/);
  assert.equal(JSON.parse(r.lines[0]).answer.speaker, 'Maria Delgado');
  const single = cli(['quote', '--json', '--knowledge', join(FIXTURES, 'articles', 'plain-notes.txt'), 'Okafor']);
  assert.equal(JSON.parse(single.lines[0]).speaker.name, 'James Okafor');
  const missing = cli(['ask', '--json', '--knowledge', join(dir, 'nope'), 'x']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope/);
});

test('--server ID answers from that server\'s own knowledge; a server without its own uses the default', () => {
  const serversDir = mkdtempSync(join(tmpdir(), 'aqb-cli-servers-'));
  const id = '111111111111111111';
  mkdirSync(join(serversDir, id));
  writeFileSync(join(serversDir, id, 'strike.md'), fixture('articles/harbor-strike.md'));
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, KNOWLEDGE_CACHE_DIR: cacheDir, KNOWLEDGE_DIR: '', SERVERS_DIR: serversDir },
    timeout: 60_000,
  });
  const own = run(['ask', '--json', '--server', id, 'Who is the president of the dockworkers union?']);
  assert.equal(own.status, 0, own.stderr);
  assert.equal(JSON.parse(own.stdout).answer.speaker, 'Maria Delgado');
  const other = run(['ask', '--json', '--server', '222222222222222222', 'Who is the president of the dockworkers union?']);
  assert.equal(other.status, 0, other.stderr);
  assert.notEqual(JSON.parse(other.stdout).answer?.speaker, 'Maria Delgado', 'another server does not see it');
  const china = run(['ask', '--json', '--server', '222222222222222222', 'Will China attack Ukraine?']);
  assert.match(JSON.parse(china.stdout).answer.passage, /never attack Ukraine/, 'it answers from the default');
  const bad = run(['ask', '--json', '--server', 'nope', 'x']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--server needs a Discord server id/);
});
