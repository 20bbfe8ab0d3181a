/**
 * End to end with SHARD_COUNT=2: src/main.ts becomes a ShardingManager running two shard
 * processes against the loopback Discord. Both shards identify; the guild's interactions reach
 * its shard, DMs reach shard 0 (the other one here); an upload on one shard reaches the other,
 * and /knowledge status lists every shard's version. SIGTERM stops the manager and both shards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationCommandOptionType, InteractionResponseType, type APIEmbed } from 'discord.js';
import { E2E, ON_DEFAULT, type BotProcess } from './support/bot-process.js';
import { shardForGuild, type FakeDiscord } from './support/fake-discord.js';
import { answerOf, assertMessage, assertReply } from './support/payloads.js';

const e2e = new E2E();
let discord: FakeDiscord;
let manager: BotProcess;

/** A guild id on shard 1 of 2, so DMs (shard 0) are served by the other shard. */
function guildOnShardOne(): string {
  const timestamp = BigInt(Date.now() - 1_420_070_400_000) | 1n;
  return (timestamp << 22n).toString();
}

const ISLAND = `---
title: "Ferry Returns to Harlow Island"
---

# Ferry Returns to Harlow Island

The ferry to Harlow Island will run twice a day from June 3, the island council said on Tuesday.

Council chair Nadia Brook said the service "will end the island's long winter of isolation."
`;

async function knowledge(subcommand: 'status' | 'upload', fileUrl?: string): Promise<APIEmbed> {
  const options = [...(fileUrl ? [{ type: ApplicationCommandOptionType.Attachment as const, name: 'file', value: fileUrl }] : []), ON_DEFAULT];
  const sent = discord.sendCommand({ name: 'knowledge', member: discord.moderator, options: [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options }] });
  const callback = await sent.waitForCallback();
  assert.equal(callback.type, InteractionResponseType.DeferredChannelMessageWithSource);
  assert.equal(callback.data.flags, 64);
  const edit = await discord.waitForEdit(sent.id, 30_000);
  assertMessage(edit.body);
  return edit.body.embeds![0];
}

function shardVersions(status: APIEmbed): Record<string, string> {
  assert.equal(status.title, 'Knowledge status');
  return Object.fromEntries((status.fields ?? []).map((field) => [field.name, /^version `([0-9a-f]+)`/.exec(field.value)?.[1] ?? field.value]));
}

before(async () => {
  discord = await e2e.discord({ guildId: guildOnShardOne() });
  assert.equal(shardForGuild(discord.guildId, 2), 1);
  manager = await e2e.startBot({
    discord,
    work: e2e.workDir('shards'),
    env: { SHARD_COUNT: '2', SHARD_SPAWN_DELAY_MS: '0' },
    readyLog: 'every shard is ready',
    readyTimeoutMs: 60_000,
  });
});

after(() => e2e.cleanup());

test('both shards identify with the token, the Guilds intent and their shard', () => {
  assert.deepEqual(discord.identifies.map((identify) => identify.shard).sort(), [
    [0, 2],
    [1, 2],
  ]);
  for (const identify of discord.identifies) {
    assert.equal(identify.token, discord.token);
    assert.equal(identify.intents, 1);
  }
  const shardPids = new Set(manager.lines.filter((line) => line.mode === 'bot').map((line) => line.pid));
  assert.equal(shardPids.size, 2, 'two shard processes');
});

test('the guild\u2019s shard and the other shard (DMs) both answer /ask', async () => {
  const inGuild = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'Will China attack Ukraine?' }] });
  assert.equal(answerOf(assertReply(await inGuild.waitForCallback(), { ephemeral: false })).attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');
  const inDm = discord.sendCommand({ name: 'ask', guildId: null, options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'Will China attack Ukraine?' }] });
  assert.equal(answerOf(assertReply(await inDm.waitForCallback(), { ephemeral: false })).attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');
  const byShard = (id: string) => manager.lines.find((line) => line.msg === 'answered /ask' && line.interactionId === id);
  await manager.waitForLog(() => Boolean(byShard(inGuild.id) && byShard(inDm.id)));
  assert.deepEqual([byShard(inGuild.id)!.shards, byShard(inDm.id)!.shards], ['1', '0']);
});

test('an upload to the default on one shard reaches the other; status lists each shard\u2019s version', { timeout: 60_000 }, async () => {
  const before = shardVersions(await knowledge('status'));
  assert.deepEqual(Object.keys(before), ['Shard 1', 'Shard 0'], 'this shard first, then the others');
  assert.equal(before['Shard 0'], before['Shard 1']);

  const reply = await knowledge('upload', discord.serveAttachment('island.md', Buffer.from(ISLAND), 'text/markdown'));
  assert.equal(reply.title, 'Upload applied');
  const shards = reply.fields?.find((field) => field.name === 'Shards')?.value ?? '';
  const [, , after] = /`([0-9a-f]+)` → `([0-9a-f]+)`/.exec(reply.fields?.[0].value ?? '') ?? [];
  assert.ok(after && after !== before['Shard 0']);
  assert.equal(shards, `Shard 1: \`${after}\`\nShard 0: \`${after}\``);
  // The broadcast reaches every shard; shard 0 re-read the folder and took the new version.
  const reread = await manager.waitForLog((line) => line.msg === 'knowledge re-read on request of another shard' && line.shards === '0');
  assert.deepEqual([reread.ok, reread.after], [true, after]);

  const status = await knowledge('status');
  assert.deepEqual(shardVersions(status), { 'Shard 1': after, 'Shard 0': after });
  assert.equal(status.description, 'Showing the bundled default knowledge (shared by every server without its own).\nEvery shard serves the same version.');

  // Shard 0 (DMs) answers from the uploaded file.
  const inDm = discord.sendCommand({ name: 'ask', guildId: null, options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'When will the ferry to Harlow Island run?' }] });
  const answer = answerOf(assertReply(await inDm.waitForCallback(), { ephemeral: false }));
  assert.match(answer.footer, /^island\.md · /);
});

test('SIGTERM stops the manager and both shard processes, exit 0 within 10 s', { timeout: 20_000 }, async () => {
  const shardPids = [...new Set(manager.lines.filter((line) => line.mode === 'bot').map((line) => line.pid))];
  const exit = await manager.stop(10_000);
  assert.deepEqual([exit.code, exit.signal], [0, null]);
  assert.ok(manager.logs('every shard process has exited').length === 1);
  for (const pid of shardPids) {
    assert.throws(() => process.kill(pid, 0), /ESRCH/, `shard process ${pid} is gone`);
  }
});

test('the logs of the manager and the shards never contain the token', () => {
  const output = e2e.allOutput();
  assert.ok(output.includes('every shard is ready'));
  assert.ok(!output.includes(discord.token));
});
