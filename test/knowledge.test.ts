import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { validateKnowledgeFile, MAX_KNOWLEDGE_FILE_BYTES } from '../src/knowledge/validate.js';
import { loadKnowledgeSources, validateFiles } from '../src/knowledge/loader.js';
import { FsKnowledgeFolder } from '../src/knowledge/folder.js';
import { WORKER_THRESHOLD_BYTES } from '../src/knowledge/builder.js';
import { KnowledgeStore, HISTORY_DIR, warnMissingWordData } from '../src/knowledge/store.js';
import { filesKey, readCachedKnowledge, writeCachedKnowledge } from '../src/knowledge/cache.js';
import { KnowledgeFileError } from '../src/engine/parse.js';
import { answerQuestion, buildKnowledge, PERSON_NOUNS_PATH } from '../src/engine/index.js';
import { SEED_FILE, fixture } from './helpers.js';

const silent = pino({ level: 'silent' });
const tmp = () => mkdtempSync(join(tmpdir(), 'aqb-'));
const enc = (s: string) => new TextEncoder().encode(s);

function refusedWith(fn: () => unknown, reason: RegExp, line?: number) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof KnowledgeFileError);
    assert.match(e.reason, reason);
    if (line !== undefined) assert.equal(e.line, line);
    return true;
  });
}

test('validation refuses bad files with the file, the reason and the line', () => {
  refusedWith(() => validateKnowledgeFile('a.md', new Uint8Array()), /empty/);
  refusedWith(() => validateKnowledgeFile('a.md', enc(' \n\n  \n')), /empty/);
  refusedWith(() => validateKnowledgeFile('a.md', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10])), /binary/);
  refusedWith(() => validateKnowledgeFile('a.md', Uint8Array.from([...enc('Title\n\nline two ok\nbad '), 0xff, 0xfe, 0x41])), /not UTF-8/, 4);
  refusedWith(() => validateKnowledgeFile('a.pdf', enc('Title\n\nText.')), /\.md or \.txt/);
  refusedWith(() => validateKnowledgeFile('a.md', new Uint8Array(MAX_KNOWLEDGE_FILE_BYTES + 1).fill(0x61)), /too large/);
  refusedWith(() => validateKnowledgeFile('a.md', enc('# Only a title\n')), /no paragraphs/);
  refusedWith(() => validateKnowledgeFile('a.md', enc('---\ntitle: x\n: nothing\n---\nBody.\n')), /key: value/, 3);
  const ok = validateKnowledgeFile('a.md', enc('\ufeff# T\n\nBody text.\n'));
  assert.equal(ok.text, '# T\n\nBody text.\n', 'a BOM is dropped, nothing else changes');
});

test('a folder loads its good files and refuses the bad ones, each with its reason', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'good.md'), readFileSync(SEED_FILE));
  writeFileSync(join(dir, 'notes.txt'), fixture('articles/plain-notes.txt'));
  writeFileSync(join(dir, 'empty.md'), '');
  writeFileSync(join(dir, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  writeFileSync(join(dir, 'ignored.json'), '{}');
  mkdirSync(join(dir, HISTORY_DIR));
  writeFileSync(join(dir, HISTORY_DIR, 'old.md'), 'Old text.');
  const { sources, refused } = loadKnowledgeSources(dir);
  assert.deepEqual(sources.map((s) => s.name), ['good.md', 'notes.txt']);
  assert.deepEqual(refused.map((r) => [r.file, /empty|binary/.exec(r.reason)?.[0]]), [['empty.md', 'empty'], ['image.txt', 'binary']]);
});

test('store: upload validates, keeps history, swaps; a bad upload changes nothing; rollback restores', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null });
  const v1 = store.status().version;
  assert.equal(store.status().documents, 1);

  const bad = await store.upload('broken.md', Buffer.from([0x00, 0x01, 0x02]), 'tester');
  assert.equal(bad.ok, false);
  assert.match(bad.message, /broken\.md(:\d+)?: binary/);
  assert.equal(store.status().version, v1);
  assert.ok(!existsSync(join(dir, 'broken.md')), 'nothing written for a refused file');

  const good = await store.upload('notes.txt', enc(fixture('articles/plain-notes.txt')), 'tester');
  assert.equal(good.ok, true, good.message);
  assert.notEqual(good.after, v1);
  assert.equal(store.status().documents, 2);
  assert.equal(answerQuestion(store.knowledge, 'What did James Okafor say about the branches?')?.speaker, 'James Okafor');

  const edited = readFileSync(SEED_FILE, 'utf8').replace('rock solid', 'unbreakable');
  const replaced = await store.upload('article.md', enc(edited), 'tester');
  assert.equal(replaced.ok, true);
  assert.equal(store.status().history, 2);

  const back = await store.rollback('tester');
  assert.equal(back.ok, true, back.message);
  assert.match(back.message, /^restored the previous version of article\.md\. /);
  assert.equal(readFileSync(join(dir, 'article.md'), 'utf8'), readFileSync(SEED_FILE, 'utf8'), 'the previous version is restored whole');
  const back2 = await store.rollback('tester');
  assert.equal(back2.ok, true);
  assert.match(back2.message, /^removed notes\.txt, which the upload rolled back had added\. /, 'the moderator is told the file is gone, not "restored"');
  assert.ok(!existsSync(join(dir, 'notes.txt')), 'rolling back an added file removes it');
  assert.equal(store.status().version, v1);
  assert.equal((await store.rollback('tester')).ok, false, 'nothing left to roll back');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
});

