/**
 * Health and metrics (src/ops): the HTTP server with fake readiness sources, the gateway tracker's
 * rules, the metrics fed by events, the shard-manager merge, and end to end: `src/main.ts` in
 * console mode, as a bot and as a shard manager against the loopback Discord, with HEALTH_PORT=0.
 * A process announces its port in the log line "health server listening" ({ port }) on stderr.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotEventMap } from '../src/app/events.js';
import type { KnowledgeStatus } from '../src/knowledge/store.js';
import { createLogger } from '../src/log.js';
import { createHealthCheck, GatewayTracker, startHealthServer, type HealthReport } from '../src/ops/health.js';
import { createMetrics, mergeMetrics } from '../src/ops/metrics.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { shardForGuild, startFakeDiscord } from './support/fake-discord.js';

const silent = createLogger({ level: 'silent' });

const KNOWLEDGE: KnowledgeStatus = {
  version: '0123456789abcdef',
  documents: 2,
  paragraphs: 17,
  speakers: 5,
  quotes: 9,
  loadedAt: '2026-01-02T03:04:05.000Z',
  loadedBy: 'startup',
  refused: [],
  history: 0,
};

async function get(url: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** The value of one sample line of an exposition, e.g. value(body, 'x_total{a="b"}'). */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// ------------------------------------------------------------------ the server, fake readiness

test('health server: /healthz follows the readiness source (503 with the reason, then 200), /metrics, 404, 405, HEAD', async () => {
  let report: HealthReport = { ok: false, reason: 'the knowledge is not loaded yet', mode: 'console', uptimeSeconds: 0 };
  const metrics = createMetrics({ mode: 'console', events: new EventEmitter<BotEventMap>(), processMetrics: false });
  const server = await startHealthServer({ host: '127.0.0.1', port: 0, health: () => report, metrics: () => metrics.render(), logger: silent });
  try {
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);

    let res = await get(`${server.url}/healthz`);
    assert.equal(res.status, 503);
    assert.match(res.type, /^application\/json/);
    assert.deepEqual(JSON.parse(res.body), report);

    report = { ok: true, mode: 'console', uptimeSeconds: 3 };
    res = await get(`${server.url}/healthz?verbose=1`);
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).ok, true);

    res = await get(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.type, /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^# HELP article_qa_questions_total /m);

    assert.equal((await get(`${server.url}/`)).status, 404);
    assert.equal((await get(`${server.url}/healthz`, { method: 'POST' })).status, 405);
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  } finally {
    await server.close();
    metrics.close();
  }
});

test('health server: a failing /metrics is a 500, the server goes on; close() does not wait for idle keep-alive sockets', async () => {
  const server = await startHealthServer({
    host: '127.0.0.1',
    port: 0,
    health: () => ({ ok: true, mode: 'bot', uptimeSeconds: 0 }),
    metrics: () => Promise.reject(new Error('boom')),
    logger: silent,
  });
  assert.equal((await get(`${server.url}/metrics`)).status, 500);
  assert.equal((await get(`${server.url}/healthz`)).status, 200);
  // fetch keeps the connection alive; close must not hang on it.
  const started = performance.now();
  await server.close();
  assert.ok(performance.now() - started < 2_000);
  await assert.rejects(fetch(`${server.url}/healthz`));
});

test('health server: a port in use is a clear start-up error naming HEALTH_PORT', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    await assert.rejects(
      startHealthServer({ host: '127.0.0.1', port, health: () => ({ ok: true, mode: 'console', uptimeSeconds: 0 }), logger: silent }),
      /health server cannot listen on 127\.0\.0\.1:\d+ \(HEALTH_HOST, HEALTH_PORT\): EADDRINUSE/,
    );
  } finally {
    blocker.close();
  }
});

// ------------------------------------------------------------------ readiness rules

