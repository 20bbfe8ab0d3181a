/**
 * End to end through the loopback Discord: the real bot process (src/main.ts, the real discord.js
 * client) connects to the stand-in and answers /ask, /quote, autocomplete and buttons; junk
 * interactions get an apology and the bot keeps running. Asserts on the exact payloads sent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApplicationCommandOptionType,
  GatewayIntentBits,
  InteractionResponseType,
  type APIMessage,
  type APIUser,
} from 'discord.js';
import { askReply, moreReply } from '../src/app/replies.js';
import { whereText } from '../src/app/wording.js';
import { seedKnowledge } from './helpers.js';
import { WARM_UP_QUESTIONS } from '../src/engine/index.js';
import { E2E, type BotProcess } from './support/bot-process.js';
import type { FakeDiscord, SentMessageBody } from './support/fake-discord.js';
import { answerOf, assertChoices, assertMessage, assertNotice, assertReply, customIds } from './support/payloads.js';

const COOLDOWN_SECONDS = 60;
const e2e = new E2E();
let discord: FakeDiscord;
let bot: BotProcess;
let deployed: Awaited<ReturnType<E2E['deployCommands']>>;

/** A fresh user per question, so the per-user cooldown only bites where a test wants it. */
let users = 0;
function newUser(): APIUser {
  users += 1;
  return { id: `${900_000_000_000_000_000n + BigInt(users)}`, username: `asker${users}`, discriminator: '0', global_name: null, avatar: null };
}

const str = (name: string, value: string) => ({ type: ApplicationCommandOptionType.String as const, name, value });
const bool = (name: string, value: boolean) => ({ type: ApplicationCommandOptionType.Boolean as const, name, value });

function ask(question: string, extra: { private?: boolean; user?: APIUser } = {}) {
  const options = [str('question', question), ...(extra.private === undefined ? [] : [bool('private', extra.private)])];
  return discord.sendCommand({ name: 'ask', options, user: extra.user ?? newUser() });
}

/** The message the bot's reply created, as Discord would show it (buttons are pressed on it). */
function originalOf(id: string): APIMessage {
  const message = discord.interactionResponses(id).original;
  assert.ok(message, 'the reply created a message');
  return message;
}

before(async () => {
  // A short heartbeat interval so the test sees several heartbeats.
  discord = await e2e.discord({ heartbeatIntervalMs: 1000 });
  // Registered first, like a real deployment: interactions then carry the registered command ids.
  deployed = await e2e.deployCommands(discord, { DISCORD_GUILD_ID: discord.guildId });
  bot = await e2e.startBot({ discord, work: e2e.workDir('commands'), env: { ASK_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS) } });
});

after(() => e2e.cleanup());

test('deploy-commands registers /ask, /quote and /knowledge in the guild through DISCORD_API_BASE', () => {
  assert.deepEqual([deployed.exit.code, deployed.exit.signal], [0, null]);
  assert.match(deployed.output, /Registered 3 commands \(\/ask, \/quote, \/knowledge\) as guild \d+\./);
  assert.equal(discord.registeredCommands.length, 1);
  const [registration] = discord.registeredCommands;
  assert.equal(registration.guildId, discord.guildId);
  const byName = Object.fromEntries((registration.commands as Array<{ name: string } & Record<string, unknown>>).map((command) => [command.name, command]));
  assert.deepEqual(Object.keys(byName), ['ask', 'quote', 'knowledge']);
  const askOptions = byName.ask.options as Array<Record<string, unknown>>;
  assert.deepEqual(askOptions.map((option) => [option.name, option.type, option.required ?? false]), [['question', 3, true], ['private', 5, false]]);
  assert.equal(askOptions[0].max_length, 500);
  assert.equal((byName.quote.options as Array<Record<string, unknown>>)[0].autocomplete, true);
  // Moderators only by default (ManageGuild = 1 << 5), guild context only.
  assert.equal(byName.knowledge.default_member_permissions, '32');
  assert.deepEqual(byName.knowledge.contexts, [0]);
  assert.deepEqual((byName.knowledge.options as Array<{ name: string }>).map((option) => option.name), ['status', 'reload', 'upload', 'rollback']);
});

