/**
 * End to end under load, through the loopback Discord against the real bot process: 200
 * concurrent /ask (every first callback within Discord's 3 s), /ask during a rebuild of a
 * Brown-corpus-scale knowledge folder (~1M words, built in the worker thread: answers and
 * heartbeats go on), autocomplete and paging over hundreds of speakers, and the stand-in dropping
 * the gateway connection (the bot resumes, or identifies anew, and answers again).
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationCommandOptionType, InteractionResponseType, type APIUser } from 'discord.js';
import { writeBrownKnowledge } from '../bench/brown.js';
import { E2E, ON_DEFAULT, type BotProcess, type WorkDir } from './support/bot-process.js';
import { percentile } from './support/stats.js';
import type { CapturedCallback, FakeDiscord, SentInteraction } from './support/fake-discord.js';
import { answerOf, assertChoices, assertMessage, assertReply, customIds } from './support/payloads.js';

const DEADLINE_MS = 3000;
const e2e = new E2E();
let discord: FakeDiscord;
let bot: BotProcess;
let work: WorkDir;
let brownDir: string;

let users = 0;
function newUser(): APIUser {
  users += 1;
  return { id: `${800_000_000_000_000_000n + BigInt(users)}`, username: `load${users}`, discriminator: '0', global_name: null, avatar: null };
}

function ask(question: string): SentInteraction {
  return discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: question }], user: newUser() });
}

const FAN = '— Fan Xianrong, Beijing’s ambassador to Ukraine';
const QUESTIONS = [
  'Will China attack Ukraine?',
  'What did Wang Yi say about sanctions?',
  'Who is Andrew Small?',
  'What did Zhao Lijian confirm?',
  'How long is the border between China and Russia?',
  'Will the West pull out of China?',
  'What is the recipe for banana bread?',
  'Is China supporting Russia?',
];

function summary(latencies: number[]): string {
  return `p50=${percentile(latencies, 50).toFixed(1)}ms p99=${percentile(latencies, 99).toFixed(1)}ms max=${Math.max(...latencies).toFixed(1)}ms`;
}

before(async () => {
  discord = await e2e.discord({ heartbeatIntervalMs: 1000 });
  work = e2e.workDir('load');
  brownDir = writeBrownKnowledge(join(work.root, 'brown'));
  bot = await e2e.startBot({ discord, work });
});

after(() => e2e.cleanup());

test('200 concurrent /ask: every first callback within 3 s, every answer right and within the limits', { timeout: 60_000 }, async () => {
  const sent = Array.from({ length: 200 }, (_, i) => ({ question: QUESTIONS[i % QUESTIONS.length], interaction: ask(QUESTIONS[i % QUESTIONS.length]) }));
  const callbacks = await Promise.all(sent.map(({ interaction }) => interaction.waitForCallback(15_000)));
  const latencies = callbacks.map((callback) => callback.elapsedMs);
  console.log(`e2e: 200 concurrent /ask first callback ${summary(latencies)}`);
  for (const [i, callback] of callbacks.entries()) {
    assert.ok(callback.elapsedMs < DEADLINE_MS, `/ask #${i} answered after ${callback.elapsedMs.toFixed(0)} ms`);
    assertReply(callback, { ephemeral: false });
    if (sent[i].question === QUESTIONS[0]) assert.equal(answerOf(callback.data).attribution, FAN);
  }
  // Same question, same answer, under load as alone.
  const banana = callbacks.filter((_, i) => sent[i].question.includes('banana'));
  assert.ok(banana.every((callback) => callback.data.embeds?.[0].fields?.[0]?.name === 'The knowledge covers'));
  // Each reply is logged after it is sent: all 200 handled, none twice.
  const handled = () => bot.lines.filter((line) => line.command === 'ask' && /\/ask$/.test(line.msg)).length;
  await bot.waitForLog(() => handled() >= 200);
  assert.equal(handled(), 200);
});

test('/ask during a rebuild of a Brown-scale folder (~1M words, worker thread): every first callback within 3 s, heartbeats go on', { timeout: 120_000 }, async () => {
  const files = readdirSync(brownDir);
  assert.equal(files.length, 500);
  for (const file of files) copyFileSync(join(brownDir, file), join(work.knowledgeDir, file));
  const from = bot.lines.length;
  const built = bot.waitForLog((line) => line.msg === 'knowledge built' && line.documents === 501, 90_000, from);

  const reload = discord.sendCommand({ name: 'knowledge', member: discord.moderator, options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'reload', options: [ON_DEFAULT] }] });
  const deferred = await reload.waitForCallback();
  assert.equal(deferred.type, InteractionResponseType.DeferredChannelMessageWithSource);
  const rebuildFrom = performance.now();
  const heartbeatsFrom = discord.heartbeats;

  // One /ask every 25 ms, without waiting for the answers, until the new knowledge is in.
  const during: Array<{ at: number; interaction: SentInteraction }> = [];
  let settled = false;
  // The final reply is the edit with the result embed; progress edits come before it.
  const reloaded = discord.waitForEditMatching(reload.id, (e) => Boolean((e.body as { embeds?: unknown[] }).embeds?.length), 90_000).finally(() => {
    settled = true;
  });
  reloaded.catch(() => undefined); // awaited below; a failure must not end the loop unseen
  while (!settled) {
    during.push({ at: performance.now(), interaction: ask(QUESTIONS[0]) });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const builtLine = await built;
  const edit = await reloaded;
  const heartbeats = discord.heartbeats - heartbeatsFrom;
  const callbacks: CapturedCallback[] = await Promise.all(during.map(({ interaction }) => interaction.waitForCallback(15_000)));
  const latencies = callbacks.map((callback) => callback.elapsedMs);
  const windowMs = builtLine.receivedAt - rebuildFrom;
  const overlapping = during.filter(({ at }) => at >= rebuildFrom && at < builtLine.receivedAt).length;
  console.log(
    `e2e: /ask during a Brown-scale rebuild (${builtLine.documents} documents, ${builtLine.bytes} bytes, worker build ${builtLine.ms} ms, ` +
      `${overlapping} of ${during.length} asks sent while building, ${heartbeats} heartbeats) first callback ${summary(latencies)}`,
  );

  // The rebuild really ran in the worker, took seconds, and the asks really overlapped it.
  assert.equal(builtLine.worker, true);
  assert.ok(Number(builtLine.ms) >= 1000, `the build took ${builtLine.ms} ms`);
  assert.ok(windowMs >= 1000 && overlapping >= 20, `${overlapping} asks during a ${windowMs.toFixed(0)} ms build`);
  assert.ok(heartbeats >= Math.min(2, Math.floor(windowMs / 1000) - 1), `${heartbeats} heartbeats in ${windowMs.toFixed(0)} ms`);
  for (const [i, callback] of callbacks.entries()) {
    assert.ok(callback.elapsedMs < DEADLINE_MS, `/ask #${i} during the rebuild answered after ${callback.elapsedMs.toFixed(0)} ms`);
    assertReply(callback, { ephemeral: false });
  }
  // Until the swap the old knowledge answers, whole.
  const beforeSwap = during.map((d, i) => ({ ...d, callback: callbacks[i] })).filter(({ at }) => at < builtLine.receivedAt);
  for (const { callback } of beforeSwap) assert.equal(answerOf(callback.data).attribution, FAN);

  assertMessage(edit.body);
  const now = edit.body.embeds?.[0].fields?.find((field) => field.name === 'Now')?.value ?? '';
  assert.match(now, /^501 documents · /);
  // A rebuild of seconds told the moderator how it went on, in the deferred reply, before the result.
  const edits = discord.interactionResponses(reload.id).edits;
  const progress = edits.slice(0, edits.indexOf(edit)).map((e) => String((e.body as { content?: string }).content ?? ''));
  assert.ok(progress.length >= 1, 'at least one progress edit during a rebuild of seconds');
  for (const text of progress) assert.match(text, /Checking the files: \d+ of 501|Building the index of 501 document|Saving the built index/);
  // The new knowledge still finds the article among a million words.
  assert.equal(answerOf(assertReply(await ask(QUESTIONS[0]).waitForCallback(), { ephemeral: false })).attribution, FAN);
});

test('autocomplete and /quote paging over hundreds of speakers stay within the limits', async () => {
  const typed = async (value: string) =>
    assertChoices(await discord.sendAutocomplete({ name: 'quote', options: [{ type: ApplicationCommandOptionType.String, name: 'speaker', value, focused: true }] }).waitForCallback());
  const everyone = await typed('');
  assert.equal(everyone.length, 25, 'at most 25 of the hundreds of speakers');
  assert.equal(new Set(everyone.map((choice) => choice.value)).size, 25, 'no duplicates');
  for (const prefix of ['j', 'mr', 'the', 'wa']) await typed(prefix);
  assert.equal((await typed('wang y'))[0]?.value, 'Wang Yi');

  // The most quoted speaker has several pages: "Next" edits the message in place.
  const sent = discord.sendCommand({ name: 'quote', options: [{ type: ApplicationCommandOptionType.String, name: 'speaker', value: everyone[0].value }] });
  const first = assertReply(await sent.waitForCallback(), { ephemeral: false });
  assert.match(first.embeds?.[0].footer?.text ?? '', /quotes · page 1 of \d+$/);
  const next = customIds(first).find((id) => id.startsWith('quote:page:'));
  assert.ok(next);
  const page = await discord.sendButton({ customId: next, message: discord.interactionResponses(sent.id).original }).waitForCallback();
  assert.equal(page.type, InteractionResponseType.UpdateMessage);
  assertMessage(page.data);
  assert.match(page.data.embeds?.[0].footer?.text ?? '', /quotes · page 2 of \d+$/);
});

test('the stand-in drops the gateway connection: the bot resumes (or identifies anew) and answers again', { timeout: 60_000 }, async () => {
  const identifies = discord.identifies.length;
  // Close code 4000: resume; an /ask dispatched while the socket is down is replayed and answered.
  assert.equal(discord.dropConnection(4000), 1);
  const whileDown = ask(QUESTIONS[0]);
  await discord.waitForResume(15_000, 1);
  assert.equal(answerOf(assertReply(await whileDown.waitForCallback(15_000), { ephemeral: false })).attribution, FAN);
  await bot.waitForLog('shard resumed');

  // An abrupt TCP close: resume again.
  assert.equal(discord.dropConnection(1006), 1);
  await discord.waitForResume(15_000, 2);
  assert.equal(answerOf(assertReply(await ask(QUESTIONS[0]).waitForCallback(), { ephemeral: false })).attribution, FAN);

  // Close code 1000: the session is over; the bot identifies anew (same token, Guilds only).
  assert.equal(discord.dropConnection(1000), 1);
  const identify = await discord.waitForIdentify(20_000, identifies + 1);
  assert.equal(identify.token, discord.token);
  assert.equal(identify.intents, 1);
  assert.equal(answerOf(assertReply(await ask(QUESTIONS[0]).waitForCallback(), { ephemeral: false })).attribution, FAN);
  assert.equal(bot.exit, null);
});

test('the logs never contain the token', () => {
  const output = e2e.allOutput();
  assert.ok(output.includes('answered /ask'));
  assert.ok(!output.includes(discord.token));
});
