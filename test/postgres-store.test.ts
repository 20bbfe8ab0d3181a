/**
 * The PostgreSQL knowledge store against a real server (test/support/postgres.ts): concurrent
 * migrations, uploads announced to another instance, rollback and history, transactions cut
 * mid-way, and recovery from an outage, including changes made while a replica was away.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createLogger } from '../src/log.js';
import { PostgresKnowledgeFolder } from '../src/knowledge/postgres-folder.js';
import { KnowledgeStore } from '../src/knowledge/store.js';
import { MIGRATIONS } from '../src/knowledge/postgres-migrations.js';
import { PostgresKnowledgeStore, StoreConflictError, StoreUnavailableError, type KnowledgeChange, type PostgresStoreOptions, type StoreHealth } from '../src/knowledge/postgres-store.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';
import { pollUntil, waitForChange } from './support/wait.js';

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let server: PostgresServer;
const opened: PostgresKnowledgeStore[] = [];

before(async () => {
  server = await startPostgres();
});
after(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await server?.destroy();
});

async function open(url: string, options: Partial<PostgresStoreOptions> = {}): Promise<PostgresKnowledgeStore> {
  const store = await PostgresKnowledgeStore.open({ url, logger, backoff: { firstMs: 50, maxMs: 400 }, connectTimeoutMs: 1000, ...options });
  opened.push(store);
  return store;
}

/** Everything a store emits, with a 'change' event for waitForChange. */
function record(store: PostgresKnowledgeStore, events = new EventEmitter()): { changes: KnowledgeChange[]; health: StoreHealth[]; events: EventEmitter } {
  const changes: KnowledgeChange[] = [];
  const health: StoreHealth[] = [];
  store.on('change', (c) => {
    changes.push(c);
    events.emit('change');
  });
  store.on('health', (h) => {
    health.push(h);
    events.emit('change');
  });
  return { changes, health, events };
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const text = (s: string) => Buffer.from(s, 'utf8');
const fileText = async (store: PostgresKnowledgeStore, serverId: string) => Object.fromEntries((await store.read(serverId)).files.map((f) => [f.name, f.bytes.toString('utf8')]));

test('replicas starting at once migrate the schema once, and a second start applies nothing', async () => {
  const url = await server.createDatabase();
  const stores = await Promise.all([1, 2, 3, 4].map(() => open(url)));
  assert.equal(stores.length, 4);
  const rows = await admin(url, (c) => c.query<{ version: number }>('SELECT version FROM knowledge_schema_migrations ORDER BY version'));
  assert.deepEqual(rows.rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
  await open(url);
  const again = await admin(url, (c) => c.query('SELECT count(*)::int AS n FROM knowledge_schema_migrations'));
  assert.equal(again.rows[0].n, MIGRATIONS.length);
});

test('an upload through one instance reaches another by NOTIFY within 2 s; other servers are untouched', async () => {
  const url = await server.createDatabase();
  const a = await open(url);
  const b = await open(url);
  const seenByA = record(a);
  const seenByB = record(b);

  const started = performance.now();
  const change = await a.upload('111', 'harbor.md', text('# Harbor\n\nThe strike ended.\n'), 'mod#1');
  const arrived = await waitForChange(seenByB.events, () => seenByB.changes.find((c) => c.revision === change.revision), 2000, () => new Error('no change notification within 2 s'));
  assert.ok(performance.now() - started < 2000);
  assert.deepEqual(arrived, { serverId: '111', revision: change.revision, action: 'upload', by: 'mod#1', name: 'harbor.md' });
  assert.equal(seenByA.changes.length, 0, 'the uploading instance is not told about its own change');

  assert.deepEqual(await fileText(b, '111'), { 'harbor.md': '# Harbor\n\nThe strike ended.\n' });
  assert.equal(b.revision('111'), change.revision);
  const other = await b.read('222');
  assert.deepEqual(other.files, []);
  assert.equal(other.revision, 0);
  assert.deepEqual(await b.servers(), ['111']);
});

test('rollback restores what each upload replaced, then removes what it added; history is bounded', async () => {
  const url = await server.createDatabase();
  const store = await open(url, { historyLimit: 3 });
  await store.upload('7', 'a.md', text('first'), 'mod');
  await store.upload('7', 'a.md', text('second'), 'mod');
  await store.upload('7', 'b.md', text('other'), 'mod');
  assert.deepEqual(await fileText(store, '7'), { 'a.md': 'second', 'b.md': 'other' });
  assert.equal((await store.read('7')).history, 3);

  const undoB = await store.rollback('7', 'mod');
  assert.equal(undoB?.name, 'b.md');
  assert.deepEqual(await fileText(store, '7'), { 'a.md': 'second' });
  await store.rollback('7', 'mod');
  assert.deepEqual(await fileText(store, '7'), { 'a.md': 'first' });
  await store.rollback('7', 'mod');
  assert.deepEqual(await fileText(store, '7'), {});
  assert.equal(await store.rollback('7', 'mod'), null);

  for (let i = 0; i < 6; i++) await store.upload('8', 'c.md', text(`version ${i}`), 'mod');
  assert.equal((await store.read('8')).history, 3);

  const unchanged = await store.upload('8', 'c.md', text('version 5'), 'mod');
  assert.equal(unchanged.revision, store.revision('8'), 'the same bytes again make no new revision');

  const audit = await store.auditLog('7');
  assert.deepEqual(audit.map((e) => e.action), ['rollback', 'rollback', 'rollback', 'upload', 'upload', 'upload']);
  assert.ok(audit.every((e) => e.by === 'mod' && e.ok && e.revisionAfter! > (e.revisionBefore ?? -1)));
  await store.audit({ serverId: '7', action: 'upload', by: 'mod', ok: false, detail: { reason: 'binary file' } });
  assert.deepEqual((await store.auditLog('7', 1))[0].detail, { reason: 'binary file' });
});

test('a write based on a stale revision is refused and writes nothing', async () => {
  const url = await server.createDatabase();
  const a = await open(url);
  const b = await open(url);
  const first = await a.upload('5', 'x.md', text('one'), 'mod a');
  await b.upload('5', 'x.md', text('two'), 'mod b', first.revision);
  await assert.rejects(a.upload('5', 'x.md', text('three'), 'mod a', first.revision), StoreConflictError);
  assert.deepEqual(await fileText(a, '5'), { 'x.md': 'two' });
});

test('an upload cut off mid-transaction leaves the old version whole and announces nothing', async () => {
  const url = await server.createDatabase();
  const a = await open(url);
  const b = await open(url);
  const seenByB = record(b);
  const first = await a.upload('9', 'doc.md', text('old text'), 'mod');
  await waitForChange(seenByB.events, () => seenByB.changes.find((c) => c.revision === first.revision), 2000, () => new Error('first upload not announced'));
  const before = await a.read('9');

  // Hold the audit table so the upload stops at its last write, after changing the article.
  const blocker = new pg.Client({ connectionString: url });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE knowledge_audit IN EXCLUSIVE MODE');
  const upload = a.upload('9', 'doc.md', text('new text'), 'mod');
  const rejected = assert.rejects(upload, StoreUnavailableError);
  // (Asked outside the blocker's transaction, which would see one snapshot of the activity.)
  const pid = await pollUntil(
    5000,
    () =>
      admin(url, async (c) => {
        const { rows } = await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO knowledge_audit%'");
        return rows[0]?.pid;
      }),
    'the upload waits on the audit table',
  );
  await admin(url, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
  await rejected;
  await blocker.query('COMMIT');
  await blocker.end();

  await waitForChange(record(a).events, () => (a.health.state === 'ok' ? true : undefined), 5000, () => new Error('store did not recover'));
  const after = await a.read('9');
  assert.deepEqual(after.files.map((f) => f.bytes.toString()), ['old text']);
  assert.equal(after.revision, before.revision);
  assert.equal(after.history, before.history);
  assert.deepEqual(seenByB.changes.map((c) => c.revision), [first.revision], 'the cut-off upload was never announced');
});

test('database down: reads and writes say "store unavailable", health degrades, and both recover when it returns', async () => {
  const url = await server.createDatabase();
  const a = await open(url);
  const b = await open(url);
  await a.upload('42', 'doc.md', text('before the outage'), 'mod');
  // One emitter for both: a wait on both stores re-checks on either one's events.
  const seenByA = record(a);
  const seenByB = record(b, seenByA.events);

  await server.stop();
  try {
    await waitForChange(seenByA.events, () => (a.health.state === 'degraded' && b.health.state === 'degraded' ? true : undefined), 5000, () => new Error('health did not degrade'));
    await assert.rejects(a.upload('42', 'doc.md', text('during the outage'), 'mod'), /store unavailable/);
    await assert.rejects(b.read('42'), StoreUnavailableError);
    assert.match(a.health.reason ?? '', /connection/);
  } finally {
    await server.start();
  }
  await waitForChange(seenByA.events, () => (a.health.state === 'ok' && b.health.state === 'ok' ? true : undefined), 10_000, () => new Error('did not reconnect'));

  const change = await b.upload('42', 'doc.md', text('after the outage'), 'mod');
  await waitForChange(seenByA.events, () => seenByA.changes.find((c) => c.revision === change.revision), 2000, () => new Error('no notification after the restart: not listening again'));
  assert.deepEqual(await fileText(a, '42'), { 'doc.md': 'after the outage' });
  assert.ok(!seenByB.changes.some((c) => c.revision === change.revision), 'the uploading instance is not told about its own change');
});

test('a replica that was away catches up on the changes it missed', async () => {
  const url = await server.createDatabase();
  await admin(url, (c) => c.query('CREATE ROLE replica_away LOGIN SUPERUSER'));
  const awayUrl = url.replace('postgres@', 'replica_away@');
  const away = await open(awayUrl);
  const writer = await open(url);
  await writer.upload('1', 'doc.md', text('seen'), 'mod');
  await away.read('1');
  const seen = record(away);

  // Cut the replica off and keep it off while the other one writes.
  await admin(url, async (c) => {
    await c.query('ALTER ROLE replica_away NOLOGIN');
    await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'replica_away'");
  });
  await waitForChange(seen.events, () => (away.health.state === 'degraded' ? true : undefined), 5000, () => new Error('not degraded'));
  const missedA = await writer.upload('1', 'doc.md', text('missed'), 'mod');
  const missedB = await writer.upload('2', 'new.md', text('new server'), 'mod');
  assert.equal(seen.changes.length, 0);

  await admin(url, (c) => c.query('ALTER ROLE replica_away LOGIN'));
  await waitForChange(seen.events, () => (seen.changes.length >= 2 ? true : undefined), 5000, () => new Error(`caught up on ${JSON.stringify(seen.changes)}`));
  assert.deepEqual(
    seen.changes.map((c) => [c.serverId, c.revision, c.action]).sort(),
    [
      ['1', missedA.revision, 'catch-up'],
      ['2', missedB.revision, 'catch-up'],
    ],
  );
  assert.deepEqual(await fileText(away, '1'), { 'doc.md': 'missed' });
});

test('a server as a folder: list, write with history, rollback keeping what it replaces; a write on stale files is refused', async () => {
  const url = await server.createDatabase();
  const a = new PostgresKnowledgeFolder(await open(url), '300');
  const b = new PostgresKnowledgeFolder(await open(url), '300');
  assert.deepEqual(await a.list(), { files: [], refused: [], history: 0 });
  assert.deepEqual(await a.write('one.md', text('first'), 'mod'), { audited: true, history: 1 });
  assert.deepEqual(await a.write('one.md', text('second'), 'mod'), { audited: true, history: 2 });
  assert.equal(Buffer.from((await a.read('one.md'))!).toString(), 'second');
  assert.deepEqual((await a.history()).map((e) => [e.name, e.kind, e.absent]), [['one.md', 'previous', true], ['one.md', 'previous', false]]);
  assert.equal((await a.list()).history, 2, 'the listing counts the versions rollback can restore');

  assert.deepEqual(await a.rollback('mod'), { name: 'one.md', removed: false, audited: true });
  assert.equal(Buffer.from((await a.read('one.md'))!).toString(), 'first');
  assert.deepEqual((await a.history()).map((e) => [e.kind, e.absent]), [['previous', true], ['kept', false]], 'what the rollback replaced is kept');
  assert.equal((await a.list()).history, 1, "'kept' entries are not counted");
  assert.deepEqual(await a.rollback('mod'), { name: 'one.md', removed: true, audited: true });
  assert.equal(await a.rollback('mod'), null);

  await b.list();
  await a.list();
  await a.write('two.md', text('from a'), 'mod');
  await assert.rejects(b.write('two.md', text('from b'), 'mod'), StoreConflictError);
  assert.equal(Buffer.from((await b.read('two.md'))!).toString(), 'from a');
  await b.audit({ at: new Date().toISOString(), action: 'upload', by: 'mod (1)', ok: true, before: 'x', after: 'y', refused: [] });
});

test('through the knowledge store: one audit row per upload and rollback, naming the moderator; a refusal one row too', async () => {
  const url = await server.createDatabase();
  const db = await open(url);
  const store = await KnowledgeStore.open({ folder: new PostgresKnowledgeFolder(db, '400'), logger, cacheDir: null, worker: false, allowEmpty: true });
  const rows = async () => (await db.auditLog('400')).reverse().map((e) => [e.action, e.by, e.ok]);
  // The store appends its own records without waiting (best effort): wait for the one named `by`,
  // which comes after any record an earlier step would have added.
  const rowsUpTo = (by: string) =>
    pollUntil(5000, async () => {
      const r = await rows();
      return r.some((row) => row[1] === by) && r;
    }, `the audit row of ${by}`);
  const article = text('# Harbor\n\nThe harbor master said the pier "will open before the winter storms."\n');

  const uploaded = await store.upload('harbor.md', article, 'mod (1)');
  assert.equal(uploaded.ok, true, uploaded.message);
  assert.equal(store.status().history, 1);
  assert.equal((await store.upload('empty.md', text(''), 'mod (2)')).ok, false);
  assert.deepEqual(await rowsUpTo('mod (2)'), [['upload', 'mod (1)', true], ['upload', 'mod (2)', false]], 'one row for the upload, naming the moderator; one for the refusal');

  const again = await store.upload('harbor.md', article, 'mod (3)');
  assert.equal(again.ok, true, again.message);
  assert.deepEqual((await rowsUpTo('mod (3)')).slice(2), [['upload', 'mod (3)', true]], 'the same bytes again: the database changed nothing, the store records the request');

  const back = await store.rollback('mod (4)');
  assert.equal(back.ok, true, back.message);
  await store.refuseUpload('mod (5)', [{ file: 'photo.png', reason: 'not a knowledge file' }]);
  assert.deepEqual((await rowsUpTo('mod (5)')).slice(3), [['rollback', 'mod (4)', true], ['upload', 'mod (5)', false]], 'one row for the rollback, naming the moderator');
});
