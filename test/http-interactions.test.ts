/**
 * Interactions mode over HTTP: the loopback Discord stand-in posts interactions signed with a key
 * pair made here (as Discord does to an Interactions Endpoint URL) to the real server, router and
 * commands; follow-ups go back to the stand-in's REST API. Forged, unsigned, tampered, stale and
 * replayed requests are refused before anything runs; oversized and stalled bodies are cut off.
 */
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { loadCommands } from '../commands/index.js';
import { createClient } from '../src/bot/client.js';
import { renderReplyMessage } from '../src/bot/render.js';
import { askReply } from '../src/app/replies.js';
import { loadConfig } from '../src/config.js';
import { createResponder } from '../src/http/responder.js';
import { startInteractionsServer, type InteractionsServer } from '../src/http/server.js';
import { startHttpInteractions, type RunningHttpInteractions } from '../src/http/start.js';
import { createVerifier } from '../src/http/verify.js';
import { FsKnowledgeStorage, ServerKnowledge } from '../src/knowledge/servers.js';
import { KnowledgeStore } from '../src/knowledge/store.js';
import { createLogger } from '../src/log.js';
import { SEED_ARTICLE } from './support/bot-process.js';
import { startFakeDiscord, type FakeDiscord } from './support/fake-discord.js';
import { assertMessage } from './support/payloads.js';
import { interactionKeyPair as keyPair, signedHeaders as sign } from './support/signing.js';

const logger = createLogger({ level: 'silent' });
const HARVEST = `# Harvest Festival Returns to Millbrook

Mayor Linda Okafor said the festival "will bring the whole valley together after three quiet years."
`;

const discordKey = keyPair();
const delivery = { url: '', privateKey: discordKey.privateKey };
let discord: FakeDiscord;
let store: KnowledgeStore;
let running: RunningHttpInteractions;
let dir: string;
let endpoint: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qa-http-'));
  mkdirSync(join(dir, 'knowledge'));
  copyFileSync(SEED_ARTICLE, join(dir, 'knowledge', 'article.md'));
  discord = await startFakeDiscord({ httpDelivery: delivery });
  const config = loadConfig({ DISCORD_API_BASE: discord.apiBase, KNOWLEDGE_DIR: join(dir, 'knowledge'), KNOWLEDGE_ATTACHMENT_HOSTS: '127.0.0.1', ASK_COOLDOWN_SECONDS: '0' });
  store = await KnowledgeStore.open({ dir: config.KNOWLEDGE_DIR, logger, cacheDir: null });
  const servers = await ServerKnowledge.open({ defaultStore: store, storage: new FsKnowledgeStorage(join(dir, 'servers')), logger, cacheDir: null, memoryBudgetBytes: 2 ** 26 });
  running = await startHttpInteractions({ config, servers, logger, commands: loadCommands(), port: 0, host: '127.0.0.1', publicKey: discordKey.publicKey });
  endpoint = `http://127.0.0.1:${running.port}/interactions`;
  delivery.url = endpoint;
});
after(async () => {
  await running?.stop(1000);
  await discord?.close();
  rmSync(dir, { recursive: true, force: true });
});

