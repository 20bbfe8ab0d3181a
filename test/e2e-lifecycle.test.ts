/**
 * End to end: the bot process dying and stopping. SIGKILL at several points of an upload of a
 * large file (downloading, building, writing the history, writing the file itself, after the
 * swap), each followed by a restart on the same folder: the knowledge file is always the old or
 * the new version, byte for byte, never torn, and the restarted bot answers. Then SIGTERM with an
 * upload in flight: the reply is finished, later interactions are asked to retry, exit code 0
 * within 10 s.
 */
import { watch, readdirSync, readFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationCommandOptionType, InteractionResponseType } from 'discord.js';
import { writeBrownKnowledge } from '../bench/brown.js';
import { E2E, ON_DEFAULT, SEED_ARTICLE, type BotProcess, type WorkDir } from './support/bot-process.js';
import type { FakeDiscord, SentInteraction } from './support/fake-discord.js';
import { answerOf, assertMessage, assertNotice, assertReply } from './support/payloads.js';

const e2e = new E2E();
let discord: FakeDiscord;
let work: WorkDir;
let bot: BotProcess;
let brownText = '';

const FAN = '— Fan Xianrong, Beijing’s ambassador to Ukraine';
const SPEAKERS = ['Iris Calder', 'Tomas Brenner', 'Ada Whitlock', 'Owen Marsh', 'Lena Fairbairn', 'Piet Moller'];
const TARGET = 'article.md';

/**
 * A new version of article.md: the seed, a paragraph quoting a speaker unique to this version,
 * and ~1.5 MB of Brown prose so the build runs in the worker and the write takes a moment.
 */
function bigVersion(i: number): Buffer {
  const quote = `Harbour master ${SPEAKERS[i]} said the new pier "will open to fishing boats before the winter storms arrive."`;
  const offset = (i * 97_000) % (brownText.length - 1_600_000);
  const prose = brownText.slice(offset, offset + 1_500_000);
  return Buffer.from(`${readFileSync(SEED_ARTICLE, 'utf8')}\n${quote}\n\n${prose.slice(prose.indexOf('\n\n') + 2)}\n`);
}

function upload(url: string): SentInteraction {
  return discord.sendCommand({
    name: 'knowledge',
    member: discord.moderator,
    options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'upload', options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: url }, ON_DEFAULT] }],
  });
}

async function askChina(): Promise<string> {
  const sent = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'Will China attack Ukraine?' }] });
  return answerOf(assertReply(await sent.waitForCallback(), { ephemeral: false })).attribution;
}

/** Whether /quote knows `speaker` (public quotes) or not (ephemeral suggestions). */
async function quotes(speaker: string): Promise<boolean> {
  const sent = discord.sendCommand({ name: 'quote', options: [{ type: ApplicationCommandOptionType.String, name: 'speaker', value: speaker }] });
  const callback = await sent.waitForCallback();
  assertMessage(callback.data);
  return ((callback.data.flags ?? 0) & 64) === 0;
}

/** Resolves (and stops watching) when a file whose name matches appears in `dir`. */
function whenFileAppears(dir: string, name: RegExp): { appeared: Promise<string>; close(): void } {
  let watcher: FSWatcher | undefined;
  const appeared = new Promise<string>((resolve) => {
    watcher = watch(dir, (_event, file) => {
      if (file && name.test(file)) resolve(file);
    });
  });
  return { appeared, close: () => watcher?.close() };
}

/** `promise`, or a rejection naming `what` after `ms` (so a missed moment fails, not hangs). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function strayTemps(): string[] {
  return readdirSync(work.knowledgeDir).filter((file) => file.endsWith('.tmp'));
}

before(async () => {
  discord = await e2e.discord();
  work = e2e.workDir('lifecycle');
  const brown = writeBrownKnowledge(join(work.root, 'brown'));
  brownText = readdirSync(brown)
    .sort()
    .map((file) => readFileSync(join(brown, file), 'utf8').replace(/^Brown corpus text \w+\n\n/, ''))
    .join('\n');
  bot = await e2e.startBot({ discord, work });
});

after(() => e2e.cleanup());

/** Where in an upload the bot is killed: resolves at that moment. */
interface KillPoint {
  name: string;
  /** Called after the upload was dispatched; resolves when it is time to kill. */
  arm(url: string, victim: BotProcess, from: number): { moment: Promise<unknown>; close(): void };
}