test('connects: GET /gateway/bot with the token, IDENTIFY with the token and the Guilds intent only, heartbeats', async () => {
  const gatewayBot = discord.requests.find((request) => request.method === 'GET' && request.route === '/gateway/bot');
  assert.ok(gatewayBot, 'the client asked GET /gateway/bot (the gateway URL comes from DISCORD_API_BASE)');
  assert.equal(gatewayBot.headers.authorization, `Bot ${discord.token}`);
  assert.equal(discord.identifies.length, 1);
  const [identify] = discord.identifies;
  assert.equal(identify.token, discord.token);
  assert.equal(identify.intents, GatewayIntentBits.Guilds);
  assert.equal(identify.intents, 1);
  assert.deepEqual(identify.shard, [0, 1]);
  assert.match(discord.gatewayConnects[0], /v=10/);
  assert.match(discord.gatewayConnects[0], /encoding=json/);
  assert.doesNotMatch(discord.gatewayConnects[0], /compress/);
  // @discordjs/ws heartbeats again only after an ACK: three means the loop runs.
  await discord.waitUntil(() => (discord.heartbeats >= 3 ? true : undefined), 10_000, 'three heartbeats');
  // Every REST call the bot made was one the stand-in knows (no 404s from wrong routes).
  assert.deepEqual(discord.unknownRequests.map((request) => `${request.method} ${request.route}`), []);
});

test('once up, the bot warms the engine on the knowledge\u2019s own sentences and says so', async () => {
  const done = (await bot.waitForLog((l) => l.msg === "engine warmed up on the knowledge's own sentences", 30_000)) as unknown as { questions: number; ms: number };
  assert.ok(done.questions > 0 && done.questions <= WARM_UP_QUESTIONS, `asked ${done.questions}`);
  assert.equal(typeof done.ms, 'number', 'the log says how long it took');
});

