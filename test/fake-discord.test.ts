/**
 * Proves the loopback Discord stand-in drives the real discord.js v14 client: login over REST and
 * the gateway, every interaction kind the bot uses, reply paths back over REST, and reconnects.
 */
import { once } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { shardForGuild, startFakeDiscord, type FakeDiscord } from './support/fake-discord.js';

/**
 * A miniature bot wired like a real one. Handler failures are collected rather than thrown so a
 * broken reply shows up as an assertion, not as an unhandled rejection.
 */
function startMiniBot(discord: FakeDiscord, clientOptions: { shards?: 'auto' } = {}) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase }, ...clientOptions });
  const received: Interaction[] = [];
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    received.push(interaction);
    handle(interaction).catch((error: unknown) => errors.push(error));
  });
  return { client, received, errors };
}

async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    await interaction.respond([{ name: `${typed}ld`, value: `${typed}ld` }]);
  } else if (interaction.isButton()) {
    await interaction.reply({ content: `pressed ${interaction.customId}`, flags: MessageFlags.Ephemeral });
  } else if (interaction.isChatInputCommand()) {
    await handleCommand(interaction);
  }
}

async function handleCommand(interaction: ChatInputCommandInteraction): Promise<void> {
  switch (interaction.commandName) {
    case 'echo':
      await interaction.reply(`echo: ${interaction.options.getString('text', true)}`);
      break;
    case 'slow':
      await interaction.deferReply();
      await interaction.editReply('done thinking');
      await interaction.followUp({ content: 'sources', files: [{ attachment: Buffer.from('quote'), name: 'q.txt' }] });
      break;
    case 'read': {
      const file = interaction.options.getAttachment('file', true);
      const text = await (await fetch(file.url)).text();
      await interaction.reply(`read ${file.name}: ${text}`);
      break;
    }
    default:
      throw new Error(`unexpected command ${interaction.commandName}`);
  }
}

/** Logs the client in and waits for discord.js's own "ready" (all guilds received). */
async function login(client: Client, discord: FakeDiscord): Promise<void> {
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(10_000) });
  await client.login(discord.token);
  await ready;
}

function echo(text: string) {
  return { name: 'echo', options: [{ type: ApplicationCommandOptionType.String as const, name: 'text', value: text }] };
}

