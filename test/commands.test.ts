/**
 * Slash command definitions and the checks around them: names, option limits, permissions and
 * contexts, the zod predicate, button custom_ids, the cooldown, and the handlers' refusals
 * (driven with small stand-in interaction objects; the real discord.js path is end-to-end).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApplicationCommandOptionType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  PermissionsBitField,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { COMMAND_MODULES, commandDefinitions, loadCommands } from '../commands/index.js';
import * as ask from '../commands/ask.js';
import * as knowledge from '../commands/knowledge.js';
import { loadConfig } from '../src/config.js';
import type { CommandContext } from '../src/bot/context.js';
import { Cooldowns } from '../src/app/cooldown.js';
import { FollowUps } from '../src/app/follow-ups.js';
import { encodeButton, parseButton, type ButtonAction } from '../src/bot/custom-ids.js';
import type { KnowledgeRequest, KnowledgeService } from '../src/app/knowledge-service.js';
import { notice } from '../src/app/replies.js';
import { CUSTOM_ID_LIMIT } from '../src/bot/limits.js';
import { createLogger } from '../src/log.js';
import { fakeChatInput, seedKnowledge } from './helpers.js';

type Option = { type: number; name: string; description: string; required?: boolean; max_length?: number; autocomplete?: boolean; options?: Option[] };

function definition(name: string) {
  const found = commandDefinitions().find((c) => c.name === name);
  assert.ok(found, `/${name} is defined`);
  return found as Omit<typeof found, 'options'> & { options?: Option[] };
}

test('the three commands load and pass the zod check', () => {
  const commands = loadCommands();
  assert.deepEqual(commands.map((c) => c.data.name).sort(), ['ask', 'knowledge', 'quote']);
  for (const c of commands) {
    assert.ok(c.data.description.length >= 1 && c.data.description.length <= 100, `/${c.data.name} description within 1-100`);
    const walk = (options: Option[] = []): void => {
      assert.ok(options.length <= 25);
      for (const o of options) {
        assert.match(o.name, /^[-_a-z0-9]{1,32}$/);
        assert.ok(o.description.length >= 1 && o.description.length <= 100, `option ${o.name} description within 1-100`);
        walk(o.options);
      }
    };
    walk(c.data.options as Option[] | undefined);
    // Discord caps a command's names, descriptions and choices at 8000 characters together.
    assert.ok(JSON.stringify(c.data).length < 8000);
  }
});

test('/ask: question is a required string of at most 500 characters; private is an optional boolean', () => {
  const options = definition('ask').options!;
  const question = options.find((o) => o.name === 'question')!;
  assert.equal(question.type, ApplicationCommandOptionType.String);
  assert.equal(question.required, true);
  assert.equal(question.max_length, 500);
  const isPrivate = options.find((o) => o.name === 'private')!;
  assert.equal(isPrivate.type, ApplicationCommandOptionType.Boolean);
  assert.notEqual(isPrivate.required, true);
  assert.equal(options[0].name, 'question', 'required options come first');
  assert.equal(definition('ask').default_member_permissions, undefined, 'everyone may ask');
});

test('/quote: speaker is a required string with autocomplete', () => {
  const [speaker] = definition('quote').options!;
  assert.equal(speaker.name, 'speaker');
  assert.equal(speaker.type, ApplicationCommandOptionType.String);
  assert.equal(speaker.required, true);
  assert.equal(speaker.autocomplete, true);
  assert.ok((speaker.max_length ?? 6000) <= 100);
});

test('/knowledge: guild-only, ManageGuild by default, four subcommands, upload takes a required attachment', () => {
  const k = definition('knowledge');
  assert.equal(k.default_member_permissions, PermissionFlagsBits.ManageGuild.toString());
  assert.deepEqual(k.contexts, [InteractionContextType.Guild]);
  const subs = k.options!;
  assert.deepEqual(subs.map((s) => s.name), ['status', 'reload', 'upload', 'rollback']);
  assert.ok(subs.every((s) => s.type === ApplicationCommandOptionType.Subcommand));
  const [file] = subs.find((s) => s.name === 'upload')!.options!;
  assert.equal(file.name, 'file');
  assert.equal(file.type, ApplicationCommandOptionType.Attachment);
  assert.equal(file.required, true);
});

test('the zod check rejects a bad command and names it', () => {
  const execute = async () => undefined;
  const good = { data: { name: 'fine', description: 'ok' }, execute };
  assert.equal(loadCommands([good]).length, 1);
  assert.throws(() => loadCommands([{ data: { name: 'Ask Me', description: 'x' }, execute }]), /command \/Ask Me is invalid: data\.name/);
  assert.throws(() => loadCommands([{ data: { name: 'long', description: 'x'.repeat(101) }, execute }]), /\/long is invalid: data\.description/);
  assert.throws(() => loadCommands([{ data: { name: 'noexec', description: 'x' } }]), /\/noexec is invalid: execute/);
  assert.throws(() => loadCommands([{ data: { name: 'opt', description: 'x', options: [{ type: 3, name: 'Bad Name', description: 'x' }] }, execute }]), /\/opt is invalid: data\.options\.0\.name/);
  assert.throws(() => loadCommands([{ ...good, buttonPrefix: 'fine:' }]), /buttonPrefix and button come together/);
  assert.throws(() => loadCommands([good, good]), /\/fine is defined twice/);
  assert.throws(() => loadCommands([null]), /command #1 is invalid/);
  assert.equal(COMMAND_MODULES.length, 3);
});

test('button custom_ids round-trip, fit in 100 characters, and junk parses to null', () => {
  const version = seedKnowledge().version;
  const actions: ButtonAction[] = [
    { kind: 'more', version, shown: 4 },
    { kind: 'more', version, shown: 999_999_999, key: new FollowUps().remember('q'.repeat(500)) },
    { kind: 'vote', vote: 'up', version, start: 786, end: 941 },
    { kind: 'vote', vote: 'down', version, start: 999_999_999, end: 999_999_999 },
    { kind: 'quote-page', version, speaker: 12, page: 3 },
  ];
  for (const action of actions) {
    const id = encodeButton(action);
    assert.ok(id.length <= CUSTOM_ID_LIMIT, id);
    assert.deepEqual(parseButton(id), action);
  }
  for (const junk of ['', 'ask:', 'ask:more', 'ask:more:v:x', 'ask:vote:maybe:v:1:2', 'quote:page:v:1', 'other:more:v:1', 'ask:more:v:1:extra']) {
    assert.equal(parseButton(junk), null, junk);
  }
});

test('cooldown: one use per user per period, the wait rounded up, 0 disables it', () => {
  let now = 1_000_000;
  const cooldown = new Cooldowns(3, () => now);
  assert.equal(cooldown.take('a'), 0);
  assert.equal(cooldown.take('b'), 0, 'per user');
  now += 500;
  assert.equal(cooldown.take('a'), 3);
  now += 2_000;
  assert.equal(cooldown.take('a'), 1);
  now += 500;
  assert.equal(cooldown.take('a'), 0, 'free again after 3 s');
  const off = new Cooldowns(0, () => now);
  assert.equal(off.take('a'), 0);
  assert.equal(off.take('a'), 0);
});

// ---------------------------------------------------------------- handlers with stand-in interactions

interface Recorded {
  replies: Array<Record<string, unknown>>;
  deferred: Array<Record<string, unknown>>;
  edits: Array<Record<string, unknown>>;
  requests: KnowledgeRequest[];
}

function harness(options: { permissions: bigint; subcommand?: string; attachment?: { name: string; size: number; url: string }; question?: string; cooldownSeconds?: number }) {
  const recorded: Recorded = { replies: [], deferred: [], edits: [], requests: [] };
  const service: KnowledgeService = {
    async run(request) {
      recorded.requests.push(request);
      return notice('info', `ran ${request.action}`);
    },
  };
  const config = loadConfig({ KNOWLEDGE_ATTACHMENT_HOSTS: 'files.example.org' });
  const k = seedKnowledge();
  const ctx = {
    config,
    servers: { peek: () => ({ knowledge: k }), answering: async () => ({ knowledge: k }) },
    knowledge: service,
    logger: createLogger({ level: 'silent' }),
    askCooldown: new Cooldowns(options.cooldownSeconds ?? 0),
  } as unknown as CommandContext;
  const interaction = {
    id: '100000000000000001',
    user: { id: '100000000000000002', username: 'someone' },
    guildId: '100000000000000003',
    channelId: '100000000000000004',
    inGuild: () => true,
    memberPermissions: new PermissionsBitField(options.permissions),
    options: {
      getSubcommand: () => options.subcommand ?? null,
      getAttachment: () => options.attachment,
      getString: () => options.question ?? 'Will China attack Ukraine?',
      getBoolean: () => null,
    },
    reply: async (body: Record<string, unknown>) => void recorded.replies.push(body),
    deferReply: async (body: Record<string, unknown>) => void recorded.deferred.push(body),
    editReply: async (body: Record<string, unknown>) => void recorded.edits.push(body),
  } as unknown as ChatInputCommandInteraction;
  return { recorded, ctx, interaction };
}

test('/knowledge from a member without ManageGuild: an ephemeral refusal, nothing deferred, nothing run', async () => {
  for (const subcommand of ['status', 'reload', 'upload', 'rollback']) {
    const { recorded, ctx, interaction } = harness({ permissions: PermissionFlagsBits.SendMessages, subcommand });
    await knowledge.execute(interaction, ctx);
    assert.equal(recorded.replies.length, 1);
    assert.equal(recorded.replies[0].flags, MessageFlags.Ephemeral);
    assert.match(String(recorded.replies[0].content), /Manage Server.*Nothing was changed/);
    assert.deepEqual(recorded.replies[0].allowedMentions, { parse: [] });
    assert.equal(recorded.deferred.length, 0);
    assert.equal(recorded.requests.length, 0, 'the knowledge was not touched');
  }
});

test('/knowledge from a moderator: deferred ephemerally, then the reply is an edit', async () => {
  const { recorded, ctx, interaction } = harness({ permissions: PermissionFlagsBits.ManageGuild, subcommand: 'reload' });
  await knowledge.execute(interaction, ctx);
  assert.deepEqual(recorded.deferred, [{ flags: MessageFlags.Ephemeral }]);
  assert.equal(recorded.replies.length, 0);
  assert.deepEqual(recorded.requests, [{ action: 'reload', by: 'someone (100000000000000002)' }]);
  assert.equal(recorded.edits.length, 1);
  assert.deepEqual(recorded.edits[0].allowedMentions, { parse: [] });
});

test('/knowledge upload: wrong type, too large and a host not allowed are refused before anything is fetched', async (t) => {
  const fetched: string[] = [];
  t.mock.method(globalThis, 'fetch', async (url: string) => {
    fetched.push(String(url));
    throw new Error('must not fetch');
  });
  const cases = [
    { attachment: { name: 'notes.pdf', size: 100, url: 'https://cdn.discordapp.com/a/notes.pdf' }, reason: /\.md or \.txt/ },
    { attachment: { name: 'big.md', size: 6 * 1024 * 1024, url: 'https://cdn.discordapp.com/a/big.md' }, reason: /too large/ },
    // The store's own name rule, checked before the download: a name it would refuse is never fetched.
    { attachment: { name: '.hidden.md', size: 100, url: 'https://cdn.discordapp.com/a/.hidden.md' }, reason: /starts with "\." \(a hidden file\)/ },
    { attachment: { name: 'tab\there.md', size: 100, url: 'https://cdn.discordapp.com/a/tab.md' }, reason: /control character/ },
    { attachment: { name: `${'n'.repeat(220)}.md`, size: 100, url: 'https://cdn.discordapp.com/a/long.md' }, reason: /file name is too long: 223 bytes/ },
    { attachment: { name: 'empty.md', size: 0, url: 'https://cdn.discordapp.com/a/empty.md' }, reason: /^empty: the file has no text$/ },
    { attachment: { name: 'a.md', size: 100, url: 'https://evil.example.com/a.md' }, reason: /only from Discord or the hosts in KNOWLEDGE_ATTACHMENT_HOSTS/ },
    { attachment: { name: 'a.md', size: 100, url: 'http://cdn.discordapp.com/a/a.md' }, reason: /https only/ },
    { attachment: { name: 'a.md', size: 100, url: 'file:///etc/passwd.md' }, reason: /http\(s\) only/ },
  ];
  for (const { attachment, reason } of cases) {
    const { recorded, ctx, interaction } = harness({ permissions: PermissionFlagsBits.ManageGuild, subcommand: 'upload', attachment });
    await knowledge.execute(interaction, ctx);
    assert.equal(recorded.requests.length, 1);
    const request = recorded.requests[0];
    assert.equal(request.action, 'refuse-upload', attachment.url);
    assert.match((request as { reason: string }).reason, reason);
  }
  assert.deepEqual(fetched, []);
});

test('/ask within the cooldown: an ephemeral "try again in N s"', async () => {
  const { recorded, ctx, interaction } = harness({ permissions: 0n, cooldownSeconds: 30 });
  await ask.execute(interaction, ctx);
  assert.equal(recorded.replies.length, 1);
  assert.equal(recorded.replies[0].flags, undefined, 'the answer itself is public by default');
  await ask.execute(interaction, ctx);
  assert.equal(recorded.replies.length, 2);
  assert.equal(recorded.replies[1].flags, MessageFlags.Ephemeral);
  assert.match(String(recorded.replies[1].content), /try again in 30 s/);
});

// ---------------------------------------------------------------- router

test('router: unknown commands and throwing handlers get an ephemeral apology; shutdown waits for replies in flight', async () => {
  const { createRouter } = await import('../src/bot/router.js');
  const sent: Array<Record<string, unknown>> = [];
  let slowDone = false;
  const commands = loadCommands([
    { data: { name: 'boom', description: 'throws' }, execute: async () => Promise.reject(new Error('kaput')) },
    {
      data: { name: 'slow', description: 'takes a while' },
      execute: async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        slowDone = true;
      },
    },
  ]);
  const ctx = { logger: createLogger({ level: 'silent' }) } as unknown as CommandContext;
  const router = createRouter(commands, ctx);

  router.handle(fakeChatInput('nope', sent));
  router.handle(fakeChatInput('boom', sent));
  await router.drain(1_000);
  assert.equal(sent.length, 2);
  assert.match(String(sent[0].content), /don't know the command \/nope/);
  assert.match(String(sent[1].content), /something went wrong/);
  for (const body of sent) {
    assert.equal(body.flags, MessageFlags.Ephemeral);
    assert.deepEqual(body.allowedMentions, { parse: [] });
  }

  router.handle(fakeChatInput('slow', sent));
  router.close();
  router.handle(fakeChatInput('slow', sent));
  assert.equal(router.inFlight, 2);
  assert.equal(await router.drain(2_000), true);
  assert.equal(slowDone, true, 'the reply in flight finished');
  assert.match(String(sent.at(-1)!.content), /restarting/, 'after close, new interactions are asked to retry');
  assert.equal(router.inFlight, 0);
});