test('/ask answers with the passage, the speaker and where, publicly, within 3 s', async () => {
  const sent = ask('Will China attack Ukraine?');
  const callback = await sent.waitForCallback();
  assert.ok(callback.elapsedMs < 3000, `first callback after ${callback.elapsedMs} ms`);
  const body = assertReply(callback, { ephemeral: false });
  assert.equal(body.flags ?? 0, 0);
  const answer = answerOf(body);
  assert.equal(answer.title, 'Will China attack Ukraine?');
  assert.match(answer.passage, /Fan Xianrong/);
  assert.match(answer.passage, /will never attack Ukraine and will respect the path chosen by Ukrainians/);
  assert.equal(answer.attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');
  assert.equal(answer.footer, 'article.md · Chinese Officials Share Support for Ukraine · paragraph 2');
  // 👍 and 👎 (and "More" first when further passages clear the threshold), documented custom_ids.
  const ids = customIds(body);
  const votes = ids.filter((id) => id.startsWith('ask:vote:'));
  assert.equal(votes.length, 2);
  assert.match(votes[0], /^ask:vote:up:[0-9a-z]+:\d+:\d+$/);
  assert.match(votes[1], /^ask:vote:down:[0-9a-z]+:\d+:\d+$/);
  for (const id of ids.filter((id) => !id.startsWith('ask:vote:'))) assert.match(id, /^ask:more:[0-9a-z]+:1:[0-9a-z]{10}$/);
  const line = await bot.waitForLog((l) => l.msg === 'answered /ask' && l.interactionId === sent.id);
  assert.equal(line.speaker, 'Fan Xianrong');
});

test('/ask private:true is the same answer, ephemeral (flags 64)', async () => {
  const body = assertReply(await ask('Will China attack Ukraine?', { private: true }).waitForCallback(), { ephemeral: true });
  assert.equal(body.flags, 64);
  assert.equal(answerOf(body).attribution, '— Fan Xianrong, Beijing’s ambassador to Ukraine');
  const publicBody = assertReply(await ask('Will China attack Ukraine?', { private: false }).waitForCallback(), { ephemeral: false });
  assert.equal(answerOf(publicBody).passage, answerOf(body).passage);
});

test('/ask with no confident answer: a helpful reply (what is covered, who can be quoted), never a passage', async () => {
  const body = assertReply(await ask('What is the best recipe for banana bread?').waitForCallback(), { ephemeral: false });
  assert.equal(body.embeds?.length, 1);
  const [embed] = body.embeds!;
  assert.equal(embed.title, 'What is the best recipe for banana bread?');
  assert.doesNotMatch(embed.description ?? '', /^> /m, 'no quoted passage');
  assert.match(embed.description ?? '', /no confident answer/);
  assert.deepEqual(embed.fields?.map((field) => field.name), ['The knowledge covers', 'People who can be quoted']);
  assert.match(embed.fields![0].value, /China Backs Away From Russia/);
  assert.match(embed.fields![1].value, /Fan Xianrong/);
  assert.match(embed.fields![1].value, /Wang Yi/);
  assert.deepEqual(customIds(body), [], 'no buttons on a non-answer');
});

test('the More button shows the next passages, ephemeral, each within the limits', async () => {
  // Broad questions several passages answer; the first whose answer offers "More".
  let sent: ReturnType<typeof ask> | undefined;
  let first: SentMessageBody | undefined;
  for (const question of ['What did China say about Russia and sanctions?', 'What did Zhao Lijian say?', 'Will China support Russia?']) {
    sent = ask(question);
    first = assertReply(await sent.waitForCallback(), { ephemeral: false });
    if (customIds(first).some((id) => id.startsWith('ask:more:'))) break;
  }
  assert.ok(sent && first);
  const moreId = customIds(first).find((id) => id.startsWith('ask:more:'));
  assert.ok(moreId, 'a broad question gets a More button');
  const pressed = discord.sendButton({ customId: moreId, message: originalOf(sent.id), user: newUser() });
  const callback = await pressed.waitForCallback();
  assert.ok(callback.elapsedMs < 3000);
  const body = assertReply(callback, { ephemeral: true });
  const embeds = body.embeds ?? [];
  assert.ok(embeds.length >= 1 && embeds.length <= 3, `${embeds.length} further passages`);
  const firstPassage = answerOf(first).passage;
  for (const [i, embed] of embeds.entries()) {
    assert.equal(embed.author?.name, `#${i + 2}`, 'ranked after the first answer');
    const view = answerOf({ ...body, embeds: [embed] });
    assert.notEqual(view.passage, firstPassage, 'More shows something new');
    assert.match(view.footer, /^article\.md · (?:.* · )?paragraph \d+$/, "document, the section when there is one, paragraph");
  }
});

/**
 * A question of `length` characters from the seed article's topics whose "More" (computed by the
 * core on the seed knowledge here) shows other passages than the same question cut to what an
 * embed title holds: so a "More" that re-asked the title would show. Its "More" offers More again,
 * so the key a further press carries can be checked. Built from a small grid of sentences rather
 * than one fixed string, so tuning the engine does not silently void the test.
 */
function longQuestionWithMore(length: number): { question: string; where: string[] } {
  const k = seedKnowledge();
  // What its "More" shows, and whether that offers More again.
  const more = (question: string) => {
    const reply = moreReply(k, question, 1);
    return reply.kind === 'answer' ? { where: reply.answers.map(whereText), hasMore: reply.hasMore } : { where: [] as string[], hasMore: false };
  };
  for (const head of ['What did China say about Russia? ', 'What did Zhao Lijian say? ', 'Will China support Russia? ', 'Will China attack Ukraine? ']) {
    for (const tail of ['What about sanctions?', 'What about the West?', 'What did Wang Yi say?', 'What about NATO?', 'And Ukraine?']) {
      const question = `${head.repeat(Math.ceil(length / head.length))}`.slice(0, length - tail.length - 1).trimEnd().padEnd(length - tail.length, ' ') + tail;
      const first = askReply(k, question);
      const { where, hasMore } = more(question);
      if (first.kind === 'answer' && first.hasMore && hasMore && where.length && where.join('|') !== more(question.slice(0, 255)).where.join('|')) return { question, where };
    }
  }
  throw new Error(`no ${length}-character question with "More" in the grid: widen it`);
}

test('"More" on a 400-character question continues the whole question, not the 256 characters its title holds', async () => {
  const { question, where } = longQuestionWithMore(400);
  assert.equal(question.length, 400);
  const sent = ask(question);
  const first = assertReply(await sent.waitForCallback(), { ephemeral: false });
  const title = first.embeds?.[0].title ?? '';
  assert.ok(title.length <= 256 && title.endsWith('…'), 'the title holds only the start of the question');
  const moreId = customIds(first).find((id) => id.startsWith('ask:more:'));
  assert.ok(moreId, 'the answer offers More');
  const pressed = discord.sendButton({ customId: moreId, message: originalOf(sent.id), user: newUser() });
  const body = assertReply(await pressed.waitForCallback(), { ephemeral: true });
  assert.deepEqual(body.embeds?.map((embed) => embed.footer?.text), where, 'the passages "More" finds for the whole question');
  const logged = await bot.waitForLog((l) => l.msg === 'answered "More"' && l.interactionId === pressed.id);
  assert.equal(logged.questionFrom, 'core');
  // Each further press goes on with the same whole question (the key is carried along).
  const further = customIds(body).filter((id) => id.startsWith('ask:more:'));
  assert.ok(further.length > 0, '"More" offers More again');
  for (const id of further) assert.equal(id.split(':').at(-1), moreId.split(':').at(-1));
});

test('👍 records feedback once per person, 👎 too; both answered ephemerally', async () => {
  const sent = ask('Will China attack Ukraine?');
  const body = assertReply(await sent.waitForCallback(), { ephemeral: false });
  const up = customIds(body).find((id) => id.startsWith('ask:vote:up:'))!;
  const down = customIds(body).find((id) => id.startsWith('ask:vote:down:'))!;
  const message = originalOf(sent.id);
  const voter = newUser();
  const first = discord.sendButton({ customId: up, message, user: voter });
  assertNotice(await first.waitForCallback(), /^Thanks! Noted as helpful\.$/);
  const logged = await bot.waitForLog((l) => l.msg === 'answer feedback' && l.interactionId === first.id);
  assert.equal(logged.vote, 'up');
  assert.equal(logged.counted, true);
  assert.equal(logged.question, 'Will China attack Ukraine?');
  assert.equal(logged.where, 'article.md · Chinese Officials Share Support for Ukraine · paragraph 2');
  const again = discord.sendButton({ customId: up, message, user: voter });
  assertNotice(await again.waitForCallback(), /already rated/);
  assert.equal((await bot.waitForLog((l) => l.msg === 'answer feedback' && l.interactionId === again.id)).counted, false);
  const other = discord.sendButton({ customId: down, message, user: newUser() });
  assertNotice(await other.waitForCallback(), /not helpful/);
});

test('/quote shows the speaker\u2019s quotes publicly, with where each stands', async () => {
  const body = assertReply(await discord.sendCommand({ name: 'quote', options: [str('speaker', 'Wang Yi')] }).waitForCallback(), { ephemeral: false });
  assert.equal(body.embeds?.length, 1);
  const [embed] = body.embeds!;
  assert.equal(embed.title, 'Quotes of Wang Yi');
  assert.match(embed.description ?? '', /Foreign Minister/);
  // The reported clause, its quoted words and the ", acknowledging …" clause, all in paragraph 3.
  assert.equal(embed.fields?.length, 3);
  assert.equal(embed.fields![0].name, '1. article.md · Chinese Officials Share Support for Ukraine · paragraph 3');
  assert.ok(embed.fields!.some((f) => /\*\*must not be affected\*\*/.test(f.value)));
  assert.equal(embed.footer?.text, '3 quotes');
});

test('/quote by an alias finds the canonical speaker', async () => {
  const body = assertReply(await discord.sendCommand({ name: 'quote', options: [str('speaker', 'the ambassador')] }).waitForCallback(), { ephemeral: false });
  assert.equal(body.embeds![0].title, 'Quotes of Fan Xianrong');
});

test('/quote autocomplete: "wa" offers Wang Yi first; at most 25 choices of at most 100 characters; value is the name', async () => {
  const typed = (value: string) =>
    discord.sendAutocomplete({ name: 'quote', options: [{ ...str('speaker', value), focused: true }] }).waitForCallback();
  const wa = await typed('wa');
  assert.ok(wa.elapsedMs < 3000);
  const choices = assertChoices(wa);
  assert.ok(choices.length >= 1);
  assert.deepEqual(choices[0], { name: 'Wang Yi — Foreign Minister', value: 'Wang Yi' });

  const all = assertChoices(await typed(''));
  assert.deepEqual(all.map((choice) => choice.value).sort(), ['Andrew Small', 'Beijing', 'Fan Xianrong', 'Wang Yi', 'Zhao Lijian']);

  // An alias matches; the label says which, the value stays the canonical name.
  const alias = assertChoices(await typed('ambass'));
  assert.equal(alias[0].value, 'Fan Xianrong');
  assert.match(alias[0].name, /^Fan Xianrong \(the ambassador\)/);

  // A typo still finds him (fuzzy).
  assert.equal(assertChoices(await typed('Xianrogn'))[0]?.value, 'Fan Xianrong');
  assert.deepEqual(assertChoices(await typed('qqqqzzzz')), []);
  // Whatever is typed, even 6000 characters the client would never send, the answer fits.
  assertChoices(await typed('x'.repeat(6000)));
});

test('/quote with an unknown name: ephemeral suggestions, or everyone who can be quoted', async () => {
  const close = assertReply(await discord.sendCommand({ name: 'quote', options: [str('speaker', 'Zhao Li')] }).waitForCallback(), { ephemeral: true });
  assert.equal(close.embeds![0].title, 'No one called “Zhao Li” is quoted');
  assert.match(close.embeds![0].description ?? '', /^Did you mean: .*\*\*Zhao Lijian\*\*/);
  const far = assertReply(await discord.sendCommand({ name: 'quote', options: [str('speaker', 'Smith')] }).waitForCallback(), { ephemeral: true });
  assert.equal(far.embeds![0].title, 'No one called “Smith” is quoted');
  assert.match(far.embeds![0].description ?? '', /^People who can be quoted:\n• Fan Xianrong/);
});

test('per-user cooldown on /ask: an ephemeral "try again in N s", others unaffected', async () => {
  const user = newUser();
  assertReply(await ask('Will China attack Ukraine?', { user }).waitForCallback(), { ephemeral: false });
  const second = await ask('Who is Wang Yi?', { user }).waitForCallback();
  assertNotice(second, /^You are asking fast: try again in \d+ s\.$/);
  const wait = Number(/in (\d+) s/.exec(second.data.content ?? '')![1]);
  assert.ok(wait >= 1 && wait <= COOLDOWN_SECONDS);
  assertReply(await ask('Who is Wang Yi?').waitForCallback(), { ephemeral: false });
});

test('junk: an unknown command gets an ephemeral apology', async () => {
  const sent = discord.sendCommand({ name: 'frobnicate', options: [str('x', 'y')] });
  assertNotice(await sent.waitForCallback(), /^Sorry, I don't know the command \/frobnicate\.$/);
  await bot.waitForLog((l) => l.level === 'error' && l.interactionId === sent.id);
});

test('junk: a command without its required option gets an ephemeral apology', async () => {
  const sent = discord.sendCommand({ name: 'ask', user: newUser() });
  assertNotice(await sent.waitForCallback(), /without the options it needs/);
  assertNotice(await discord.sendCommand({ name: 'quote' }).waitForCallback(), /without the options it needs/);
  // /knowledge with no subcommand (a moderator, so it gets past the permission check).
  const knowledge = discord.sendCommand({ name: 'knowledge', member: discord.moderator });
  const callback = await knowledge.waitForCallback();
  assert.equal(callback.data.flags, 64);
  if (callback.type === InteractionResponseType.DeferredChannelMessageWithSource) {
    const edit = await discord.waitForEdit(knowledge.id);
    assertMessage(edit.body);
    assert.match(edit.body.content ?? '', /without the options it needs/);
  } else {
    assertNotice(callback, /without the options it needs/);
  }
  await bot.waitForLog((l) => l.msg === 'interaction is missing options' && l.interactionId === sent.id);
});

test('junk: a 6000-character question is answered politely, inside every limit', async () => {
  const long = `Will China attack Ukraine? ${'and what about the sanctions '.repeat(250)}`.slice(0, 6000);
  assert.equal(long.length, 6000);
  const callback = await ask(long).waitForCallback();
  assert.ok(callback.elapsedMs < 3000, `${callback.elapsedMs} ms`);
  const body = assertReply(callback, { ephemeral: false });
  const [embed] = body.embeds!;
  assert.ok((embed.title ?? '').length <= 256);
  assert.ok(embed.title?.startsWith('Will China attack Ukraine?'));
  // A question full of mentions pings nobody either.
  const pings = assertReply(await ask('@everyone @here <@123456789012345678> <@&123456789012345678> Will China attack Ukraine?').waitForCallback(), { ephemeral: false });
  assert.deepEqual(pings.allowed_mentions, { parse: [] });
  assert.deepEqual(body.allowed_mentions, { parse: [] });
});

test('junk: unknown and forged buttons, autocomplete of a command without one, /knowledge in a DM', async () => {
  assertNotice(await discord.sendButton({ customId: 'nobody:knows' }).waitForCallback(), /does not work/);
  assertNotice(await discord.sendButton({ customId: 'ask:more:zzz' }).waitForCallback(), /does not work any more/);
  assertNotice(await discord.sendButton({ customId: 'quote:page:deadbeef:0:1' }).waitForCallback(), /knowledge changed/);
  // "More" on a message that carries no question.
  assertNotice(await discord.sendButton({ customId: 'ask:more:deadbeef:1' }).waitForCallback(), /cannot find the question/);
  const none = await discord.sendAutocomplete({ name: 'ask', options: [{ ...str('question', 'wi'), focused: true }] }).waitForCallback();
  assert.deepEqual(assertChoices(none), []);
  const dm = await discord.sendCommand({ name: 'knowledge', guildId: null, options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'status' }] }).waitForCallback();
  assertNotice(dm, /Manage Server/);
});

test('after all the junk the bot still runs and answers', async () => {
  assert.equal(bot.exit, null);
  const body = assertReply(await ask('Who said China must not be affected by sanctions?').waitForCallback(), { ephemeral: false });
  assert.equal(answerOf(body).attribution, '— Wang Yi, Foreign Minister');
  assert.deepEqual(bot.logs('uncaught exception (still running)'), []);
  assert.deepEqual(bot.logs('unhandled promise rejection (still running)'), []);
});

test('the logs never contain the token', () => {
  const output = e2e.allOutput();
  assert.ok(output.includes('answered /ask'), 'the logs were captured');
  assert.ok(!output.includes(discord.token), 'the token appears in the logs');
});