test('store: reload reports refused files and keeps serving the good ones', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null });
  writeFileSync(join(dir, 'bad.md'), '---\ntitle: never closed\n');
  const r = await store.reload('tester');
  assert.equal(r.ok, true);
  assert.match(r.refused[0].reason, /never closed/);
  assert.equal(store.status().documents, 1);
  assert.ok(answerQuestion(store.knowledge, 'Will China attack Ukraine?'));
});

test('store: a folder with no loadable file cannot open', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'empty.md'), '');
  await assert.rejects(KnowledgeStore.open({ dir, logger: silent, cacheDir: null }), /empty\.md: empty/);
});

test('store: builds in a worker thread when asked, with the same result', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const inWorker = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null, worker: true });
  const inline = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null, worker: false });
  assert.equal(inWorker.status().version, inline.status().version);
  assert.deepEqual(answerQuestion(inWorker.knowledge, 'What did Wang Yi emphasize?'), answerQuestion(inline.knowledge, 'What did Wang Yi emphasize?'));
});

test('cache: a valid entry is reused; a corrupt or stale one is ignored', async () => {
  const dir = tmp();
  const cacheDir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  writeFileSync(join(dir, 'empty.md'), '');
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir });
  const key = filesKey(new FsKnowledgeFolder(dir).listSync().files);
  const cached = readCachedKnowledge(cacheDir, key);
  assert.ok(cached);
  assert.deepEqual(answerQuestion(cached.knowledge, 'Will China attack Ukraine?'), answerQuestion(store.knowledge, 'Will China attack Ukraine?'));
  assert.deepEqual(cached.refused.map((r) => r.file), ['empty.md'], 'the refusals are cached with the build');
  assert.ok(cached.bytes > 10_000, 'the size of the build is known');
  const file = join(cacheDir, `knowledge-${key}.bin`);
  const bytes = readFileSync(file);
  bytes[bytes.length - 10] ^= 0xff;
  writeFileSync(file, bytes);
  assert.equal(readCachedKnowledge(cacheDir, key), null, 'checksum mismatch');
  writeFileSync(file, bytes.subarray(0, 100));
  assert.equal(readCachedKnowledge(cacheDir, key), null, 'truncated');
  assert.equal(readCachedKnowledge(cacheDir, 'ffffffffffffffff'), null, 'absent');
  // A corrupt cache is rebuilt, never trusted.
  const again = await KnowledgeStore.open({ dir, logger: silent, cacheDir });
  assert.ok(answerQuestion(again.knowledge, 'Will China attack Ukraine?'));
  assert.deepEqual(again.status().refused.map((r) => r.file), ['empty.md']);
  assert.ok(readCachedKnowledge(cacheDir, key), 'the rebuild is cached again');
  writeCachedKnowledge(cacheDir, key, again.knowledge, []);
  assert.ok(readCachedKnowledge(cacheDir, key));
});

test('a file is parsed once: validation parses it, the build reuses that', async () => {
  const listed = { files: [{ name: 'article.md', bytes: readFileSync(SEED_FILE) }], refused: [] };
  const { sources } = validateFiles(listed);
  const parsed = sources[0].parsed!;
  assert.ok(parsed, 'validation keeps what it parsed');
  // The build reads the parse it is given: a paragraph list changed here shows in the result.
  const trimmed = { ...parsed, paragraphs: parsed.paragraphs.slice(0, 2) };
  const k = buildKnowledge([{ ...sources[0], parsed: trimmed }]);
  assert.equal(k.documents[0].paragraphs.length, 2, 'the build used the parse it was given, it did not parse again');
});

test('store: temp files of an interrupted write are removed; a history entry equal to the file is skipped by rollback', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  writeFileSync(join(dir, '.article.md.12345.1764000000000.tmp'), 'half a file');
  mkdirSync(join(dir, HISTORY_DIR));
  // As if killed after saving history: the entry holds what is already in place.
  writeFileSync(join(dir, HISTORY_DIR, '1764000000000-0000-article.md'), readFileSync(SEED_FILE));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null });
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  const r = await store.rollback('tester');
  assert.equal(r.ok, false, 'nothing real to roll back');
  assert.equal(readFileSync(join(dir, 'article.md'), 'utf8'), readFileSync(SEED_FILE, 'utf8'));
});

