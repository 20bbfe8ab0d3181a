/**
 * End to end, two servers on one bot (the real discord.js client against the loopback Discord):
 * each server's /knowledge touches only its own knowledge. An upload in server A answers in A and
 * is invisible in B, whose members keep the bundled default; a member with Manage Server in B
 * changes B only and cannot reach A's files; the default is for bot owners only; a DM answers
 * from the default. After a restart, A's first question loads its knowledge lazily (deferred,
 * then answered) while B still answers at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationCommandOptionType, InteractionResponseType, type APIEmbed, type APIInteractionGuildMember } from 'discord.js';
import { E2E, READY_LOG, type BotProcess, type WorkDir } from './support/bot-process.js';
import type { FakeDiscord } from './support/fake-discord.js';
import { answerOf, assertMessage, assertReply } from './support/payloads.js';

const e2e = new E2E();
let discord: FakeDiscord;
let work: WorkDir;
let bot: BotProcess;
let guildA = '';
const guildB = '300000000000000001';

const HARVEST = `# Harvest Festival Returns to Millbrook

The town of Millbrook will hold its first harvest festival in three years on October 12, the mayor's office announced on Monday.

Mayor Linda Okafor said the festival "will bring the whole valley together after three quiet years."
`;
const FERRY = `# Ferry to Harlow Island

The ferry to Harlow Island will run twice a day from June 3, the island council said on Tuesday.

Council chair Nadia Brook said the service "will end the island's long winter of isolation."
`;
const MILLBROOK = 'When is the Millbrook harvest festival?';
const FERRY_Q = 'When will the ferry to Harlow Island run?';
const CHINA = 'Will China attack Ukraine?';

function ask(question: string, guildId: string | null) {
  return discord.sendCommand({ name: 'ask', guildId, options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: question }] });
}

/** The passage that answers in `guildId`, or null for "no confident answer". */
async function passage(question: string, guildId: string | null): Promise<string | null> {
  const body = assertReply(await ask(question, guildId).waitForCallback(), { ephemeral: false });
  return body.embeds?.[0]?.fields?.[0]?.name === 'The knowledge covers' ? null : answerOf(body).passage;
}

/** A /knowledge command from `member` in `guildId`; the embed it ends with (deferred, then edited) or the immediate refusal. */
async function knowledge(guildId: string, member: APIInteractionGuildMember, subcommand: string, extra: Array<{ type: number; name: string; value: unknown }> = []): Promise<{ deferred: boolean; embed?: APIEmbed; content?: string }> {
  const sent = discord.sendCommand({ name: 'knowledge', guildId, member, options: [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options: extra as never }] });
  const callback = await sent.waitForCallback();
  if (callback.type !== InteractionResponseType.DeferredChannelMessageWithSource) {
    assertMessage(callback.data);
    return { deferred: false, content: callback.data.content, embed: callback.data.embeds?.[0] };
  }
  const edit = await discord.waitForEdit(sent.id, 30_000);
  assertMessage(edit.body);
  return { deferred: true, embed: edit.body.embeds?.[0] };
}

function upload(guildId: string, name: string, text: string) {
  const url = discord.serveAttachment(name, Buffer.from(text), 'text/markdown');
  return knowledge(guildId, discord.moderator, 'upload', [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: url }]);
}

const filesOf = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();

before(async () => {
  discord = await e2e.discord();
  guildA = discord.guildId;
  work = e2e.workDir('servers');
  bot = await e2e.startBot({ discord, work, env: { BOT_OWNER_IDS: '' } });
});
after(() => e2e.cleanup());

