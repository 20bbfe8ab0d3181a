/**
 * End to end: /knowledge status | reload | upload | rollback of the bundled default knowledge (by a
 * bot owner, `default:true`) through the loopback Discord against the real bot process, from a moderator and from a member without Manage Server; good and bad
 * uploads (nothing lost: the folder on disk and the answers stay as they were), attachments on
 * hosts not allowed (never fetched), rollback, reload and the folder watch.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationCommandOptionType, InteractionResponseType, type APIEmbed, type APIInteractionGuildMember, type APIMessage } from 'discord.js';
import { E2E, ON_DEFAULT, SEED_ARTICLE, type BotProcess, type WorkDir } from './support/bot-process.js';
import type { FakeDiscord } from './support/fake-discord.js';
import { answerOf, assertMessage, assertNotice, assertReply } from './support/payloads.js';

const e2e = new E2E();
let discord: FakeDiscord;
let bot: BotProcess;
let work: WorkDir;

const HARVEST = `---
title: "Harvest Festival Returns to Millbrook"
---

# Harvest Festival Returns to Millbrook

The town of Millbrook will hold its first harvest festival in three years on October 12, the mayor's office announced on Monday.

Mayor Linda Okafor said the festival "will bring the whole valley together after three quiet years." Organisers expect about 4,000 visitors and a pumpkin contest on the town green.
`;
const SEED = readFileSync(SEED_ARTICLE);
const CHINA = 'Will China attack Ukraine?';
const MILLBROOK = 'When is the Millbrook harvest festival?';

type Subcommand = 'status' | 'reload' | 'upload' | 'rollback';

function knowledge(subcommand: Subcommand, member: APIInteractionGuildMember, fileUrl?: string) {
  const options = [...(fileUrl ? [{ type: ApplicationCommandOptionType.Attachment as const, name: 'file', value: fileUrl }] : []), ON_DEFAULT];
  return discord.sendCommand({ name: 'knowledge', member, options: [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options }] });
}

/** A moderator's /knowledge: deferred ephemerally at once, then the reply edited in. Its one embed. */
async function moderator(subcommand: Subcommand, fileUrl?: string): Promise<APIEmbed> {
  const sent = knowledge(subcommand, discord.moderator, fileUrl);
  const callback = await sent.waitForCallback();
  assert.equal(callback.type, InteractionResponseType.DeferredChannelMessageWithSource, 'deferred');
  assert.equal(callback.data.flags, 64, 'deferred ephemerally');
  assert.ok(callback.elapsedMs < 3000);
  const edit = await discord.waitForEdit(sent.id, 30_000);
  assert.equal(edit.messageId, '@original');
  assertMessage(edit.body);
  assert.equal(edit.body.embeds?.length, 1);
  assert.equal(discord.interactionResponses(sent.id).followUps.length, 0);
  return edit.body.embeds![0];
}

function field(embed: APIEmbed, name: string): string {
  const found = embed.fields?.find((f) => f.name === name);
  assert.ok(found, `field "${name}" in ${JSON.stringify(embed)}`);
  return found.value;
}

/** The version a status embed shows for shard 0. */
function versionOf(status: APIEmbed): string {
  assert.equal(status.title, 'Knowledge status');
  const version = /^version `([0-9a-f]+)`/.exec(field(status, 'Shard 0'))?.[1];
  assert.ok(version, 'status shows the version');
  return version;
}

async function currentVersion(): Promise<string> {
  return versionOf(await moderator('status'));
}

/** The knowledge folder (not its history) as name -> sha256. */
function folder(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(work.knowledgeDir)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => [name, createHash('sha256').update(readFileSync(join(work.knowledgeDir, name))).digest('hex')]),
  );
}

/** The knowledge folder's audit trail (.history/audit.jsonl), oldest first. */
function auditTrail(): Array<{ action: string; ok: boolean; refused: Array<{ file: string }> }> {
  let text: string;
  try {
    text = readFileSync(join(work.knowledgeDir, '.history', 'audit.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { action: string; ok: boolean; refused: Array<{ file: string }> });
}

async function askBody(question: string) {
  return assertReply(await discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: question }] }).waitForCallback(), { ephemeral: false });
}