test('store: the folder watch skips the echo of its own upload but picks up a real edit', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const lines: Array<{ msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const store = await KnowledgeStore.open({ dir, logger, cacheDir: null, worker: false });
  const swaps: string[] = [];
  store.on('swap', (r: { action: string }) => swaps.push(r.action));
  const stop = store.watch(50);
  const settle = () => new Promise((r) => setTimeout(r, 400));
  try {
    await store.upload('notes.txt', enc(fixture('articles/plain-notes.txt')), 'tester');
    await settle();
    assert.deepEqual(swaps, ['upload'], 'no second rebuild for the store\'s own write');
    assert.ok(lines.some((l) => /own write/.test(l.msg)), 'the echo was seen and skipped');
    writeFileSync(join(dir, 'notes.txt'), fixture('articles/plain-notes.txt').replace('two branches', 'three branches'));
    await settle();
    assert.deepEqual(swaps, ['upload', 'watch'], 'an edit on disk is reloaded');
  } finally {
    stop();
  }
});

test('a large upload is checked and built in the worker, not on the main thread; a bad one is refused from there', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const lines: Array<{ msg: string; worker?: boolean; version?: string | null }> = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const store = await KnowledgeStore.open({ dir, logger, cacheDir: null });
  const paragraphs = Array.from({ length: 4000 }, (_, i) => `The harbor master said on day ${i} that the port would stay open.`);
  const big = enc(`# Harbor log\n\n${paragraphs.join('\n\n')}\n`);
  assert.ok(big.length > WORKER_THRESHOLD_BYTES);
  const ok = await store.upload('harbor.md', big, 'tester');
  assert.equal(ok.ok, true, ok.message);
  const bad = new Uint8Array(big.length + 1);
  bad.set(big);
  const refused = await store.upload('harbor-bad.md', bad, 'tester'); // a NUL at the end: binary
  assert.equal(refused.ok, false);
  assert.match(refused.message, /harbor-bad\.md:\d+: binary/);
  const builds = lines.filter((l) => l.msg === 'knowledge built');
  assert.deepEqual(builds.map((l) => [l.worker, l.version === null]), [[false, false], [true, false], [true, true]], 'startup in the thread; both uploads in the worker');
});

test('a refresh says which files it added, changed and removed', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null, worker: false });
  const added = await store.upload('notes.txt', enc(fixture('articles/plain-notes.txt')), 'tester');
  assert.match(added.message, /Files: added notes\.txt$/);
  const seed = readFileSync(SEED_FILE, 'utf8');
  const changed = await store.upload('article.md', enc(seed.replace('rock solid', 'unbreakable')), 'tester');
  assert.match(changed.message, /Files: changed article\.md$/);
  writeFileSync(join(dir, 'article.md'), seed);
  rmSync(join(dir, 'notes.txt'));
  const reloaded = await store.reload('tester');
  assert.match(reloaded.message, /Files: changed article\.md; removed notes\.txt$/);
});

test('missing word data files are warned about with what each missing file costs, and not when all are there', async () => {
  const lines: Array<{ level: string; msg: string; path?: string; component?: string }> = [];
  const logger = pino({ level: 'info', formatters: { level: (label) => ({ level: label }) } }, { write: (line: string) => void lines.push(JSON.parse(line)) });

  assert.deepEqual(warnMissingWordData(logger, { neighbours: () => null, vectors: () => null, antonyms: () => null, synonyms: () => null, personNouns: () => null }), {
    neighbours: true,
    vectors: true,
    antonyms: true,
    synonyms: true,
    personNouns: true,
  });
  assert.deepEqual(
    lines.map((l) => [l.level, l.component, l.msg]),
    [
      ['warn', 'knowledge', 'word vectors not found or unreadable: answering lexically, without paraphrases (run `npm run vectors`)'],
      ['warn', 'knowledge', 'quantized word vectors not found or unreadable: answering without meaning-level matching (run `npm run vectors`)'],
      ['warn', 'knowledge', 'antonym list not found or unreadable: opposites ("largest", "smallest") may pass for paraphrases (run `npm run wordnet`)'],
      ['warn', 'knowledge', 'synonym list not found or unreadable: answering without WordNet synonyms ("purchase" for "buy") (run `npm run wordnet`)'],
      ['warn', 'knowledge', 'person-noun list not found or unreadable: unnamed speakers outside the hand lists ("some cardiologists said") go unattributed (run `npm run wordnet`)'],
    ],
  );
  lines.length = 0;
  assert.deepEqual(warnMissingWordData(logger, { neighbours: () => ({}), vectors: () => ({}), antonyms: () => ({}), synonyms: () => ({}), personNouns: () => ({}) }), {
    neighbours: false,
    vectors: false,
    antonyms: false,
    synonyms: false,
    personNouns: false,
  });
  assert.equal(lines.length, 0, 'nothing said when all are there');
  const onlyPeople = warnMissingWordData(logger, { neighbours: () => ({}), vectors: () => ({}), antonyms: () => ({}), synonyms: () => ({}), personNouns: () => null });
  assert.deepEqual(Object.entries(onlyPeople).filter(([, m]) => m).map(([name]) => name), ['personNouns'], 'each file is checked by its own loader');
  assert.deepEqual(lines.map((l) => l.path), [PERSON_NOUNS_PATH], 'one warning, naming the missing file');

});