const KILL_POINTS: KillPoint[] = [
  {
    name: 'while the attachment downloads',
    arm: (url) => ({ moment: discord.waitUntil(() => discord.attachmentFetches.find((f) => f.url === url), 20_000, 'the fetch'), close() {} }),
  },
  {
    name: 'right after the download, while validating and building',
    arm: (url) => ({ moment: discord.waitUntil(() => discord.attachmentFetches.find((f) => f.url === url && f.completed), 20_000, 'the fetch to complete'), close() {} }),
  },
  {
    name: 'when the previous version is being written to the history',
    arm: () => {
      const watcher = whenFileAppears(join(work.knowledgeDir, '.history'), /article\.md/);
      return { moment: watcher.appeared, close: watcher.close };
    },
  },
  {
    name: 'while the new file is being written (its temp file appears)',
    arm: () => {
      const watcher = whenFileAppears(work.knowledgeDir, /^\.article\.md\..*\.tmp$/);
      return { moment: watcher.appeared, close: watcher.close };
    },
  },
  {
    name: 'when the new file is renamed into place',
    arm: () => {
      const watcher = whenFileAppears(work.knowledgeDir, /^article\.md$/);
      return { moment: watcher.appeared, close: watcher.close };
    },
  },
  {
    name: 'right after the swap (audit logged)',
    arm: (_url, victim, from) => ({ moment: victim.waitForLog((line) => line.audit === true && line.action === 'upload', 30_000, from), close() {} }),
  },
];

test('SIGKILL in the middle of an upload, at six points: on restart the knowledge file is the old or the new version, whole, and the bot answers', { timeout: 150_000 }, async () => {
  // .history exists before the first watch on it.
  const warmup = await (async () => {
    const sent = upload(discord.serveAttachment(TARGET, readFileSync(SEED_ARTICLE), 'text/markdown'));
    await sent.waitForCallback();
    return discord.waitForEdit(sent.id, 30_000);
  })();
  assertMessage(warmup.body);

  const outcomes: string[] = [];
  const versions: Buffer[] = [readFileSync(SEED_ARTICLE)];
  for (const [i, point] of KILL_POINTS.entries()) {
    const old = readFileSync(join(work.knowledgeDir, TARGET));
    const tempsBefore = new Set(strayTemps());
    const next = bigVersion(i);
    versions.push(next);
    assert.notDeepEqual(next, old);
    const url = discord.serveAttachment(TARGET, next, 'text/markdown', i === 0 ? { delayMs: 500 } : {});
    const from = bot.lines.length;
    const armed = point.arm(url, bot, from);
    const sent = upload(url);
    assert.equal((await sent.waitForCallback()).type, InteractionResponseType.DeferredChannelMessageWithSource);
    await within(armed.moment, 30_000, `the kill point "${point.name}"`);
    bot.kill('SIGKILL');
    armed.close();
    const exit = await bot.exited;
    assert.equal(exit.signal, 'SIGKILL', `${point.name}: killed, not exited on its own`);

    const onDisk = readFileSync(join(work.knowledgeDir, TARGET));
    const isOld = onDisk.equals(old);
    const isNew = onDisk.equals(next);
    assert.ok(isOld || isNew, `${point.name}: ${TARGET} is ${onDisk.length} bytes, neither the old (${old.length}) nor the new (${next.length}) version`);
    const temps = strayTemps().filter((file) => !tempsBefore.has(file));
    outcomes.push(`${point.name}: ${isNew ? 'new' : 'old'} version${temps.length ? ` (${temps.length} stray temp file: killed mid-write)` : ''}`);

    // Restart on the same folder: it loads whichever version is on disk and answers.
    bot = await e2e.startBot({ discord, work });
    const loaded = bot.logs('knowledge loaded')[0];
    assert.deepEqual(loaded.refused, [], 'the stray temp files and history are not read as knowledge');
    assert.equal(await askChina(), FAN);
    assert.equal(await quotes(SPEAKERS[i]), isNew, `${point.name}: /quote ${SPEAKERS[i]} matches the version on disk`);
  }
  console.log(`e2e: SIGKILL during upload -> ${outcomes.join('; ')}`);

  // The history the killed uploads left behind is whole too: a rollback restores a real version.
  const sent = discord.sendCommand({ name: 'knowledge', member: discord.moderator, options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'rollback', options: [ON_DEFAULT] }] });
  await sent.waitForCallback();
  const rolledBack = await discord.waitForEdit(sent.id, 30_000);
  assertMessage(rolledBack.body);
  assert.equal(rolledBack.body.embeds?.[0].title, 'Rolled back');
  const restored = readFileSync(join(work.knowledgeDir, TARGET));
  assert.ok(versions.some((version) => version.equals(restored)), 'the rollback restored one of the uploaded versions, whole');
  assert.equal(await askChina(), FAN);
});