test('an upload in server A answers in A and is invisible in B, which keeps the default', async () => {
  assert.equal(await passage(MILLBROOK, guildA), null, 'not known before');
  const done = await upload(guildA, 'harvest.md', HARVEST);
  assert.equal(done.embed?.title, 'Upload applied', JSON.stringify(done.embed));
  assert.match(JSON.stringify(done.embed), /this server's own knowledge/);
  assert.deepEqual(filesOf(join(work.serversDir, guildA)), ['harvest.md'], 'written to A\'s own folder');
  assert.deepEqual(filesOf(work.knowledgeDir), ['article.md'], 'the default folder is untouched');

  assert.match((await passage(MILLBROOK, guildA)) ?? '', /October 12/);
  assert.equal(await passage(MILLBROOK, guildB), null, 'B does not see A\'s upload');
  assert.match((await passage(CHINA, guildB)) ?? '', /never attack Ukraine/, 'B answers from the default');
  assert.match((await passage(CHINA, null)) ?? '', /never attack Ukraine/, 'a DM answers from the default');
  const status = await knowledge(guildB, discord.moderator, 'status');
  assert.match(JSON.stringify(status.embed), /no knowledge of its own/);
});

test('Manage Server in B changes B only: its upload, rollback and reload never reach A', async () => {
  const ownA = readFileSync(join(work.serversDir, guildA, 'harvest.md'));
  const b = await upload(guildB, 'ferry.md', FERRY);
  assert.equal(b.embed?.title, 'Upload applied');
  assert.deepEqual(filesOf(join(work.serversDir, guildB)), ['ferry.md']);
  assert.match((await passage(FERRY_Q, guildB)) ?? '', /June 3/);
  assert.equal(await passage(FERRY_Q, guildA), null, 'A does not see B\'s upload');
  assert.equal(await passage(MILLBROOK, guildB), null);

  // B's moderator rolls back twice and reloads: A's file and answers stay as they were.
  const back = await knowledge(guildB, discord.moderator, 'rollback');
  assert.equal(back.embed?.title, 'Rolled back');
  const again = await knowledge(guildB, discord.moderator, 'rollback');
  assert.equal(again.embed?.title, 'Nothing rolled back', 'B\'s history holds only B\'s upload');
  await knowledge(guildB, discord.moderator, 'reload');
  assert.deepEqual(readFileSync(join(work.serversDir, guildA, 'harvest.md')), ownA);
  assert.match((await passage(MILLBROOK, guildA)) ?? '', /October 12/);
  assert.match((await passage(CHINA, guildB)) ?? '', /never attack Ukraine/, 'B is back on the default');

  // A member without Manage Server in A is refused; a moderator of B cannot name A (no option does).
  const plain = await knowledge(guildA, discord.plainMember, 'upload', [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: discord.serveAttachment('x.md', Buffer.from(FERRY), 'text/markdown') }]);
  assert.equal(plain.deferred, false);
  assert.match(plain.content ?? '', /Manage Server/);
  assert.deepEqual(filesOf(join(work.serversDir, guildA)), ['harvest.md']);
});

test('the bundled default is for bot owners only', async () => {
  const refused = await knowledge(guildA, discord.moderator, 'upload', [
    { type: ApplicationCommandOptionType.Attachment, name: 'file', value: discord.serveAttachment('ferry.md', Buffer.from(FERRY), 'text/markdown') },
    { type: ApplicationCommandOptionType.Boolean, name: 'default', value: true },
  ]);
  assert.equal(refused.deferred, false);
  assert.match(refused.content ?? '', /BOT_OWNER_IDS/);
  assert.deepEqual(filesOf(work.knowledgeDir), ['article.md']);
});

test('after a restart, A\'s first question loads its knowledge lazily: deferred, then answered; B answers at once', async () => {
  await bot.stop();
  bot = await e2e.startBot({ discord, work, env: { BOT_OWNER_IDS: '' } });
  assert.ok(bot.lines.some((l) => l.msg === READY_LOG));
  const first = ask(MILLBROOK, guildA);
  const callback = await first.waitForCallback();
  assert.equal(callback.type, InteractionResponseType.DeferredChannelMessageWithSource, 'not in memory yet: deferred');
  assert.ok(callback.elapsedMs < 3000, `deferred within Discord's 3 s (${callback.elapsedMs} ms)`);
  const edit = await discord.waitForEdit(first.id, 10_000);
  assertMessage(edit.body);
  assert.match(answerOf(edit.body).passage, /October 12/);
  const second = await ask(MILLBROOK, guildA).waitForCallback();
  assert.equal(second.type, InteractionResponseType.ChannelMessageWithSource, 'in memory now: answered at once');
  const b = await ask(CHINA, guildB).waitForCallback();
  assert.equal(b.type, InteractionResponseType.ChannelMessageWithSource, 'the default is always in memory');
});
