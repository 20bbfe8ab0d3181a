/**
 * End to end, several replicas on one PostgreSQL database (a real server started here): three bot
 * processes in interactions mode with DATABASE_URL, the stand-in posting signed interactions to
 * whichever replica a test picks. An upload through one is answered by the others within 2 s; a
 * replica SIGKILLed in the middle of its upload transaction loses nothing; a PostgreSQL restart
 * under load crashes nothing, answers go on, and refreshes resume; a gateway-mode bot on the same
 * database shares the servers' knowledge with them both ways.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApplicationCommandOptionType, InteractionResponseType, type APIInteractionGuildMember } from 'discord.js';
import pg from 'pg';
import { MIGRATIONS } from '../src/knowledge/postgres-migrations.js';
import { PostgresKnowledgeStore } from '../src/knowledge/postgres-store.js';
import { createLogger } from '../src/log.js';
import { E2E, type BotProcess, type WorkDir } from './support/bot-process.js';
import type { FakeDiscord } from './support/fake-discord.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';
import { interactionKeyPair } from './support/signing.js';
import { pollUntil } from './support/wait.js';

const READY = 'ready: taking interactions over HTTP';
const HARVEST = `# Harvest Festival Returns to Millbrook

Mayor Linda Okafor said the festival "will bring the whole valley together after three quiet years."
`;
const HARVEST_QUESTION = 'What did Linda Okafor say about the festival?';
const HARVEST_PASSAGE = /bring the whole valley together/;
const BRIDGE = `# Bridge Reopens

Engineer Tomas Reyes said the bridge "is safe for traffic again after a year of repairs."
`;
const BRIDGE_QUESTION = 'What did Tomas Reyes say about the bridge?';
const BRIDGE_PASSAGE = /safe for traffic again/;

const e2e = new E2E();
const key = interactionKeyPair();
const delivery = { url: '', privateKey: key.privateKey };
let postgres: PostgresServer;
let databaseUrl: string;
let discord: FakeDiscord;
let work: WorkDir;
const replicas: BotProcess[] = [];
const ports: number[] = [];

async function startReplica(): Promise<BotProcess> {
  const bot = await e2e.startBot({
    discord,
    work,
    env: { INTERACTIONS_PORT: '0', INTERACTIONS_HOST: '127.0.0.1', DISCORD_PUBLIC_KEY: key.publicKey, DISCORD_TOKEN: '', DATABASE_URL: databaseUrl, HEALTH_PORT: '0' },
    readyLog: READY,
    readyTimeoutMs: 60_000,
  });
  return bot;
}

before(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase();
  discord = await e2e.discord({ httpDelivery: delivery });
  work = e2e.workDir('pg');
  // Three at once: each migrates the schema at start.
  replicas.push(...(await Promise.all([1, 2, 3].map(() => startReplica()))));
  ports.push(...replicas.map((r) => Number(r.logs(READY)[0].port)));
});
after(async () => {
  await e2e.cleanup();
  await postgres?.destroy();
});

/** Sends the next interaction to replica `i`. */
function via(i: number): void {
  delivery.url = `http://127.0.0.1:${ports[i]}/interactions`;
}

/** Asks through replica `i`: the answer's embeds, inline or (a server's knowledge not in memory yet) deferred and edited in. */
async function ask(i: number, question: string): Promise<string> {
  via(i);
  const sent = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: question }] });
  const callback = await sent.waitForCallback();
  if (callback.type === InteractionResponseType.DeferredChannelMessageWithSource) return JSON.stringify((await discord.waitForEdit(sent.id)).body.embeds);
  assert.equal(callback.type, InteractionResponseType.ChannelMessageWithSource);
  assert.ok(callback.elapsedMs < 3000, 'first response within 3 s');
  return JSON.stringify(callback.data.embeds);
}

function upload(i: number, name: string, text: string, member: APIInteractionGuildMember = discord.moderator) {
  via(i);
  const url = discord.serveAttachment(name, Buffer.from(text), 'text/markdown');
  return discord.sendCommand({
    name: 'knowledge',
    member,
    options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'upload', options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: url }] }],
  });
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** How often pollUntil asks again: its checks are interactions to the replicas and queries. */
const EVERY_MS = 50;