test('health check: console mode goes by the knowledge only; shutting down is 503', () => {
  let knowledge: KnowledgeStatus | null = null;
  let stopping = false;
  const check = createHealthCheck({ mode: 'console', knowledge: () => knowledge, stopping: () => stopping });
  let r = check();
  assert.equal(r.ok, false);
  assert.equal(r.reason, 'the knowledge is not loaded yet');
  assert.deepEqual(r.knowledge, { loaded: false });
  assert.equal(r.gateway, undefined);

  knowledge = KNOWLEDGE;
  r = check();
  assert.equal(r.ok, true);
  assert.equal(r.reason, undefined);
  assert.deepEqual(r.knowledge, { loaded: true, version: KNOWLEDGE.version, documents: 2, paragraphs: 17, speakers: 5, loadedAt: KNOWLEDGE.loadedAt });

  stopping = true;
  r = check();
  assert.equal(r.ok, false);
  assert.equal(r.reason, 'shutting down');
});

test('gateway tracker (bot): not ready before ClientReady; a reconnecting shard is 503 until resumed; a shard error alone changes nothing', () => {
  const events = new EventEmitter<BotEventMap>();
  const gateway = new GatewayTracker(null, events);
  const check = createHealthCheck({ mode: 'bot', knowledge: () => KNOWLEDGE, gateway });
  assert.equal(check().ok, false);
  assert.equal(check().reason, 'the Discord gateway is not ready yet (connecting)');

  events.emit('shardStatus', { shardId: 0, status: 'ready' });
  assert.equal(check().ok, false, 'ShardReady comes before ClientReady: still waiting for the client');
  events.emit('ready', { shards: [0], guilds: 1 });
  assert.equal(check().ok, true);
  assert.deepEqual(check().gateway, { ready: true, shards: { 0: 'ready' } });

  events.emit('shardStatus', { shardId: 0, status: 'reconnecting' });
  assert.equal(check().ok, false);
  assert.equal(check().reason, 'shard not ready: 0 (reconnecting)');
  events.emit('shardStatus', { shardId: 0, status: 'resumed' });
  assert.equal(check().ok, true);

  events.emit('shardStatus', { shardId: 0, status: 'error' });
  assert.equal(check().ok, true);
  assert.equal(check().gateway?.shards[0], 'error', 'the report still shows the last event');

  events.emit('shardStatus', { shardId: 0, status: 'disconnected' });
  assert.equal(check().reason, 'shard not ready: 0 (disconnected)');
  gateway.close();
  events.emit('shardStatus', { shardId: 0, status: 'ready' });
  assert.equal(check().ok, false, 'closed: no longer following');
});

test('gateway tracker (shard manager): every shard of its list must be ready; knowledge is the shards\u2019 business', () => {
  const events = new EventEmitter<BotEventMap>();
  const gateway = new GatewayTracker([0, 1, 2], events);
  const check = createHealthCheck({ mode: 'shard-manager', gateway });
  assert.equal(check().reason, 'shards not ready: 0 (not started), 1 (not started), 2 (not started)');
  assert.equal(check().knowledge, undefined);
  events.emit('shardStatus', { shardId: 0, status: 'spawned' });
  events.emit('shardStatus', { shardId: 0, status: 'ready' });
  events.emit('shardStatus', { shardId: 1, status: 'spawned' });
  assert.equal(check().reason, 'shards not ready: 1 (spawned), 2 (not started)');
  events.emit('shardStatus', { shardId: 1, status: 'ready' });
  events.emit('shardStatus', { shardId: 2, status: 'ready' });
  assert.equal(check().ok, true);
  assert.deepEqual(check().gateway?.shards, { 0: 'ready', 1: 'ready', 2: 'ready' });
  events.emit('shardStatus', { shardId: 1, status: 'died' });
  assert.equal(check().reason, 'shard not ready: 1 (died)');
  events.emit('shardStatus', { shardId: 1, status: 'ready' });
  assert.equal(check().ok, true, 'respawned');
  gateway.close();
});

// ------------------------------------------------------------------ metrics