function signedHeaders(body: string, key: KeyObject = discordKey.privateKey, timestamp?: number): Record<string, string> {
  return sign(body, key, timestamp);
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(endpoint, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A moderator's upload payload, built by the stand-in but not sent: what an attacker would replay or forge. */
function uploadPayload(): string {
  const url = discord.serveAttachment('harvest.md', Buffer.from(HARVEST), 'text/markdown');
  const interaction = {
    id: String(BigInt(Date.now()) << 22n),
    application_id: discord.applicationId,
    token: 'forged-token',
    type: 2,
    version: 1,
    guild_id: discord.guildId,
    channel_id: discord.channelId,
    member: discord.moderator,
    data: { id: '1', name: 'knowledge', type: 1, options: [{ type: 1, name: 'upload', options: [{ type: 11, name: 'file', value: '9' }] }], resolved: { attachments: { '9': { id: '9', filename: 'harvest.md', size: HARVEST.length, url, proxy_url: url } } } },
  };
  return JSON.stringify(interaction);
}

test('PING is answered with PONG', async () => {
  const body = JSON.stringify({ id: '1', application_id: discord.applicationId, token: 't', type: 1, version: 1 });
  const res = await post(body, signedHeaders(body));
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { type: InteractionResponseType.Pong });
});

test('/ask is answered in the HTTP response with exactly what gateway mode sends', async () => {
  const question = 'Will China attack Ukraine?';
  const sent = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: question }] });
  const callback = await sent.waitForCallback();
  assert.equal(discord.interactionResponses(sent.id).httpStatus, 200);
  assert.equal(callback.type, InteractionResponseType.ChannelMessageWithSource);
  assertMessage(callback.data);
  const expected = JSON.parse(JSON.stringify(renderReplyMessage(askReply(store.knowledge, question))));
  assert.deepEqual(callback.data.embeds, expected.embeds);
  // The "More" button carries a key to the question kept by this replica (random per answer).
  const withoutKey = (components: unknown) => JSON.parse(JSON.stringify(components).replace(/(ask:more:[0-9a-z]+:\d+):[0-9a-z]{10}"/g, '$1"'));
  assert.deepEqual(withoutKey(callback.data.components), expected.components);
  assert.equal(callback.data.allowed_mentions?.parse?.length, 0);
  // The callback route of the REST API was not used: the answer went in the HTTP response.
  assert.ok(!discord.requests.some((r) => r.route.startsWith(`/interactions/${sent.id}/`)));
});

test('autocomplete and a button answer inline too', async () => {
  const auto = discord.sendAutocomplete({ name: 'quote', options: [{ type: ApplicationCommandOptionType.String, name: 'speaker', value: 'wang', focused: true }] });
  const choices = await auto.waitForCallback();
  assert.equal(choices.type, InteractionResponseType.ApplicationCommandAutocompleteResult);
  assert.ok(choices.data.choices!.some((c) => /Wang/.test(c.name)), JSON.stringify(choices.data));

  const question = 'Will China attack Ukraine?';
  const sentAsk = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: question }] });
  const asked = await sentAsk.waitForCallback();
  const customId = /"custom_id":"(ask:[^"]+)"/.exec(JSON.stringify(asked.data.components))?.[1];
  assert.ok(customId, 'the answer has buttons');
  const record = discord.interactionResponses(sentAsk.id);
  const pressed = await discord.sendButton({ customId, message: record.original }).waitForCallback();
  assert.equal(pressed.type, InteractionResponseType.ChannelMessageWithSource);
  assert.equal(pressed.data.flags, MessageFlags.Ephemeral);
});

test('/knowledge upload: deferred in the HTTP response, the result edited in through the webhook, then answered from', async () => {
  const url = discord.serveAttachment('harvest.md', Buffer.from(HARVEST), 'text/markdown');
  const sent = discord.sendCommand({
    name: 'knowledge',
    member: discord.moderator,
    options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'upload', options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: url }] }],
  });
  const callback = await sent.waitForCallback();
  assert.equal(callback.type, InteractionResponseType.DeferredChannelMessageWithSource);
  assert.equal(callback.data.flags, MessageFlags.Ephemeral);
  const edit = await discord.waitForEdit(sent.id, 20_000);
  assert.equal(edit.messageId, '@original');
  assert.match(JSON.stringify(edit.body.embeds), /Upload applied/);
  const answer = await discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'What did Linda Okafor say about the festival?' }] }).waitForCallback();
  assert.match(JSON.stringify(answer.data.embeds), /bring the whole valley together/);
});

