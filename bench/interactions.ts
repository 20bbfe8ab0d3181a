/**
 * Load bench of interactions mode (`npm run bench:http`): three bot processes in HTTP mode
 * (`src/main.ts` with INTERACTIONS_PORT), a loopback round-robin in front of them, and N signed
 * /ask interactions posted to it as Discord would (Ed25519, a key pair made here), CONCURRENCY
 * at a time. Prints p50/p99/max of the first response (the HTTP response Discord waits for, 3 s
 * at most), how many went over 3 s, and how each replica's share came out.
 *
 *   npm run bench:http                       # 500 requests, 25 in flight, 3 replicas
 *   npm run bench:http -- --requests 2000 --concurrency 50 --replicas 2
 *   npm run bench:http -- --postgres         # the replicas on a PostgreSQL server started here
 *
 * Traffic stays on 127.0.0.1. With --postgres (Debian's postgresql package installed) the replicas
 * share a real database (DATABASE_URL), as in production: a server's first question loads its
 * knowledge from it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApplicationCommandOptionType, InteractionResponseType, InteractionType } from 'discord.js';
import { BotProcess, SEED_ARTICLE } from '../test/support/bot-process.js';
import { percentile } from '../test/support/stats.js';
import { startFakeDiscord } from '../test/support/fake-discord.js';
import { startPostgres } from '../test/support/postgres.js';
import { PostgresKnowledgeStore } from '../src/knowledge/postgres-store.js';
import { createLogger } from '../src/log.js';
import { startRoundRobin } from '../test/support/round-robin.js';
import { interactionKeyPair, signedHeaders } from '../test/support/signing.js';

const READY = 'ready: taking interactions over HTTP';
/** Varied questions about the bundled article; load, not accuracy, is measured here. */
const QUESTIONS = [
  'Will China attack Ukraine?',
  'What did the ambassador say?',
  'Who said the friendship was rock solid?',
  'Why did China abstain?',
  'What does Beijing think of the sanctions?',
  'When did the foreign minister speak?',
  'Is China helping Russia?',
  'What happened at the United Nations?',
];

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '25' },
    replicas: { type: 'string', default: '3' },
    postgres: { type: 'boolean', default: false },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const replicaCount = Number(values.replicas);

const key = interactionKeyPair();
const root = mkdtempSync(join(tmpdir(), 'bench-http-'));
mkdirSync(join(root, 'knowledge'));
copyFileSync(SEED_ARTICLE, join(root, 'knowledge', 'article.md'));
const discord = await startFakeDiscord();
const replicas: BotProcess[] = [];
const postgres = values.postgres ? await startPostgres() : null;
const databaseUrl = postgres ? await postgres.createDatabase() : undefined;
if (databaseUrl) {
  // The guild has knowledge of its own in the database (the bundled article, uploaded once):
  // each replica loads it on the guild's first question.
  const db = await PostgresKnowledgeStore.open({ url: databaseUrl, logger: createLogger({ level: 'silent' }) });
  await db.upload(discord.guildId, 'article.md', readFileSync(SEED_ARTICLE), 'bench');
  await db.close();
}

try {
  for (let i = 0; i < replicaCount; i++) {
    replicas.push(
      new BotProcess(
        {
          INTERACTIONS_PORT: '0',
          INTERACTIONS_HOST: '127.0.0.1',
          DISCORD_PUBLIC_KEY: key.publicKey,
          DISCORD_API_BASE: discord.apiBase,
          KNOWLEDGE_DIR: join(root, 'knowledge'),
          KNOWLEDGE_CACHE_DIR: join(root, 'cache'),
          ASK_COOLDOWN_SECONDS: '0',
          LOG_LEVEL: 'info',
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        },
        `replica ${i + 1}`,
      ),
    );
  }
  await Promise.all(replicas.map((r) => r.waitForLog(READY, 60_000)));
  const ports = replicas.map((r) => Number(r.logs(READY)[0].port));
  const balancer = await startRoundRobin(ports);
  console.log(`${replicaCount} replicas${postgres ? ' on one PostgreSQL database' : ''} on ports ${ports.join(', ')}, round-robin at ${balancer.url}; ${total} signed /ask, ${concurrency} in flight`);

  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  let sent = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (sent < total) {
      const n = sent++;
      const payload = {
        id: String((BigInt(Date.now()) << 22n) + BigInt(n)),
        application_id: discord.applicationId,
        token: `bench-${n}`,
        type: InteractionType.ApplicationCommand,
        version: 1,
        guild_id: discord.guildId,
        channel_id: discord.channelId,
        locale: 'en-US',
        app_permissions: '0',
        entitlements: [],
        authorizing_integration_owners: { 0: discord.guildId },
        context: 0,
        attachment_size_limit: 25 * 1024 * 1024,
        member: { ...discord.plainMember, user: { ...discord.plainMember.user!, id: String(100000000000000000n + BigInt(n)) } },
        data: { id: '1', name: 'ask', type: 1, options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: QUESTIONS[n % QUESTIONS.length] }] },
      };
      const body = JSON.stringify(payload);
      const t0 = performance.now();
      const res = await fetch(`${balancer.url}/interactions`, { method: 'POST', headers: signedHeaders(body, key.privateKey), body });
      const answer = (await res.json()) as { type?: number };
      latencies.push(performance.now() - t0);
      const label =
        res.status !== 200
          ? `HTTP ${res.status}`
          : answer.type === InteractionResponseType.ChannelMessageWithSource
            ? 'answered inline'
            : answer.type === InteractionResponseType.DeferredChannelMessageWithSource
              ? 'deferred (knowledge loading), answer followed'
              : `type ${answer.type}`;
      statuses.set(label, (statuses.get(label) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await balancer.close();

  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`first response: p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}, max ${fmt(Math.max(...latencies))}; over 3 s: ${latencies.filter((ms) => ms > 3000).length}`);
  console.log(`throughput: ${(total / seconds).toFixed(0)} requests/s over ${seconds.toFixed(1)} s`);
  console.log(`results: ${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  // Each replica logs an answer just after sending it: give the last lines a moment to arrive.
  const counted = () => replicas.reduce((n, r) => n + r.logs('answered /ask').length + r.logs('no confident answer for /ask').length, 0);
  for (let waited = 0; counted() < total && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  console.log(`per replica (answered /ask): ${replicas.map((r) => r.logs('answered /ask').length + r.logs('no confident answer for /ask').length).join(' / ')}`);
  const rssMb = replicas.map((r) => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${r.pid}/status`, 'utf8'))?.[1]);
      return `${(kb / 1024).toFixed(0)} MB`;
    } catch {
      return '?';
    }
  });
  console.log(`resident memory per replica after the run (node + tsx, seed article): ${rssMb.join(' / ')}`);
  const failed = [...statuses.keys()].some((label) => !label.startsWith('answered') && !label.startsWith('deferred'));
  if (latencies.some((ms) => ms > 3000) || failed) {
    process.exitCode = 1;
    console.log(replicas[0].logs('interaction request failed').slice(0, 1).map((l) => JSON.stringify(l.err)).join('\n'));
  }
} finally {
  await Promise.all(replicas.map((r) => r.stop(5000)));
  await discord.close();
  await postgres?.destroy();
  rmSync(root, { recursive: true, force: true });
}
