/**
 * Per-server knowledge in PostgreSQL, two replicas in one test process (each its own pool,
 * listener and ServerKnowledge) on a real server: an upload through one is answered by the other
 * within 2 s, servers stay apart, a rollback travels too, and a write while the database is down
 * is refused with "store unavailable" while the loaded knowledge keeps answering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createKnowledgeService } from '../src/app/knowledge-service.js';
import { answerQuestion } from '../src/engine/index.js';
import { followDatabaseChanges, PostgresKnowledgeStorage } from '../src/knowledge/postgres-folder.js';
import { PostgresKnowledgeStore } from '../src/knowledge/postgres-store.js';
import { ServerKnowledge } from '../src/knowledge/servers.js';
import { KnowledgeStore } from '../src/knowledge/store.js';
import { createLogger } from '../src/log.js';
import { SEED_FILE } from './helpers.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';
import { pollUntil } from './support/wait.js';

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const SERVER_A = '100000000000000001';
const SERVER_B = '100000000000000002';
const HARVEST = '# Harvest\n\nMayor Linda Okafor said the festival "will bring the whole valley together after three quiet years."\n';
const QUESTION = 'What did Linda Okafor say about the festival?';

let postgres: PostgresServer;
let dir: string;
const closers: Array<() => Promise<void>> = [];

before(async () => {
  postgres = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'qa-pg-servers-'));
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
});
after(async () => {
  for (const close of closers) await close();
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function replica(url: string): Promise<{ servers: ServerKnowledge; db: PostgresKnowledgeStore }> {
  const db = await PostgresKnowledgeStore.open({ url, logger, backoff: { firstMs: 50, maxMs: 400 }, connectTimeoutMs: 1000 });
  closers.push(() => db.close());
  const defaultStore = await KnowledgeStore.open({ dir, logger, cacheDir: null, worker: false });
  const servers = await ServerKnowledge.open({ defaultStore, storage: new PostgresKnowledgeStorage(db), logger, cacheDir: null, memoryBudgetBytes: 64 * 2 ** 20, worker: false });
  followDatabaseChanges(db, servers, logger);
  return { servers, db };
}

const answers = async (servers: ServerKnowledge, serverId: string): Promise<boolean> =>
  /bring the whole valley together/.test(answerQuestion((await servers.answering(serverId)).knowledge, QUESTION)?.passage ?? '');

test('an upload through one replica is answered by the other within 2 s; another server is untouched; a rollback travels too', async () => {
  const url = await postgres.createDatabase();
  const one = await replica(url);
  const two = await replica(url);
  assert.equal(await answers(two.servers, SERVER_A), false, 'not known before');
  await two.servers.answering(SERVER_A); // loaded (the default) on the other replica, as after a first question

  const result = await (await one.servers.own(SERVER_A)).upload('harvest.md', Buffer.from(HARVEST), 'mod (1)');
  assert.equal(result.ok, true, result.message);
  await pollUntil(2000, () => answers(two.servers, SERVER_A), 'the other replica answers from the upload');
  assert.equal(await answers(two.servers, SERVER_B), false, 'server B keeps the default');
  assert.equal((await one.servers.own(SERVER_A)).status().history, 1, 'the uploading replica counts the version it replaced');
  assert.equal((await two.servers.own(SERVER_A)).status().history, 1, 'the reloading replica counts it from the listing');

  const back = await (await two.servers.own(SERVER_A)).rollback('mod (2)');
  assert.equal(back.ok, true, back.message);
  await pollUntil(2000, async () => !(await answers(one.servers, SERVER_A)), 'the rollback reaches the first replica');
  assert.equal((await one.servers.own(SERVER_A)).status().history, 0, 'nothing left to roll back');
});

test('an upload refused before the store saw it is audited in knowledge_audit', async () => {
  const url = await postgres.createDatabase();
  const one = await replica(url);
  const SERVER_D = '100000000000000004';
  const service = createKnowledgeService({ servers: one.servers, logger, shardLabel: 'test' });
  const reply = await service.run({ action: 'refuse-upload', fileName: 'photo.png', reason: 'not a knowledge file: use .md or .txt', by: 'mod (1)' }, { server: SERVER_D });
  assert.equal(reply.kind, 'knowledge-refresh');
  assert.equal(reply.kind === 'knowledge-refresh' && reply.result.ok, false);
  const audit = await one.db.auditLog(SERVER_D);
  assert.equal(audit.length, 1);
  assert.equal(audit[0].action, 'upload');
  assert.equal(audit[0].by, 'mod (1)');
  assert.equal(audit[0].ok, false);
  assert.deepEqual(audit[0].detail?.refused, [{ file: 'photo.png', reason: 'not a knowledge file: use .md or .txt' }]);
  assert.equal(one.servers.hasOwn(SERVER_D), false, 'a refusal gives the server no knowledge of its own');
});

test('database down: loaded knowledge keeps answering, an upload is refused with "store unavailable"; after restart it goes through', async () => {
  const url = await postgres.createDatabase();
  const one = await replica(url);
  const own = await one.servers.own(SERVER_B);
  assert.equal((await own.upload('harvest.md', Buffer.from(HARVEST), 'mod')).ok, true);

  await postgres.stop();
  try {
    await pollUntil(5000, async () => one.db.health.state === 'degraded', 'degraded');
    assert.equal(await answers(one.servers, SERVER_B), true, 'still answering from what is loaded');
    const refused = await own.upload('more.md', Buffer.from('# More\n\nA second article with a paragraph of its own.\n'), 'mod');
    assert.equal(refused.ok, false);
    assert.match(refused.message, /store unavailable/);
  } finally {
    await postgres.start();
  }
  await pollUntil(10_000, async () => one.db.health.state === 'ok', 'recovered');
  const later = await own.upload('more.md', Buffer.from('# More\n\nA second article with a paragraph of its own.\n'), 'mod');
  assert.equal(later.ok, true, later.message);
});

test('a server not in memory while the database is down: its question fails instead of quoting the default; it answers once the database is back', async () => {
  const url = await postgres.createDatabase();
  const one = await replica(url);
  const SERVER_C = '100000000000000003';
  assert.equal((await (await one.servers.own(SERVER_C)).upload('harvest.md', Buffer.from(HARVEST), 'mod')).ok, true);
  const two = await replica(url); // knows SERVER_C has knowledge of its own, has not loaded it

  await postgres.stop();
  try {
    await pollUntil(5000, async () => two.db.health.state === 'degraded', 'degraded');
    await assert.rejects(two.servers.answering(SERVER_C), /store unavailable/);
  } finally {
    await postgres.start();
  }
  await pollUntil(10_000, async () => two.db.health.state === 'ok', 'recovered');
  assert.equal(await answers(two.servers, SERVER_C), true, 'its own knowledge, not the default');
});
