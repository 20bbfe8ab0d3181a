/**
 * The knowledge folder under attack and misuse: links out of the folder, names the loader would
 * skip or the file system cannot hold, hand edits before a rollback, a history that must not grow
 * without end. Every case: a clear reason, nothing lost, nothing outside the folder served.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { KnowledgeStore, HISTORY_DIR } from '../src/knowledge/store.js';
import { answerQuestion } from '../src/engine/index.js';
import { SEED_FILE, fixture } from './helpers.js';

const silent = pino({ level: 'silent' });
const tmp = () => mkdtempSync(join(tmpdir(), 'aqb-folder-'));
const enc = (s: string) => new TextEncoder().encode(s);
const SECRET = '# Private notes\n\nThe vault combination is four, eight, fifteen and sixteen, the treasurer said.\n';

async function storeWithSeed(extra: Record<string, unknown> = {}) {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null, worker: false, ...extra });
  return { dir, store };
}

/** Every byte the history holds, as text. */
function historyText(dir: string): string {
  const h = join(dir, HISTORY_DIR);
  if (!existsSync(h)) return '';
  return readdirSync(h)
    .filter((f) => !lstatSync(join(h, f)).isSymbolicLink())
    .map((f) => readFileSync(join(h, f), 'utf8'))
    .join('\n');
}

test('links are never followed out of the folder: refused by name in status, not served, not copied into history', async () => {
  const outside = tmp();
  writeFileSync(join(outside, 'secret.md'), SECRET);
  mkdirSync(join(outside, 'more'));
  writeFileSync(join(outside, 'more', 'other.md'), SECRET);
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  symlinkSync(join(outside, 'secret.md'), join(dir, 'secret.md'));
  symlinkSync(join(outside, 'more'), join(dir, 'linked-folder'));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null, worker: false });
  const refused = store.status().refused.map((r) => `${r.file}: ${r.reason}`);
  assert.ok(refused.some((r) => /^secret\.md: .*link/.test(r)), `the link is named in status: ${refused.join('; ')}`);
  assert.ok(refused.some((r) => /^linked-folder: .*link/.test(r)), `the linked folder is named in status: ${refused.join('; ')}`);
  assert.equal(store.status().documents, 1);

  // Uploading a file of the link's name, then rolling back, must not bring the link's target in.
  const upload = await store.upload('secret.md', enc('# Public\n\nThe treasurer said the vault is closed for the summer.\n'), 'tester');
  assert.equal(upload.ok, true, upload.message);
  assert.doesNotMatch(historyText(dir), /vault combination/, 'history keeps content, never what a link points to');
  await store.rollback('tester');
  assert.doesNotMatch(existsSync(join(dir, 'secret.md')) ? readFileSync(join(dir, 'secret.md'), 'utf8') : '', /vault combination/);
  assert.doesNotMatch(answerQuestion(store.knowledge, 'What is the vault combination?')?.passage ?? '', /combination/);

  // A link planted in the history is not restored either.
  mkdirSync(join(dir, HISTORY_DIR), { recursive: true });
  symlinkSync(join(outside, 'secret.md'), join(dir, HISTORY_DIR, '9999999999999-0000-planted.md'));
  const planted = await store.rollback('tester');
  assert.doesNotMatch(existsSync(join(dir, 'planted.md')) ? readFileSync(join(dir, 'planted.md'), 'utf8') : '', /vault combination/, planted.message);
  assert.doesNotMatch(answerQuestion(store.knowledge, 'What is the vault combination?')?.passage ?? '', /combination/);
});

test('one naming rule for upload and load: a file the loader would skip is refused at upload with the reason', async () => {
  const { dir, store } = await storeWithSeed();
  const before = store.status().version;
  for (const name of ['.hidden.md', '.article.md']) {
    const r = await store.upload(name, enc('# Hidden\n\nThe harbor is open, the mayor said.\n'), 'tester');
    assert.equal(r.ok, false, `${name} is refused: ${r.message}`);
    assert.match(r.message, /starts with "\."|hidden/);
    assert.ok(!existsSync(join(dir, name)));
  }
  assert.equal(store.status().version, before);
  // What upload accepts, a reload keeps.
  const ok = await store.upload('notes.txt', enc(fixture('articles/plain-notes.txt')), 'tester');
  assert.equal(ok.ok, true);
  const reloaded = await store.reload('tester');
  assert.equal(reloaded.after, ok.after);
});

test('odd file names are refused with the reason, before anything is built or written', async () => {
  const { dir, store } = await storeWithSeed();
  const body = enc('# Title\n\nThe harbor is open, the mayor said.\n');
  const cases: Array<[string, RegExp]> = [
    ['a\0b.md', /control character|NUL/],
    ['tab\there.md', /control character/],
    [`${'x'.repeat(250)}.md`, /too long/],
    [`${'é'.repeat(120)}.md`, /too long/], // 240 bytes in UTF-8
  ];
  for (const [name, reason] of cases) {
    const r = await store.upload(name, body, 'tester');
    assert.equal(r.ok, false, JSON.stringify(name));
    assert.match(r.refused[0]?.reason ?? '', reason, JSON.stringify(name));
    assert.match(r.message, /file name/, 'the reason says it is the name');
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f !== HISTORY_DIR).sort(), ['article.md'], 'no file written (the audit trail in .history aside)');
});

test('rollback after a hand edit keeps the edited version in the history', async () => {
  const { dir, store } = await storeWithSeed();
  const seed = readFileSync(SEED_FILE, 'utf8');
  await store.upload('article.md', enc(seed.replace('rock solid', 'unbreakable')), 'tester');
  const handEdit = seed.replace('rock solid', 'as firm as granite, edited by hand');
  writeFileSync(join(dir, 'article.md'), handEdit);
  const back = await store.rollback('tester');
  assert.equal(back.ok, true, back.message);
  assert.equal(readFileSync(join(dir, 'article.md'), 'utf8'), seed);
  assert.match(historyText(dir), /edited by hand/, 'the hand-edited version was kept before it was replaced');
  const again = await store.rollback('tester');
  assert.equal(again.ok, false, 'the kept copy is not a rollback target: nothing further back');
  assert.equal(readFileSync(join(dir, 'article.md'), 'utf8'), seed);
});

test('the history keeps the last N versions (historyLimit), rollback walks back through them', async () => {
  const { dir, store } = await storeWithSeed({ historyLimit: 3 });
  const seed = readFileSync(SEED_FILE, 'utf8');
  for (let i = 1; i <= 6; i++) {
    const r = await store.upload('article.md', enc(seed.replace('rock solid', `solid ${i}`)), 'tester');
    assert.equal(r.ok, true);
  }
  const entries = readdirSync(join(dir, HISTORY_DIR)).filter((f) => /^\d{13}-/.test(f));
  assert.equal(entries.length, 3, `three versions kept: ${entries.join(', ')}`);
  assert.equal(store.status().history, 3);
  for (const expected of ['solid 5', 'solid 4', 'solid 3']) {
    assert.equal((await store.rollback('tester')).ok, true);
    assert.match(readFileSync(join(dir, 'article.md'), 'utf8'), new RegExp(expected));
  }
  assert.equal((await store.rollback('tester')).ok, false, 'older versions were dropped');
});