test('three replicas migrated one schema at once', async () => {
  const rows = await query<{ version: number; name: string }>('SELECT version, name FROM knowledge_schema_migrations ORDER BY version');
  // Every migration of this code applied (version is the primary key: one row each).
  assert.deepEqual(
    rows.map((r) => [r.version, r.name]),
    [...MIGRATIONS].sort((a, b) => a.version - b.version).map((m) => [m.version, m.name]),
  );
});

test('an upload through one replica is answered by the other two within 2 s', async () => {
  assert.doesNotMatch(await ask(1, HARVEST_QUESTION), HARVEST_PASSAGE, 'not known before');
  const sent = upload(0, 'harvest.md', HARVEST);
  const edit = await discord.waitForEdit(sent.id, 30_000);
  assert.match(JSON.stringify(edit.body.embeds), /Upload applied/);
  const started = performance.now();
  await pollUntil(2000, async () => HARVEST_PASSAGE.test(await ask(1, HARVEST_QUESTION)) && HARVEST_PASSAGE.test(await ask(2, HARVEST_QUESTION)), 'the others answer from the upload', EVERY_MS);
  const tookMs = performance.now() - started;
  console.log(`upload through replica 1 answered by replicas 2 and 3 after ${Math.round(tookMs)} ms`);
  const rows = await query<{ name: string }>('SELECT name FROM knowledge_articles WHERE server_id = $1', [discord.guildId]);
  assert.deepEqual(rows.map((r) => r.name), ['harvest.md']);
});

test('SIGKILL of the uploading replica in the middle of its transaction loses nothing', async () => {
  const before = await query<{ revision: string }>('SELECT revision FROM knowledge_servers WHERE server_id = $1', [discord.guildId]);
  // Hold the audit table: the upload's transaction stops at its last statement, the article written.
  const blocker = new pg.Client({ connectionString: databaseUrl });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE knowledge_audit IN EXCLUSIVE MODE');
  try {
    upload(2, 'bridge.md', BRIDGE);
    await pollUntil(20_000, async () => (await query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO knowledge_audit%'")).length > 0, 'the upload waits inside its transaction', EVERY_MS);
    replicas[2].kill('SIGKILL');
    await replicas[2].exited;
  } finally {
    await blocker.query('COMMIT');
    await blocker.end();
  }
  await pollUntil(5000, async () => (await query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'INSERT INTO knowledge_audit%' AND state <> 'idle'")).length === 0, 'the killed transaction is gone', EVERY_MS);
  const after = await query<{ revision: string }>('SELECT revision FROM knowledge_servers WHERE server_id = $1', [discord.guildId]);
  assert.deepEqual(after, before, 'no new revision');
  assert.deepEqual((await query<{ name: string }>('SELECT name FROM knowledge_articles WHERE server_id = $1 ORDER BY name', [discord.guildId])).map((r) => r.name), ['harvest.md']);
  assert.match(await ask(0, HARVEST_QUESTION), HARVEST_PASSAGE);
  assert.doesNotMatch(await ask(1, BRIDGE_QUESTION), BRIDGE_PASSAGE);

  // A new replica in its place, and the upload done again, whole.
  replicas[2] = await startReplica();
  ports[2] = Number(replicas[2].logs(READY)[0].port);
  const again = upload(2, 'bridge.md', BRIDGE);
  assert.match(JSON.stringify((await discord.waitForEdit(again.id, 30_000)).body.embeds), /Upload applied/);
  await pollUntil(2000, async () => BRIDGE_PASSAGE.test(await ask(0, BRIDGE_QUESTION)), 'the others answer from the repeated upload', EVERY_MS);
  console.log('SIGKILL inside the upload transaction: revision and articles unchanged, the others kept answering; the repeated upload went through');
});

test('PostgreSQL restart under load: no crash, answers go on, /knowledge says unavailable, refresh resumes', async () => {
  let stop = false;
  let asked = 0;
  const failures: string[] = [];
  // Three askers, one question in flight each, round the replicas.
  const load = Promise.all(
    [0, 1, 2].map(async () => {
      while (!stop) {
        const i = asked++ % 3;
        try {
          if (!HARVEST_PASSAGE.test(await ask(i, HARVEST_QUESTION))) failures.push(`replica ${i + 1}: no answer`);
        } catch (err) {
          failures.push(`replica ${i + 1}: ${(err as Error).message}`);
        }
      }
    }),
  );

  // Another server with knowledge of its own that no replica has loaded yet.
  const OTHER_GUILD = '200000000000000002';
  const db = await PostgresKnowledgeStore.open({ url: databaseUrl, logger: createLogger({ level: 'silent' }) });
  await db.upload(OTHER_GUILD, 'harvest.md', Buffer.from(HARVEST), 'operator');
  await db.close();
  await replicas[0].waitForLog((line) => line.msg === 'server knowledge changed elsewhere: swapped in here' && line.serverId === OTHER_GUILD, 5000);
  const outageStarted = performance.now();
  const askedBefore = asked;
  await postgres.stop();
  try {
    await pollUntil(10_000, async () => {
      const states = await Promise.all(ports.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string }).status));
      return states.every((s) => s === 'degraded');
    }, 'every replica reports degraded', EVERY_MS);
    // The ops health endpoint (HEALTH_PORT) says so too, and stays 200: the replica answers.
    const opsPort = Number(replicas[0].logs('health server listening')[0].port);
    const ops = await fetch(`http://127.0.0.1:${opsPort}/healthz`);
    assert.equal(ops.status, 200);
    assert.equal(((await ops.json()) as { database?: { state: string } }).database?.state, 'degraded');
    // That server's question cannot be answered from its own knowledge now, and is never
    // answered from the default: it is told to try again.
    via(0);
    const other = discord.sendCommand({ guildId: OTHER_GUILD, name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: HARVEST_QUESTION }] });
    const otherFirst = await other.waitForCallback();
    const otherText = otherFirst.type === InteractionResponseType.DeferredChannelMessageWithSource ? JSON.stringify((await discord.waitForEdit(other.id)).body) : JSON.stringify(otherFirst.data);
    assert.match(otherText, /knowledge cannot be reached right now/);
    const refused = upload(0, 'bridge.md', `${BRIDGE}\nA later paragraph.\n`);
    assert.match(JSON.stringify((await discord.waitForEdit(refused.id, 30_000)).body.embeds), /store unavailable/);
  } finally {
    await postgres.start();
  }
  await pollUntil(15_000, async () => {
    const states = await Promise.all(ports.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string }).status));
    return states.every((s) => s === 'ok');
  }, 'every replica recovers', EVERY_MS);
  console.log(`PostgreSQL down and back: ${asked - askedBefore} questions answered by the three replicas in ${Math.round(performance.now() - outageStarted)} ms, all of them healthy again`);
  stop = true;
  await load;
  assert.deepEqual(failures, [], 'every question during the outage was answered');
  assert.ok(asked > 10, `answers went on (${asked})`);
  for (const r of replicas) assert.equal(r.exit, null, `${r.name} is still running`);

  const later = upload(1, 'later.md', '# Later\n\nThe council said the library "will open on Sundays from June."\n');
  assert.match(JSON.stringify((await discord.waitForEdit(later.id, 30_000)).body.embeds), /Upload applied/);
  await pollUntil(2000, async () => /open on Sundays/.test(await ask(2, 'When will the library open on Sundays?')), 'refresh resumed after the restart', EVERY_MS);
});