test('SIGTERM with an upload in flight: the reply is finished, new interactions are asked to retry, exit 0 within 10 s', { timeout: 30_000 }, async () => {
  const body = Buffer.from(`${readFileSync(SEED_ARTICLE, 'utf8')}\nHarbour master Mira Quell said the lighthouse "will shine again by spring."\n`);
  // Served slowly so the upload is still downloading when the signal comes.
  const url = discord.serveAttachment(TARGET, body, 'text/markdown', { delayMs: 1500 });
  const sent = upload(url);
  assert.equal((await sent.waitForCallback()).type, InteractionResponseType.DeferredChannelMessageWithSource);
  await discord.waitUntil(() => discord.attachmentFetches.find((f) => f.url === url), 10_000, 'the download to start');

  const from = bot.lines.length;
  const signalledAt = performance.now();
  bot.kill('SIGTERM');
  const draining = await bot.waitForLog('stopped taking interactions; finishing replies in flight', 5_000, from);
  assert.ok(Number(draining.inFlight) >= 1, 'the upload was in flight');

  // Still connected while draining: a new question is answered with "try again", ephemerally.
  const late = discord.sendCommand({ name: 'ask', options: [{ type: ApplicationCommandOptionType.String, name: 'question', value: 'Will China attack Ukraine?' }] });
  assertNotice(await late.waitForCallback(), /restarting; please try again/);

  const edit = await discord.waitForEdit(sent.id, 10_000);
  assertMessage(edit.body);
  assert.equal(edit.body.embeds?.[0].title, 'Upload applied');
  const exit = await bot.exited;
  const tookMs = exit.at - signalledAt;
  console.log(`e2e: SIGTERM with an upload in flight: reply finished, exit ${exit.code} after ${tookMs.toFixed(0)} ms`);
  assert.deepEqual([exit.code, exit.signal], [0, null]);
  assert.ok(tookMs < 10_000, `exited ${tookMs.toFixed(0)} ms after SIGTERM`);
  assert.ok(edit.elapsedMs > 0);
  assert.ok(bot.logs('replies in flight finished').length === 1);
  assert.ok(bot.logs('shutdown complete').length === 1);
  assert.deepEqual(readFileSync(join(work.knowledgeDir, TARGET)), body, 'the upload finished before the exit');
});

test('the logs of every bot process (killed ones included) never contain the token', () => {
  assert.ok(e2e.bots.length >= KILL_POINTS.length + 1);
  const output = e2e.allOutput();
  assert.ok(output.includes('knowledge loaded'));
  assert.ok(!output.includes(discord.token));
});