test('the real discord.js client works against the fake Discord', { timeout: 45_000 }, async (t) => {
  // Short enough to see heartbeats, long enough that a busy event loop cannot fake a zombie connection.
  const discord = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  const { client, received, errors } = startMiniBot(discord);
  t.after(async () => {
    await client.destroy();
    await discord.close();
  });
  await login(client, discord);

  await t.test('logs in with the token and intents and caches the guild', () => {
    assert.equal(discord.identifies.length, 1);
    assert.equal(discord.identifies[0].token, discord.token);
    assert.equal(discord.identifies[0].intents, GatewayIntentBits.Guilds);
    assert.deepEqual(discord.identifies[0].shard, [0, 1]);
    assert.match(discord.gatewayConnects[0], /v=10/);
    assert.match(discord.gatewayConnects[0], /encoding=json/);
    assert.doesNotMatch(discord.gatewayConnects[0], /compress/);
    const gatewayBot = discord.requests.find((request) => request.route === '/gateway/bot');
    assert.equal(gatewayBot?.headers.authorization, `Bot ${discord.token}`);
    assert.equal(client.user?.id, discord.applicationId);
    assert.equal(client.guilds.cache.get(discord.guildId)?.available, true);
    assert.equal(client.guilds.cache.get(discord.guildId)?.members.me?.id, discord.applicationId);
  });

  await t.test('acknowledges heartbeats, so discord.js never sees a zombie connection', async () => {
    // @discordjs/ws sends a second heartbeat only if the first was acknowledged.
    await discord.waitUntil(() => (discord.heartbeats >= 2 ? true : undefined), 5000, 'two heartbeats');
    assert.ok(client.ws.ping >= 0);
  });

  await t.test('registers commands and dispatches a slash command whose reply comes back', async () => {
    assert.ok(client.application);
    const [registered] = await client.application.commands.set([
      {
        name: 'echo',
        description: 'Echo text',
        options: [{ type: ApplicationCommandOptionType.String, name: 'text', description: 'Text', autocomplete: true }],
      },
    ]).then((commands) => [...commands.values()]);
    assert.equal(discord.registeredCommands.length, 1);
    assert.equal(discord.registeredCommands[0].guildId, null);

    const sent = discord.sendCommand({ ...echo('hello'), member: discord.moderator });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, InteractionResponseType.ChannelMessageWithSource);
    assert.equal(callback.data.content, 'echo: hello');
    assert.ok(callback.elapsedMs >= 0);
    assert.equal(discord.interactionResponses(sent.id).original?.content, 'echo: hello');

    const interaction = received.at(-1);
    assert.ok(interaction?.isChatInputCommand());
    assert.equal(interaction.id, sent.id);
    assert.equal(interaction.commandId, registered.id);
    assert.equal(interaction.guildId, discord.guildId);
    assert.equal(interaction.channelId, discord.channelId);
    assert.equal(interaction.user.id, discord.moderator.user.id);
    assert.equal(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild), true);
    assert.equal(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator), false);
  });

  await t.test('a plain member has no permissions', async () => {
    const sent = discord.sendCommand({ ...echo('plain'), member: discord.plainMember });
    await sent.waitForCallback();
    const interaction = received.find((candidate) => candidate.id === sent.id);
    assert.equal(interaction?.memberPermissions?.bitfield, 0n);
  });

  await t.test('resolves an attachment option the bot can download', async () => {
    const url = discord.serveAttachment('note.txt', Buffer.from('hi there'), 'text/plain');
    const sent = discord.sendCommand({
      name: 'read',
      options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', value: url }],
    });
    const callback = await sent.waitForCallback();
    assert.equal(callback.data.content, 'read note.txt: hi there');
    assert.equal(discord.attachmentFetches.length, 1);
    assert.equal(discord.attachmentFetches[0].url, url);
  });

  await t.test('dispatches autocomplete and captures the choices', async () => {
    const sent = discord.sendAutocomplete({
      name: 'echo',
      options: [{ type: ApplicationCommandOptionType.String, name: 'text', value: 'wor', focused: true }],
    });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, InteractionResponseType.ApplicationCommandAutocompleteResult);
    assert.deepEqual(callback.data.choices, [{ name: 'world', value: 'world' }]);
  });

  await t.test('dispatches a button press and captures the ephemeral reply', async () => {
    const sent = discord.sendButton({ customId: 'more' });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, InteractionResponseType.ChannelMessageWithSource);
    assert.equal(callback.data.content, 'pressed more');
    assert.equal((callback.data.flags ?? 0) & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
    const interaction = received.find((candidate) => candidate.id === sent.id);
    assert.ok(interaction?.isButton());
    assert.equal(interaction.message.channelId, discord.channelId);
  });

  await t.test('captures a deferred reply, the editReply completing it and a follow-up with a file', async () => {
    const sent = discord.sendCommand({ name: 'slow' });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, InteractionResponseType.DeferredChannelMessageWithSource);
    const edit = await discord.waitForEdit(sent.id);
    assert.equal(edit.messageId, '@original');
    assert.equal(edit.body.content, 'done thinking');
    assert.ok(edit.elapsedMs >= callback.elapsedMs);
    const original = discord.interactionResponses(sent.id).original;
    assert.equal(original?.content, 'done thinking');
    assert.equal((original?.flags ?? 0) & MessageFlags.Loading, 0);

    const followUp = await discord.waitForFollowUp(sent.id);
    assert.equal(followUp.body.content, 'sources');
    assert.equal(followUp.files[0].filename, 'q.txt');
    assert.equal(followUp.files[0].data.toString(), 'quote');
    // Uploaded files become attachments served by the stand-in, as on Discord's CDN.
    const attachmentUrl = followUp.message.attachments[0].url;
    assert.equal(await (await fetch(attachmentUrl)).text(), 'quote');
  });

  await t.test('answers unknown routes with a 404 Discord error and records them', async () => {
    await assert.rejects(
      client.rest.get('/definitely/not/a/route'),
      (error: unknown) => error instanceof DiscordAPIError && error.status === 404,
    );
    assert.equal(discord.unknownRequests.at(-1)?.route, '/definitely/not/a/route');
  });

  await t.test('resumes after close code 4000 and replays an interaction sent while down', async () => {
    const resumed = once(client, Events.ShardResume, { signal: AbortSignal.timeout(10_000) });
    assert.equal(discord.dropConnection(4000), 1);
    // Dispatched while the socket is down: it waits in the session log for the RESUME replay.
    const sent = discord.sendCommand(echo('while down'));
    await resumed;
    assert.equal((await sent.waitForCallback(10_000)).data.content, 'echo: while down');
    assert.equal(discord.resumes.length, 1);
    assert.equal(discord.identifies.length, 1);
  });

  await t.test('resumes after an abrupt TCP close', async () => {
    assert.equal(discord.dropConnection(1006), 1);
    await discord.waitForResume(10_000, 2);
    const sent = discord.sendCommand(echo('after terminate'));
    assert.equal((await sent.waitForCallback()).data.content, 'echo: after terminate');
    assert.equal(discord.identifies.length, 1);
  });

  await t.test('identifies anew after close code 1000 and keeps receiving interactions', async () => {
    assert.equal(discord.dropConnection(1000), 1);
    // @discordjs/ws throttles a shard's identifies to one per 5 s, so this takes a few seconds.
    await discord.waitForIdentify(15_000, 2);
    const sent = discord.sendCommand(echo('after re-identify'));
    assert.equal((await sent.waitForCallback()).data.content, 'echo: after re-identify');
  });

  await t.test('the bot raised no errors', () => {
    assert.deepEqual(errors, []);
  });
});

test('several shards: one socket each, guild events on the guild\'s shard', { timeout: 20_000 }, async (t) => {
  const discord = await startFakeDiscord({ shards: 2 });
  const { client, errors } = startMiniBot(discord, { shards: 'auto' });
  const interactionShards: number[] = [];
  client.on(Events.Raw, (packet: { t?: string }, shardId: number) => {
    if (packet.t === GatewayDispatchEvents.InteractionCreate) interactionShards.push(shardId);
  });
  t.after(async () => {
    await client.destroy();
    await discord.close();
  });
  await login(client, discord);

  const shards = discord.identifies.map((identify) => identify.shard).sort();
  assert.deepEqual(shards, [
    [0, 2],
    [1, 2],
  ]);
  const expectedShard = shardForGuild(discord.guildId, 2);
  assert.equal(client.guilds.cache.get(discord.guildId)?.shardId, expectedShard);

  const sent = discord.sendCommand(echo('sharded'));
  assert.equal((await sent.waitForCallback()).data.content, 'echo: sharded');
  assert.deepEqual(interactionShards, [expectedShard]);
  assert.deepEqual(errors, []);
});
