/**
 * Each server its own knowledge, in one process: a server answers from its own folder, servers
 * without one share the bundled default, and own knowledge is loaded on first use and evicted
 * least recently used under the memory budget, then loaded again (from the index cache) when
 * asked. 300 servers with small knowledge under a budget that holds a handful keep answering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createKnowledgeService } from '../src/app/knowledge-service.js';
import { answerQuestion } from '../src/engine/index.js';
import { FsKnowledgeStorage, ServerKnowledge } from '../src/knowledge/servers.js';
import { KnowledgeStore } from '../src/knowledge/store.js';
import { SEED_FILE } from './helpers.js';
import { server } from './support/harbor-servers.js';

const silent = pino({ level: 'silent' });
const tmp = () => mkdtempSync(join(tmpdir(), 'aqb-servers-'));
function article(master: string): string {
  return `# Harbor news\n\nThe harbor master is ${master}, who has run the port for nine years.\n\n${master} said the new pier "will open before the winter storms," according to the port office.\n\nFishing boats returned early on Tuesday because of high winds.\n`;
}

async function setup(count: number, budgetBytes: number) {
  const defaultDir = tmp();
  writeFileSync(join(defaultDir, 'article.md'), readFileSync(SEED_FILE));
  const serversDir = tmp();
  const cacheDir = tmp();
  for (let i = 0; i < count; i++) {
    const { id, master } = server(i);
    mkdirSync(join(serversDir, id));
    writeFileSync(join(serversDir, id, 'harbor.md'), article(master));
  }
  const defaultStore = await KnowledgeStore.open({ dir: defaultDir, logger: silent, cacheDir, worker: false });
  const servers = await ServerKnowledge.open({ defaultStore, storage: new FsKnowledgeStorage(serversDir), logger: silent, cacheDir, memoryBudgetBytes: budgetBytes, worker: false });
  return { servers, serversDir, defaultStore };
}

test('a server answers from its own folder; others, DMs and user installs share the one default', async () => {
  const { servers, defaultStore } = await setup(2, 64 * 2 ** 20);
  const a = await servers.answering(server(0).id);
  const b = await servers.answering(server(1).id);
  assert.match(answerQuestion(a.knowledge, 'Who is the harbor master?')?.passage ?? '', new RegExp(server(0).master));
  assert.doesNotMatch(answerQuestion(b.knowledge, 'Who is the harbor master?')?.passage ?? '', new RegExp(server(0).master), 'server 1 never sees server 0\'s article');
  assert.equal(await servers.answering('222222222222222222'), defaultStore, 'a server without its own folder: the default');
  assert.equal(await servers.answering(null), defaultStore, 'a DM: the default');
  assert.equal(servers.peek('333333333333333333'), defaultStore, 'the default is always in memory');
});

test('an upload refused before the store saw it is in the server folder\'s audit trail; the server stays on the default', async () => {
  const { servers, serversDir, defaultStore } = await setup(0, 64 * 2 ** 20);
  const id = server(9).id;
  const service = createKnowledgeService({ servers, logger: silent, shardLabel: 'test' });
  const reply = await service.run({ action: 'refuse-upload', fileName: 'photo.png', reason: 'not a knowledge file: use .md or .txt', by: 'mod (1)' }, { server: id });
  assert.equal(reply.kind, 'knowledge-refresh');
  if (reply.kind !== 'knowledge-refresh') return;
  assert.equal(reply.result.ok, false);
  assert.deepEqual(reply.result.refused, [{ file: 'photo.png', reason: 'not a knowledge file: use .md or .txt' }]);
  assert.match(reply.result.message, /^refused: photo\.png: not a knowledge file: use \.md or \.txt\. The knowledge in service is unchanged/);
  const trail = readFileSync(join(serversDir, id, '.history', 'audit.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(trail.length, 1);
  assert.deepEqual({ ...trail[0], at: undefined }, { at: undefined, action: 'upload', by: 'mod (1)', ok: false, before: 'none', after: 'none', refused: [{ file: 'photo.png', reason: 'not a knowledge file: use .md or .txt' }] });
  assert.deepEqual(readdirSync(join(serversDir, id)), ['.history'], 'nothing written but the trail');
  assert.equal(await servers.answering(id), defaultStore, 'still the default');
  assert.equal(servers.hasOwn(id), false);
});

test('an upload gives a server its own knowledge; rolling it back returns the server to the default', async () => {
  const { servers, serversDir, defaultStore } = await setup(0, 64 * 2 ** 20);
  const id = server(7).id;
  const own = await servers.own(id);
  assert.equal(own.loaded, false, 'nothing of its own yet');
  assert.equal(await servers.answering(id), defaultStore);
  const r = await own.upload('harbor.md', new TextEncoder().encode(article(server(7).master)), 'mod');
  assert.equal(r.ok, true, r.message);
  assert.match(readFileSync(join(serversDir, id, 'harbor.md'), 'utf8'), new RegExp(server(7).master));
  assert.equal(await servers.answering(id), own);
  assert.equal(await servers.answering(server(8).id), defaultStore, 'another server is untouched');
  const back = await own.rollback('mod');
  assert.equal(back.ok, true, back.message);
  assert.equal(await servers.answering(id), defaultStore, 'no files of its own left: the default again');
});

test('300 servers with their own small knowledge under a small memory budget keep answering', { timeout: 180_000 }, async () => {
  const COUNT = 300;
  const probe = await setup(1, 64 * 2 ** 20);
  const oneServer = (await probe.servers.own(server(0).id)).memoryBytes;
  assert.ok(oneServer > 0);
  const budget = oneServer * 10; // room for about ten servers at a time
  const { servers } = await setup(COUNT, budget);
  // Two rounds: the first builds (and caches) every server, the second reloads evicted ones from the cache.
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < COUNT; i++) {
      const { id, master } = server(i);
      const store = await servers.answering(id);
      const answer = answerQuestion(store.knowledge, 'Who is the harbor master?');
      assert.match(answer?.passage ?? '', new RegExp(master), `server ${i}, round ${round}`);
      const { bytes, budgetBytes } = servers.stats();
      assert.ok(bytes <= budgetBytes, `loaded knowledge ${bytes} B stays within the budget ${budgetBytes} B`);
    }
  }
  const stats = servers.stats();
  assert.equal(stats.servers, COUNT);
  assert.ok(stats.loaded <= 10 && stats.loaded >= 5, `a handful loaded at a time: ${stats.loaded}`);
  assert.ok(stats.evictions >= 2 * COUNT - 20, `servers were evicted and loaded again: ${stats.evictions}`);
});