test('a gateway-mode bot on the same database: its upload reaches the HTTP replicas, theirs reaches it', async () => {
  const gateway = await e2e.discord({ guildId: discord.guildId });
  const bot = await e2e.startBot({ discord: gateway, work, env: { DATABASE_URL: databaseUrl } });
  const url = gateway.serveAttachment('ferry.md', Buffer.from('# Ferry\n\nCaptain Ines Moreau said the ferry "will run every hour from May."\n'), 'text/markdown');
  const sent = gateway.sendCommand({
    name: 'knowledge',
    member: gateway.moderator,
    options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'upload', options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: url }] }],
  });
  assert.match(JSON.stringify((await gateway.waitForEdit(sent.id, 30_000)).body.embeds), /Upload applied/);
  await pollUntil(2000, async () => /run every hour/.test(await ask(1, 'What did Ines Moreau say about the ferry?')), 'an HTTP replica answers from the gateway bot\'s upload', EVERY_MS);

  const theirs = upload(0, 'tram.md', '# Tram\n\nDriver Hugo Falk said the tram "will be free on Sundays."\n');
  assert.match(JSON.stringify((await discord.waitForEdit(theirs.id, 30_000)).body.embeds), /Upload applied/);
  await pollUntil(2000, async () => {
    const answer = await gateway.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'What did Hugo Falk say about the tram?' }] }).waitForCallback();
    return /free on Sundays/.test(JSON.stringify(answer.data.embeds));
  }, 'the gateway bot answers from an HTTP replica\'s upload', EVERY_MS);
  await bot.stop(10_000);
});