test('metrics: events become counters and a latency histogram; knowledge and shard status are read at scrape time', async () => {
  const events = new EventEmitter<BotEventMap>();
  let ready = false;
  let knowledge: KnowledgeStatus | null = null;
  const metrics = createMetrics({ mode: 'bot', events, ready: () => ready, knowledge: () => knowledge, processMetrics: false });
  let body = (await metrics.render()).body;
  // Zero series exist before the first event.
  assert.equal(sample(body, 'article_qa_questions_total{source="discord",command="ask"}'), 0);
  assert.equal(sample(body, 'article_qa_feedback_total{vote="down"}'), 0);
  assert.equal(sample(body, 'article_qa_knowledge_refreshes_total{action="upload",result="refused"}'), 0);
  assert.equal(sample(body, 'article_qa_cooldown_hits_total{command="ask"}'), 0);
  assert.equal(sample(body, 'article_qa_ready'), 0);
  assert.equal(sample(body, 'article_qa_knowledge_documents'), 0);
  assert.doesNotMatch(body, /^article_qa_knowledge_info\{/m, 'no version before knowledge is loaded');

  events.emit('question', { source: 'discord', command: 'ask', latencyMs: 4, answered: true });
  events.emit('question', { source: 'discord', command: 'ask', latencyMs: 1500, answered: false });
  events.emit('question', { source: 'discord', command: 'more', latencyMs: 2, answered: true });
  events.emit('feedback', { vote: 'up' });
  events.emit('feedback', { vote: 'up' });
  events.emit('feedback', { vote: 'down' });
  events.emit('refresh', { ok: true, action: 'upload' });
  events.emit('refresh', { ok: false, action: 'upload' });
  events.emit('refresh', { ok: true, action: 'watch' });
  events.emit('cooldown', { command: 'ask', userId: '1' });
  events.emit('shardStatus', { shardId: 0, status: 'reconnecting' });
  ready = true;
  knowledge = KNOWLEDGE;

  body = (await metrics.render()).body;
  assert.equal(sample(body, 'article_qa_questions_total{source="discord",command="ask"}'), 2);
  assert.equal(sample(body, 'article_qa_questions_total{source="discord",command="more"}'), 1);
  assert.equal(sample(body, 'article_qa_answers_total{source="discord",command="ask"}'), 1);
  assert.equal(sample(body, 'article_qa_abstains_total{source="discord",command="ask"}'), 1);
  assert.equal(sample(body, 'article_qa_answer_latency_seconds_count{source="discord",command="ask"}'), 2);
  assert.equal(sample(body, 'article_qa_answer_latency_seconds_bucket{le="0.005",source="discord",command="ask"}'), 1);
  assert.equal(sample(body, 'article_qa_answer_latency_seconds_bucket{le="2",source="discord",command="ask"}'), 2);
  assert.equal(sample(body, 'article_qa_feedback_total{vote="up"}'), 2);
  assert.equal(sample(body, 'article_qa_feedback_total{vote="down"}'), 1);
  assert.equal(sample(body, 'article_qa_knowledge_refreshes_total{action="upload",result="ok"}'), 1);
  assert.equal(sample(body, 'article_qa_knowledge_refreshes_total{action="upload",result="refused"}'), 1);
  assert.equal(sample(body, 'article_qa_knowledge_refreshes_total{action="watch",result="ok"}'), 1);
  assert.equal(sample(body, 'article_qa_cooldown_hits_total{command="ask"}'), 1);
  assert.equal(sample(body, 'article_qa_shard_status{shard="0",status="reconnecting"}'), 1);
  assert.equal(sample(body, 'article_qa_shard_status{shard="0",status="ready"}'), 0);
  assert.equal(sample(body, 'article_qa_ready'), 1);
  assert.equal(sample(body, `article_qa_knowledge_info{version="${KNOWLEDGE.version}"}`), 1);
  assert.equal(sample(body, 'article_qa_knowledge_documents'), 2);
  assert.equal(sample(body, 'article_qa_knowledge_paragraphs'), 17);
  assert.equal(sample(body, 'article_qa_knowledge_speakers'), 5);
  assert.equal(sample(body, 'article_qa_knowledge_quotes'), 9);
  assert.equal(sample(body, 'article_qa_knowledge_loaded_timestamp_seconds'), Date.parse(KNOWLEDGE.loadedAt) / 1000);

  // A new version replaces the label: one knowledge_info series at a time.
  knowledge = { ...KNOWLEDGE, version: 'fedcba9876543210' };
  body = (await metrics.render()).body;
  assert.equal(body.match(/^article_qa_knowledge_info\{/gm)?.length, 1);
  assert.equal(sample(body, 'article_qa_knowledge_info{version="fedcba9876543210"}'), 1);

  metrics.close();
  events.emit('question', { source: 'discord', command: 'ask', latencyMs: 1, answered: true });
  assert.equal(sample((await metrics.render()).body, 'article_qa_questions_total{source="discord",command="ask"}'), 2, 'closed: no longer counting');
});

test('metrics: process metrics by default; the shard manager serves no question series of its own', async () => {
  const manager = createMetrics({ mode: 'shard-manager', events: new EventEmitter<BotEventMap>(), ready: () => true });
  const body = (await manager.render()).body;
  assert.match(body, /^process_cpu_user_seconds_total /m);
  assert.match(body, /^nodejs_heap_size_used_bytes /m);
  assert.match(body, /^# TYPE article_qa_shard_status gauge/m);
  assert.doesNotMatch(body, /article_qa_questions_total/);
  assert.doesNotMatch(body, /article_qa_knowledge_info/);
  manager.close();
});

test('mergeMetrics: the shards\u2019 series side by side (shard label), the manager\u2019s own view first', async () => {
  const managerEvents = new EventEmitter<BotEventMap>();
  const manager = createMetrics({ mode: 'shard-manager', events: managerEvents, ready: () => true, processMetrics: false });
  managerEvents.emit('shardStatus', { shardId: 0, status: 'ready' });
  managerEvents.emit('shardStatus', { shardId: 1, status: 'died' });
  const shards = [0, 1].map((id) => {
    const events = new EventEmitter<BotEventMap>();
    const m = createMetrics({ mode: 'bot', events, knowledge: () => KNOWLEDGE, ready: () => id === 0, defaultLabels: { shard: String(id) }, processMetrics: false });
    for (let i = 0; i <= id; i++) events.emit('question', { source: 'discord', command: 'ask', latencyMs: 3, answered: true });
    // The shard's own view of its connection: must not override the manager's.
    events.emit('shardStatus', { shardId: id, status: 'ready' });
    return m;
  });
  const merged = mergeMetrics([await manager.registry.getMetricsAsJSON(), ...(await Promise.all(shards.map((s) => s.registry.getMetricsAsJSON())))]);
  const body = await merged.metrics();
  assert.equal(sample(body, 'article_qa_questions_total{source="discord",command="ask",shard="0"}'), 1);
  assert.equal(sample(body, 'article_qa_questions_total{source="discord",command="ask",shard="1"}'), 2);
  assert.equal(sample(body, 'article_qa_answer_latency_seconds_count{source="discord",command="ask",shard="1"}'), 2);
  assert.equal(sample(body, `article_qa_knowledge_info{version="${KNOWLEDGE.version}",shard="1"}`), 1);
  assert.equal(sample(body, 'article_qa_ready'), 1, 'the manager\u2019s own');
  assert.equal(sample(body, 'article_qa_ready{shard="1"}'), 0);
  assert.equal(sample(body, 'article_qa_shard_status{shard="1",status="died"}'), 1);
  assert.equal(sample(body, 'article_qa_shard_status{shard="1",status="ready"}'), 0, 'the manager\u2019s view wins over the shard\u2019s');
  assert.equal(body.match(/^# TYPE article_qa_questions_total counter$/gm)?.length, 1, 'one HELP/TYPE per metric');
  const lines = body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
  assert.equal(new Set(lines).size, lines.length, 'no series twice');
  for (const m of [manager, ...shards]) m.close();
});

// ------------------------------------------------------------------ end to end: src/main.ts

interface Main {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The port from the "health server listening" log line. */
  port: Promise<number>;
  exited: Promise<number | null>;
}

function startMain(env: Record<string, string>, cacheDir: string): Main {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, KNOWLEDGE_DIR: join(PACKAGE_ROOT, 'knowledge'), KNOWLEDGE_CACHE_DIR: cacheDir, HEALTH_PORT: '0', LOG_LEVEL: 'info', ...env };
  for (const k of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_API_BASE', 'SHARD_COUNT', 'SHARD_IDS', 'HEALTH_HOST']) if (!(k in env)) delete childEnv[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PACKAGE_ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const port = new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const line = stderr.split('\n').find((l) => l.includes('"health server listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('exit', (code) => reject(new Error(`main exited (${code}) before the health server listened:\n${stderr}`)));
  });
  port.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  void exited.then(() => clearTimeout(killer));
  return { child, stdout: () => stdout, stderr: () => stderr, port, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('end to end, console mode: HEALTH_PORT serves /healthz 200 and /metrics counting the /ask lines; closed at the end of input', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'health-cache-'));
  const main = startMain({}, cacheDir);
  try {
    const port = await main.port;
    const base = `http://127.0.0.1:${port}`;
    // stdin stays open: the console keeps running while we scrape.
    main.child.stdin.write(['/ask Will China attack Ukraine?', '/ask What did Wang Yi say about sanctions?', '/more', '/ask zzxq vvbn wwpt?', ''].join('\n'));
    await until('four replies', async () => (main.stdout().split('\n\n').filter((r) => r.trim()).length >= 4 ? true : undefined));
    assert.match(main.stdout(), /Fan Xianrong/);

    const health = await get(`${base}/healthz`);
    assert.equal(health.status, 200, health.body);
    const report = JSON.parse(health.body) as HealthReport;
    assert.equal(report.mode, 'console');
    assert.equal(report.knowledge?.loaded, true);
    assert.equal(report.gateway, undefined, 'no gateway in console mode');

    const { status, type, body } = await get(`${base}/metrics`);
    assert.equal(status, 200);
    assert.match(type, /^text\/plain/);
    assert.equal(sample(body, 'article_qa_questions_total{source="console",command="ask"}'), 3);
    assert.equal(sample(body, 'article_qa_questions_total{source="console",command="more"}'), 1);
    assert.equal(sample(body, 'article_qa_answers_total{source="console",command="ask"}'), 2);
    assert.equal(sample(body, 'article_qa_abstains_total{source="console",command="ask"}'), 1);
    assert.equal(sample(body, 'article_qa_answer_latency_seconds_count{source="console",command="ask"}'), 3);
    assert.equal(sample(body, 'article_qa_feedback_total{vote="up"}'), 0);
    assert.equal(sample(body, 'article_qa_knowledge_refreshes_total{action="reload",result="ok"}'), 0);
    assert.equal(sample(body, `article_qa_knowledge_info{version="${report.knowledge?.loaded ? report.knowledge.version : ''}"}`), 1);
    assert.equal(sample(body, 'article_qa_knowledge_documents'), 1);
    assert.ok((sample(body, 'article_qa_knowledge_paragraphs') ?? 0) > 0);
    assert.ok((sample(body, 'article_qa_knowledge_speakers') ?? 0) > 0);
    assert.equal(sample(body, 'article_qa_ready'), 1);
    assert.match(body, /^process_resident_memory_bytes \d+/m);
    assert.match(body, /^nodejs_eventloop_lag_seconds /m);

    // A moderator's reload from the console is a refresh.
    main.child.stdin.write('/knowledge reload\n');
    await until('the reload counted', async () => {
      const m = await get(`${base}/metrics`);
      return sample(m.body, 'article_qa_knowledge_refreshes_total{action="reload",result="ok"}') === 1 ? true : undefined;
    });

    main.child.stdin.end();
    assert.equal(await main.exited, 0, main.stderr());
    assert.match(main.stderr(), /"health server closed"/);
    await assert.rejects(fetch(`${base}/healthz`), 'the port is closed after exit');
  } finally {
    main.child.kill('SIGKILL');
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('end to end, bot through the loopback Discord: 503 with the reason until the gateway is ready, then 200; /ask, feedback and cooldown counted; SIGTERM closes it', async () => {
  const discord = await startFakeDiscord();
  const cacheDir = mkdtempSync(join(tmpdir(), 'health-cache-'));
  const main = startMain({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_BASE: discord.apiBase, ASK_COOLDOWN_SECONDS: '30' }, cacheDir);
  try {
    const base = `http://127.0.0.1:${await main.port}`;
    // Served from the start: until the knowledge is loaded and the gateway ready, 503 with the reason.
    const first = await get(`${base}/healthz`);
    if (first.status === 503) assert.match(JSON.parse(first.body).reason, /knowledge is not loaded yet|gateway is not ready yet|shard not ready/);
    else assert.equal(first.status, 200);
    const ready = await until('/healthz 200', async () => {
      const r = await get(`${base}/healthz`);
      return r.status === 200 ? (JSON.parse(r.body) as HealthReport) : undefined;
    });
    assert.equal(ready.mode, 'bot');
    assert.deepEqual(ready.gateway, { ready: true, shards: { 0: 'ready' } });
    assert.equal(ready.knowledge?.loaded, true);

    const asked = discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: 'Will China attack Ukraine?' }] });
    const callback = await asked.waitForCallback(10_000);
    const up = /"custom_id":"(ask:vote:up:[^"]+)"/.exec(JSON.stringify(callback.data.components ?? []))?.[1];
    assert.ok(up, `a 👍 button: ${JSON.stringify(callback.data.components)}`);
    await discord.sendButton({ customId: up }).waitForCallback(10_000);
    // The same member again within the cooldown: told to wait.
    await discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: 'Who is Wang Yi?' }] }).waitForCallback(10_000);

    const body = await until('the counts', async () => {
      const m = await get(`${base}/metrics`);
      return sample(m.body, 'article_qa_cooldown_hits_total{command="ask"}') === 1 ? m.body : undefined;
    });
    assert.equal(sample(body, 'article_qa_questions_total{source="discord",command="ask"}'), 1);
    assert.equal(sample(body, 'article_qa_answers_total{source="discord",command="ask"}'), 1);
    assert.equal(sample(body, 'article_qa_answer_latency_seconds_count{source="discord",command="ask"}'), 1);
    assert.equal(sample(body, 'article_qa_feedback_total{vote="up"}'), 1);
    assert.equal(sample(body, 'article_qa_shard_status{shard="0",status="ready"}'), 1);
    assert.equal(sample(body, 'article_qa_ready'), 1);

    main.child.kill('SIGTERM');
    assert.equal(await main.exited, 0, main.stderr());
    assert.match(main.stderr(), /"health server closed"/);
  } finally {
    main.child.kill('SIGKILL');
    await discord.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('end to end, shard manager (SHARD_COUNT=2): 200 once both shard processes are ready; /metrics merges the shards\u2019 series', async () => {
  const discord = await startFakeDiscord();
  const cacheDir = mkdtempSync(join(tmpdir(), 'health-cache-'));
  const main = startMain(
    { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_BASE: discord.apiBase, SHARD_COUNT: '2', SHARD_SPAWN_DELAY_MS: '0' },
    cacheDir,
  );
  try {
    const base = `http://127.0.0.1:${await main.port}`;
    const first = await get(`${base}/healthz`);
    if (first.status === 503) assert.match(JSON.parse(first.body).reason, /^shards? not ready: /);
    const ready = await until(
      '/healthz 200',
      async () => {
        const r = await get(`${base}/healthz`);
        return r.status === 200 ? (JSON.parse(r.body) as HealthReport) : undefined;
      },
      60_000,
    );
    assert.equal(ready.mode, 'shard-manager');
    assert.deepEqual(ready.gateway?.shards, { 0: 'ready', 1: 'ready' });

    const home = shardForGuild(discord.guildId, 2);
    await discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: 'Will China attack Ukraine?' }] }).waitForCallback(10_000);
    const body = await until('the merged counts', async () => {
      const m = await get(`${base}/metrics`);
      return sample(m.body, `article_qa_questions_total{source="discord",command="ask",shard="${home}"}`) === 1 ? m.body : undefined;
    });
    assert.equal(sample(body, `article_qa_questions_total{source="discord",command="ask",shard="${1 - home}"}`), 0);
    for (const shard of ['0', '1']) {
      assert.equal(sample(body, `article_qa_shard_status{shard="${shard}",status="ready"}`), 1);
      assert.equal(sample(body, `article_qa_ready{shard="${shard}"}`), 1);
      assert.equal(sample(body, `article_qa_knowledge_documents{shard="${shard}"}`), 1);
      assert.match(body, new RegExp(`^process_resident_memory_bytes\\{shard="${shard}"\\} \\d+`, 'm'));
    }
    assert.equal(sample(body, 'article_qa_ready'), 1);
    assert.equal(sample(body, 'article_qa_shard_metrics_missing'), 0);
    assert.match(body, /^process_resident_memory_bytes \d+/m, 'the manager\u2019s own process');

    main.child.kill('SIGTERM');
    assert.equal(await main.exited, 0, main.stderr());
  } finally {
    main.child.kill('SIGKILL');
    await discord.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