before(async () => {
  discord = await e2e.discord();
  work = e2e.workDir('knowledge');
  bot = await e2e.startBot({ discord, work });
});

after(() => e2e.cleanup());

let v0 = '';

test('status from a moderator: deferred ephemerally, then version, documents, speakers, loaded when and by whom', async () => {
  const status = await moderator('status');
  v0 = versionOf(status);
  const shard = field(status, 'Shard 0');
  assert.match(shard, /^version `[0-9a-f]{16}`\n1 document · \d+ paragraphs · 5 speakers · \d+ quotes\nloaded <t:\d+:R> by startup\nhistory: 0 earlier versions/);
  assert.equal((await bot.waitForLog('/knowledge status')).by, `moderator (${discord.moderator.user.id})`);
});

test('a member without Manage Server is refused every subcommand: immediately, ephemerally, nothing deferred or changed', async () => {
  const fetchesBefore = discord.attachmentFetches.length;
  const before = folder();
  const url = discord.serveAttachment('harvest.md', Buffer.from(HARVEST), 'text/markdown');
  const sent = (['status', 'reload', 'upload', 'rollback'] as const).map((sub) => knowledge(sub, discord.plainMember, sub === 'upload' ? url : undefined));
  for (const interaction of sent) {
    const callback = await interaction.waitForCallback();
    assertNotice(callback, /^Only members with the Manage Server permission can use \/knowledge\. Nothing was changed\.$/);
    assert.equal(callback.data.flags, 64);
  }
  // Wait for the four refusals to be logged, then check nothing else happened.
  await bot.waitForLog(() => bot.logs('refused /knowledge: the member lacks Manage Server').length === 4);
  assert.equal(await currentVersion(), v0);
  for (const interaction of sent) {
    const record = discord.interactionResponses(interaction.id);
    assert.deepEqual([record.edits.length, record.followUps.length], [0, 0], 'nothing deferred, nothing edited');
  }
  assert.equal(discord.attachmentFetches.length, fetchesBefore, 'the attachment was not even downloaded');
  assert.deepEqual(folder(), before);
  assert.deepEqual(bot.lines.filter((line) => line.audit), bot.lines.filter((line) => line.audit && line.action === 'load'), 'no refresh was audited');
});

let v1 = '';
/** An answer message rendered from v0, for pressing its buttons after the knowledge changed. */
let answerAtV0: { id: string; message: APIMessage } | undefined;

test('upload of a good file: fetched from the allowed host, written, rebuilt, audited; /ask finds its content', async () => {
  assert.equal(assertReply(await discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: MILLBROOK }] }).waitForCallback(), { ephemeral: false }).embeds?.[0].fields?.[0]?.name, 'The knowledge covers', 'not known before');
  const atV0 = discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: CHINA }] });
  await atV0.waitForCallback();
  answerAtV0 = { id: atV0.id, message: discord.interactionResponses(atV0.id).original! };

  const url = discord.serveAttachment('harvest.md', Buffer.from(HARVEST), 'text/markdown');
  const fetches = discord.attachmentFetches.length;
  const reply = await moderator('upload', url);
  assert.equal(reply.title, 'Upload applied');
  const [, before, after] = /^`([0-9a-f]+)` → `([0-9a-f]+)`$/.exec(field(reply, 'Version')) ?? [];
  assert.equal(before, v0);
  assert.ok(after && after !== v0);
  v1 = after;
  assert.match(field(reply, 'Now'), /^2 documents · /);
  assert.deepEqual(discord.attachmentFetches.slice(fetches).map((f) => f.url), [url]);
  assert.deepEqual(readFileSync(join(work.knowledgeDir, 'harvest.md')), Buffer.from(HARVEST));
  const audit = await bot.waitForLog((line) => line.audit === true && line.action === 'upload');
  assert.deepEqual([audit.by, audit.before, audit.after], [`moderator (${discord.moderator.user.id})`, v0, v1]);

  const when = answerOf(await askBody(MILLBROOK));
  assert.match(when.passage, /October 12/);
  assert.match(when.footer, /^harvest\.md · /);
  const said = answerOf(await askBody('What did Linda Okafor say about the festival?'));
  assert.equal(said.attribution, '— Linda Okafor, Mayor');
  assert.equal(answerOf(await askBody(CHINA)).attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');
  assert.equal(await currentVersion(), v1);
});

