/**
 * End to end, interactions mode: the real bot process (`src/main.ts` with INTERACTIONS_PORT and
 * DISCORD_PUBLIC_KEY, no token) behind a loopback round-robin, with the stand-in posting signed
 * interactions as Discord does to an Interactions Endpoint URL.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ApplicationCommandOptionType, InteractionResponseType } from 'discord.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { E2E, type BotProcess } from './support/bot-process.js';
import type { FakeDiscord } from './support/fake-discord.js';
import { startRoundRobin, type RoundRobin } from './support/round-robin.js';
import { interactionKeyPair, signedHeaders } from './support/signing.js';

const HTTP_READY_LOG = 'ready: taking interactions over HTTP';

const e2e = new E2E();
const key = interactionKeyPair();
const delivery = { url: '', privateKey: key.privateKey };
let discord: FakeDiscord;
let replicas: BotProcess[];
let balancer: RoundRobin;

before(async () => {
  discord = await e2e.discord({ httpDelivery: delivery });
  const work = e2e.workDir('http');
  const env = { INTERACTIONS_PORT: '0', INTERACTIONS_HOST: '127.0.0.1', DISCORD_PUBLIC_KEY: key.publicKey, DISCORD_TOKEN: '' };
  replicas = await Promise.all([1, 2].map(() => e2e.startBot({ discord, work, env, readyLog: HTTP_READY_LOG })));
  const ports = replicas.map((bot) => Number(bot.logs(HTTP_READY_LOG)[0].port));
  balancer = await startRoundRobin(ports);
  delivery.url = `${balancer.url}/interactions`;
});
after(async () => {
  await balancer?.close();
  await e2e.cleanup();
});

test('two replicas without a gateway session answer /ask in the HTTP response, in turn', async () => {
  for (let i = 0; i < 4; i++) {
    const sent = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'Will China attack Ukraine?' }] });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, InteractionResponseType.ChannelMessageWithSource);
    assert.match(JSON.stringify(callback.data.embeds), /Fan Xianrong/);
  }
  for (const bot of replicas) {
    // (The log line follows the HTTP response.)
    await bot.waitForLog((line) => line.msg === 'answered /ask' && bot.logs('answered /ask').length >= 2, 5000);
    assert.equal(bot.logs('answered /ask').length, 2, `${bot.name} answered its share`);
    assert.equal(bot.logs('connected to Discord, taking interactions').length, 0, 'no gateway session');
    // Interactions mode warms the engine at start too.
    await bot.waitForLog((line) => line.msg === "engine warmed up on the knowledge's own sentences", 10_000);
  }
  assert.equal(discord.identifies.length, 0, 'nobody identified on the gateway');
});

test('a forged request through the balancer is refused; /healthz answers per replica', async () => {
  const body = JSON.stringify({ id: '5', application_id: discord.applicationId, token: 't', type: 1, version: 1 });
  const forged = await fetch(`${balancer.url}/interactions`, { method: 'POST', headers: signedHeaders(body, interactionKeyPair().privateKey), body });
  assert.equal(forged.status, 401);
  for (const port of balancer.targets) {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
  }
});

test('SIGTERM: the replica finishes and exits 0 within 10 s', async () => {
  const exit = await replicas[1].stop(10_000);
  assert.equal(exit.code, 0);
});

test('compose.scale.yaml: PostgreSQL and two interactions-mode replicas, secrets from the environment', () => {
  const compose = readFileSync(join(PACKAGE_ROOT, 'compose.scale.yaml'), 'utf8');
  assert.match(compose, /^ {2}postgres:\n {4}image: postgres:/m);
  assert.match(compose, /^ {2}replica-1:\n {4}<<: \*replica/m);
  assert.match(compose, /^ {2}replica-2:\n {4}<<: \*replica/m);
  assert.match(compose, /INTERACTIONS_PORT: "8080"/);
  assert.match(compose, /DATABASE_URL: postgresql:\/\/bot:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/bot/);
  assert.match(compose, /DISCORD_PUBLIC_KEY: \$\{DISCORD_PUBLIC_KEY:\?/);
  assert.doesNotMatch(compose, /DISCORD_TOKEN:/, 'replicas need no token');
});
