/**
 * The discord.js client as this bot needs it: the Guilds intent only (slash commands, buttons
 * and autocomplete arrive as interactions; no message content, no members), REST (and so the
 * gateway URL, from GET /gateway/bot) through DISCORD_API_BASE, and no mentions by default.
 */
import { Client, GatewayIntentBits, Options, type ClientOptions } from 'discord.js';
import type { Config } from '../config.js';
import { NO_MENTIONS } from './render.js';

export function createClient(config: Pick<Config, 'DISCORD_API_BASE'>, overrides: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.DISCORD_API_BASE },
    allowedMentions: NO_MENTIONS,
    // Messages are never read; interactions carry what they need. Nothing to cache.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    ...overrides,
  });
}