test('"More" on an answer from before the upload starts again from the best passage of the new knowledge', async () => {
  assert.ok(answerAtV0);
  const pressed = discord.sendButton({ customId: `ask:more:${v0}:1`, message: answerAtV0.message });
  const body = assertReply(await pressed.waitForCallback(), { ephemeral: true });
  assert.equal(body.content, 'The knowledge changed since that answer; these are the best passages now.');
  const best = answerOf({ ...body, embeds: body.embeds!.slice(0, 1) });
  assert.equal(best.title, CHINA);
  assert.equal(best.attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');
});

test('bad uploads (empty, blank, binary, not UTF-8, no paragraphs, wrong type, too large) are refused with the reason; nothing is lost', async () => {
  const folderBefore = folder();
  const millbrookBefore = answerOf(await askBody(MILLBROOK));
  const chinaBefore = answerOf(await askBody(CHINA));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00]);
  const cases: Array<{ name: string; body: Buffer; reason: RegExp; fetched: boolean }> = [
    // Replacing existing files: a refused upload must leave them as they are.
    { name: 'harvest.md', body: Buffer.alloc(0), reason: /empty: the file has no text/, fetched: false },
    { name: 'harvest.md', body: Buffer.from('  \n\n \t\n'), reason: /empty: the file has no text/, fetched: true },
    { name: 'article.md', body: Buffer.concat([png, Buffer.from(HARVEST)]), reason: /binary/, fetched: true },
    { name: 'article.md', body: Buffer.from('Caf\xe9 au lait, cr\xe8me br\xfbl\xe9e.\n', 'latin1'), reason: /not UTF-8/, fetched: true },
    { name: 'notes.md', body: Buffer.from('---\ntitle: "Only a title"\n---\n'), reason: /no paragraphs/, fetched: true },
    { name: 'photo.png', body: png, reason: /not a knowledge file: use \.md or \.txt/, fetched: false },
    { name: 'huge.md', body: Buffer.alloc(6 * 1024 * 1024, 'a'), reason: /too large/, fetched: false },
  ];
  const refusedInTrail = (): string[] => auditTrail().filter((r) => r.action === 'upload' && !r.ok).flatMap((r) => r.refused.map((f) => f.file));
  const trailBefore = refusedInTrail().length;
  for (const c of cases) {
    const url = discord.serveAttachment(c.name, c.body, 'application/octet-stream');
    const fetches = discord.attachmentFetches.length;
    const reply = await moderator('upload', url);
    assert.equal(reply.title, 'Upload refused', c.name);
    assert.match(reply.description ?? '', new RegExp(`^refused: ${c.name.replace('.', '\\\\?\\.')}`), `names the file: ${reply.description}`);
    assert.match(reply.description ?? '', c.reason);
    assert.match(reply.description ?? '', /The knowledge in service is unchanged/);
    assert.match(field(reply, 'Refused'), c.reason);
    assert.equal(field(reply, 'Version'), `\`${v1}\` (unchanged)`);
    assert.equal(discord.attachmentFetches.length - fetches, c.fetched ? 1 : 0, `${c.name} fetched`);
    assert.deepEqual(folder(), folderBefore, `${c.name}: the files on disk are unchanged`);
  }
  assert.equal(await currentVersion(), v1);
  assert.deepEqual(answerOf(await askBody(MILLBROOK)), millbrookBefore);
  assert.deepEqual(answerOf(await askBody(CHINA)), chinaBefore);
  assert.equal(bot.lines.filter((line) => line.audit && line.msg === 'knowledge upload refused').length, cases.length, 'every refusal audited');
  assert.deepEqual(refusedInTrail().slice(trailBefore), cases.map((c) => c.name), 'every refusal in the folder\'s audit trail, those refused before the download too');
});

