/** Which server's knowledge answers: the guild's when the bot is installed there, the default otherwise. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interaction } from 'discord.js';
import { serverOf } from '../src/bot/scope.js';

const GUILD = '100000000000000001';
const USER = '100000000000000002';
const of = (guildId: string | null, owners?: { guildId: string | null; userId: string | null }) => serverOf({ guildId, authorizingIntegrationOwners: owners } as unknown as Interaction);

test('a guild install answers from the guild; DMs and user installs from the default', () => {
  assert.equal(of(GUILD, { guildId: GUILD, userId: null }), GUILD, 'installed in this guild');
  assert.equal(of(null, { guildId: null, userId: USER }), null, 'a DM');
  assert.equal(of(GUILD, { guildId: null, userId: USER }), null, 'a user install used inside a guild the bot is not in');
  assert.equal(of(GUILD, { guildId: '100000000000000009', userId: null }), null, 'installed elsewhere');
  assert.equal(of(GUILD), GUILD, 'no owners map (older payloads): the guild');
});
