/**
 * The application core (src/app) and the router's share of every command: the whole question
 * kept for "More", the wording every presenter shows the same way, and timing, logging and
 * events done once by the router rather than by each handler.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatInputCommandInteraction } from 'discord.js';
import { loadCommands } from '../commands/index.js';
import { botEvents, type BotEventMap } from '../src/app/events.js';
import { FollowUps } from '../src/app/follow-ups.js';
import { askReply, noAnswerReply } from '../src/app/replies.js';
import { NO_ANSWER_TEXT, speakerLabel } from '../src/app/wording.js';
import type { CommandContext } from '../src/bot/context.js';
import { renderReplyMessage } from '../src/bot/render.js';
import { createRouter } from '../src/bot/router.js';
import { renderReplyText } from '../src/console/render.js';
import { createLogger } from '../src/log.js';
import { fakeChatInput, seedKnowledge } from './helpers.js';

test('FollowUps: a key of 10 [0-9a-z] finds the whole question until its TTL runs out; a use renews it', () => {
  let now = 0;
  const followUps = new FollowUps({ ttlMs: 1000, now: () => now });
  const question = 'q'.repeat(499) + '?';
  const key = followUps.remember(question);
  assert.match(key, /^[0-9a-z]{10}$/);
  assert.equal(followUps.recall(key), question);
  now = 900;
  assert.equal(followUps.recall(key), question, 'within the TTL');
  now = 1800;
  assert.equal(followUps.recall(key), question, 'the use at 900 renewed it');
  now = 2801;
  assert.equal(followUps.recall(key), null, 'expired');
  assert.equal(followUps.recall('0123456789'), null, 'never kept');
  assert.equal(followUps.size, 0);
});

test('FollowUps: bounded; the least recently used question goes first', () => {
  const followUps = new FollowUps({ max: 3 });
  const [a, b, c] = ['a', 'b', 'c'].map((q) => followUps.remember(q));
  assert.equal(followUps.recall(a), 'a'); // a is now the most recent
  const d = followUps.remember('d');
  assert.equal(followUps.size, 3);
  assert.equal(followUps.recall(b), null, 'b was the least recently used');
  assert.deepEqual([followUps.recall(a), followUps.recall(c), followUps.recall(d)], ['a', 'c', 'd']);
});

test('no answer and the speaker label read the same on Discord and in text', () => {
  const k = seedKnowledge();
  const reply = noAnswerReply(k, 'What is the best recipe for banana bread?');
  const [embed] = renderReplyMessage(reply).embeds;
  const text = renderReplyText(reply);
  assert.equal(embed.description, NO_ANSWER_TEXT);
  assert.ok(text.startsWith(`${NO_ANSWER_TEXT}\n`), text);
  const fan = k.speakers.find((s) => s.name === 'Fan Xianrong')!;
  const label = speakerLabel(fan.name, fan.role);
  assert.equal(label, 'Fan Xianrong, Beijing’s ambassador to Ukraine');
  assert.ok(text.includes(label), 'console lists speakers as "name, role"');
  assert.ok(embed.fields![1].value.includes(label), 'Discord lists speakers as "name, role"');
  const answer = askReply(k, 'Will China attack Ukraine?');
  assert.equal(answer.kind, 'answer');
  assert.ok(renderReplyMessage(answer).embeds[0].description!.endsWith(`— ${label}`));
  assert.ok(renderReplyText(answer).includes(`\n— ${label}\n`));
});

test('the router times, logs and counts every command: handlers only answer and say what happened', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const commands = loadCommands([
    {
      data: { name: 'asking', description: 'answers after a while' },
      execute: async (interaction: ChatInputCommandInteraction) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        await interaction.reply({ content: 'answer' });
        return { msg: 'answered /asking', fields: { score: 0.9 }, question: { command: 'ask', answered: true } };
      },
    },
    { data: { name: 'waiting', description: 'cooldown' }, execute: async () => ({ msg: 'cooldown on /waiting', level: 'warn', cooldown: true }) },
    { data: { name: 'plain', description: 'says nothing' }, execute: async () => undefined },
  ]);
  const questions: BotEventMap['question'][0][] = [];
  const cooldowns: BotEventMap['cooldown'][0][] = [];
  const onQuestion = (e: BotEventMap['question'][0]) => questions.push(e);
  const onCooldown = (e: BotEventMap['cooldown'][0]) => cooldowns.push(e);
  botEvents.on('question', onQuestion);
  botEvents.on('cooldown', onCooldown);
  try {
    const router = createRouter(commands, { logger } as unknown as CommandContext);
    const sent: unknown[] = [];
    for (const name of ['asking', 'waiting', 'plain']) router.handle(fakeChatInput(name, sent));
    assert.equal(await router.drain(2000), true);
    const byMsg = (msg: string) => lines.find((l) => l.msg === msg);
    const asked = byMsg('answered /asking')!;
    assert.ok(asked, 'the outcome is logged');
    assert.equal(asked.command, 'asking');
    assert.equal(asked.interactionId, '200000000000000001');
    assert.equal(asked.userId, '200000000000000002');
    assert.equal(asked.score, 0.9);
    assert.ok((asked.latencyMs as number) >= 25, `latency measured around the handler: ${asked.latencyMs}`);
    assert.equal(questions.length, 1);
    assert.deepEqual({ ...questions[0], latencyMs: 0 }, { source: 'discord', command: 'ask', answered: true, latencyMs: 0 });
    assert.equal(questions[0].latencyMs, asked.latencyMs, 'the event and the log line carry the same latency');
    assert.equal(byMsg('cooldown on /waiting')!.level, 'warn', 'warn level as the handler asked');
    assert.deepEqual(cooldowns, [{ command: 'waiting', userId: '200000000000000002' }]);
    assert.equal(byMsg('handled /plain')!.command, 'plain', 'a handler that says nothing is logged too');
  } finally {
    botEvents.off('question', onQuestion);
    botEvents.off('cooldown', onCooldown);
  }
});