test('an attachment URL on a host not allowed is refused and nothing is fetched', async () => {
  // Same server, but named "localhost": KNOWLEDGE_ATTACHMENT_HOSTS lists only 127.0.0.1.
  const url = discord.serveAttachment('harvest.md', Buffer.from(`${HARVEST}\nA new paragraph that must never arrive.\n`), 'text/markdown', { host: 'localhost' });
  assert.match(url, /^http:\/\/localhost:\d+\//);
  const fetches = discord.attachmentFetches.length;
  const folderBefore = folder();
  const reply = await moderator('upload', url);
  assert.equal(reply.title, 'Upload refused');
  assert.match(reply.description ?? '', /attachments are downloaded only from Discord or the hosts in KNOWLEDGE\\?_ATTACHMENT\\?_HOSTS, not from localhost/);
  assert.equal(discord.attachmentFetches.length, fetches, 'nothing fetched');
  assert.deepEqual(folder(), folderBefore);
  assert.equal(await currentVersion(), v1);
});

test('rollback restores the version before each upload, byte for byte; with no history it changes nothing', async () => {
  // Replace article.md, then roll back: the seed comes back exactly.
  const edited = Buffer.concat([SEED, Buffer.from('\nIn a later update, officials in Kyiv welcomed the statement from Beijing on Friday.\n')]);
  const uploaded = await moderator('upload', discord.serveAttachment('article.md', edited, 'text/markdown'));
  assert.equal(uploaded.title, 'Upload applied');
  assert.deepEqual(readFileSync(join(work.knowledgeDir, 'article.md')), edited);
  assert.match(field(await moderator('status'), 'Shard 0'), /history: 2 earlier versions/);

  const back = await moderator('rollback');
  assert.equal(back.title, 'Rolled back');
  assert.match(back.description ?? '', /restored the previous version of article\.md/);
  assert.deepEqual(readFileSync(join(work.knowledgeDir, 'article.md')), SEED);
  assert.equal(await currentVersion(), v1, 'same files, same version');

  // The harvest upload added a file: rolling it back removes it.
  const removed = await moderator('rollback');
  assert.equal(removed.title, 'Rolled back');
  assert.deepEqual(Object.keys(folder()), ['article.md']);
  assert.equal(await currentVersion(), v0);
  assert.equal(assertReply(await discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: MILLBROOK }] }).waitForCallback(), { ephemeral: false }).embeds?.[0].fields?.[0]?.name, 'The knowledge covers', 'Millbrook is gone');
  assert.equal(answerOf(await askBody(CHINA)).attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');

  const nothing = await moderator('rollback');
  assert.equal(nothing.title, 'Nothing rolled back');
  assert.match(nothing.description ?? '', /nothing to roll back/);
  assert.equal(await currentVersion(), v0);
  assert.deepEqual(readFileSync(join(work.knowledgeDir, 'article.md')), SEED);
});

test('reload re-reads the folder; the debounced watch picks up edits made on disk', async () => {
  const same = await moderator('reload');
  assert.equal(same.title, 'Knowledge reloaded (no change)');
  assert.equal(field(same, 'Version'), `\`${v0}\` (unchanged)`);

  const from = bot.lines.length;
  writeFileSync(join(work.knowledgeDir, 'harvest.md'), HARVEST);
  const watched = await bot.waitForLog('knowledge folder changed on disk', 10_000, from);
  assert.equal(watched.after, v1, 'the same files as after the upload: the same version');
  assert.match(answerOf(await askBody(MILLBROOK)).passage, /October 12/);

  // Removed on disk and reloaded at once (the watch, 500 ms later, finds nothing more to do).
  rmSync(join(work.knowledgeDir, 'harvest.md'));
  const reloaded = await moderator('reload');
  assert.match(reloaded.title ?? '', /^Knowledge reloaded/);
  assert.match(field(reloaded, 'Now'), /^1 document · /);
  assert.equal(await currentVersion(), v0);
});

test('the logs never contain the token', () => {
  const output = e2e.allOutput();
  assert.ok(output.includes('knowledge upload'), 'the logs were captured');
  assert.ok(!output.includes(discord.token));
});