test('unsigned, forged, tampered, stale and replayed requests get 401 and run nothing', async () => {
  const versionBefore = store.knowledge.version;
  const fetchesBefore = discord.attachmentFetches.length;
  const requestsBefore = discord.requests.length;
  const body = uploadPayload();

  const unsigned = await post(body, { 'content-type': 'application/json' });
  assert.equal(unsigned.status, 401);
  assert.match(String(unsigned.json.error), /unsigned/);

  const forged = await post(body, signedHeaders(body, keyPair().privateKey));
  assert.equal(forged.status, 401);
  assert.match(String(forged.json.error), /bad signature/);

  const headers = signedHeaders(body);
  const tampered = await post(body.replace('harvest', 'harvesT'), headers);
  assert.equal(tampered.status, 401);

  const swappedTime = await post(body, { ...headers, 'x-signature-timestamp': String(Number(headers['x-signature-timestamp']) + 1) });
  assert.equal(swappedTime.status, 401, 'the timestamp is part of what is signed');

  const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
  const stale = await post(body, signedHeaders(body, discordKey.privateKey, tenMinutesAgo));
  assert.equal(stale.status, 401);
  assert.match(String(stale.json.error), /stale/);

  // The same request twice: the first runs (the token is ours, so its answer goes nowhere), the copy is refused.
  const ping = JSON.stringify({ id: '77', application_id: discord.applicationId, token: 't', type: 1, version: 1 });
  const pingHeaders = signedHeaders(ping);
  assert.equal((await post(ping, pingHeaders)).status, 200);
  const replayed = await post(ping, pingHeaders);
  assert.equal(replayed.status, 401);
  assert.match(String(replayed.json.error), /replayed/);

  assert.equal(store.knowledge.version, versionBefore, 'knowledge unchanged');
  assert.equal(discord.attachmentFetches.length, fetchesBefore, 'no attachment was downloaded');
  assert.equal(discord.requests.length, requestsBefore, 'nothing was sent to Discord');
});

test('an oversized body gets 413, a malformed one 400, other paths 404, /healthz reports ready', async () => {
  const big = JSON.stringify({ id: '1', type: 2, pad: 'x'.repeat(300 * 1024) });
  const res = await fetch(endpoint, { method: 'POST', headers: signedHeaders(big), body: big });
  assert.equal(res.status, 413);

  const notJson = 'not json';
  assert.equal((await post(notJson, signedHeaders(notJson))).status, 400);
  const notInteraction = JSON.stringify({ hello: 'world' });
  assert.equal((await post(notInteraction, signedHeaders(notInteraction))).status, 400);

  assert.equal((await fetch(`http://127.0.0.1:${running.port}/other`)).status, 404);
  assert.equal((await fetch(endpoint)).status, 405);
  const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
  assert.equal(health.status, 200);
  const report = (await health.json()) as { ready: boolean; status: string; knowledge: { version: string } };
  assert.equal(report.status, 'ok');
  assert.equal(report.knowledge.version, store.knowledge.version);
});

test('a stalled request is cut off by the request timeout', async () => {
  const server: InteractionsServer = await startInteractionsServer({
    port: 0,
    host: '127.0.0.1',
    verifier: createVerifier(discordKey.publicKey),
    respond: () => Promise.reject(new Error('must not run')),
    readiness: () => ({ ready: true, status: 'ok' }),
    logger,
    requestTimeoutMs: 500,
  });
  try {
    const started = performance.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        // Headers and half the body, then nothing.
        socket.write('POST /interactions HTTP/1.1\r\nHost: x\r\nX-Signature-Ed25519: ' + 'a'.repeat(128) + '\r\nX-Signature-Timestamp: 1\r\nContent-Length: 100\r\n\r\n{"id":');
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.ok(performance.now() - started < 5000);
  } finally {
    await server.close();
  }
});

test('a handler slower than the defer deadline: deferred ephemerally, its answer edited in through the webhook', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const responder = createResponder({ apiBase: discord.apiBase, logger, deferAfterMs: 100 });
  const client = createClient({ DISCORD_API_BASE: discord.apiBase }, { rest: { api: discord.apiBase, makeRequest: responder.makeRequest } });
  responder.attach(client, (interaction: Interaction) => {
    void (async () => {
      await gate;
      await (interaction as ChatInputCommandInteraction).reply({ content: 'late but here' });
    })();
  });
  const server = await startInteractionsServer({ port: 0, host: '127.0.0.1', verifier: createVerifier(discordKey.publicKey), respond: (p) => responder.respond(p), readiness: () => ({ ready: true, status: 'ok' }), logger });
  const savedUrl = delivery.url;
  delivery.url = `http://127.0.0.1:${server.port}/interactions`;
  try {
    const sent = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'slow?' }] });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, InteractionResponseType.DeferredChannelMessageWithSource);
    assert.equal(callback.data.flags, MessageFlags.Ephemeral, 'a late answer never turns public by accident');
    release();
    const edit = await discord.waitForEdit(sent.id);
    assert.equal(edit.messageId, '@original');
    assert.equal(edit.body.content, 'late but here');
  } finally {
    delivery.url = savedUrl;
    await server.close();
    await client.destroy();
  }
});
