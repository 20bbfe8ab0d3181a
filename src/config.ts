/** Environment configuration, validated once at start with clear messages, then typed. */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DISCORD_ID, isDiscordId } from './knowledge/names.js';
import { DEFAULT_CACHE_DIR, DEFAULT_KNOWLEDGE_DIR, DEFAULT_SERVERS_DIR } from './paths.js';

const DISCORD_API = 'https://discord.com/api';
const snowflake = z.string().regex(DISCORD_ID, 'must be a Discord ID (17-20 digits)');
const optionalString = z.string().trim().transform((s) => (s === '' ? undefined : s)).optional();

const schema = z.object({
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString.pipe(snowflake.optional()),
  DISCORD_GUILD_ID: optionalString.pipe(snowflake.optional()),
  DISCORD_API_BASE: z
    .string()
    .trim()
    .default(DISCORD_API)
    .refine((s) => /^https?:\/\/[^/]+(\/.*)?\/api$/.test(s.replace(/\/$/, '')), 'must be an http(s) URL ending in /api, e.g. https://discord.com/api')
    .transform((s) => s.replace(/\/$/, '')),
  KNOWLEDGE_DIR: z.string().trim().default(DEFAULT_KNOWLEDGE_DIR),
  KNOWLEDGE_CACHE_DIR: z.string().trim().default(DEFAULT_CACHE_DIR),
  KNOWLEDGE_ATTACHMENT_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHARD_COUNT: z.coerce.number().int().min(1).max(1000).optional(),
  SHARD_IDS: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => Number(x.trim())) : undefined))
    .refine((ids) => !ids || ids.every((n) => Number.isInteger(n) && n >= 0), 'must be a comma-separated list of shard numbers'),
  ASK_COOLDOWN_SECONDS: z.coerce.number().min(0).max(3600).default(3),
  // Pause between starting shard processes: Discord lets a bot identify once per 5 s per bucket.
  SHARD_SPAWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5500),
  // Re-read KNOWLEDGE_DIR every N seconds (0 = off): for a folder shared between machines over a
  // network filesystem, where change events made on another machine do not arrive.
  KNOWLEDGE_POLL_SECONDS: z.coerce.number().min(0).max(86_400).default(0),
  // Versions of replaced files kept for rollback (per knowledge folder); the oldest go first.
  KNOWLEDGE_HISTORY: z.coerce.number().int().min(1).max(10_000).default(20),
  // One folder per server with knowledge of its own, named by the server's id.
  SERVERS_DIR: z.string().trim().default(DEFAULT_SERVERS_DIR),
  // Servers' own knowledge kept in memory; beyond it the least recently used is dropped (and
  // loaded again from the index cache when next asked).
  KNOWLEDGE_MEMORY_MB: z.coerce.number().min(1).max(1_000_000).default(512),
  // Users who may change the bundled default knowledge from Discord (/knowledge ... default:true).
  BOT_OWNER_IDS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((id) => id.trim()).filter(Boolean))
    .refine((ids) => ids.every(isDiscordId), 'must be a comma-separated list of Discord user IDs (17-20 digits)'),
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HEALTH_HOST: z.string().trim().default('127.0.0.1'),
  // Interactions mode: Discord posts interactions to this port (POST /interactions) instead of
  // the bot holding a gateway session. Needs DISCORD_PUBLIC_KEY to verify them.
  INTERACTIONS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INTERACTIONS_HOST: z.string().trim().default('0.0.0.0'),
  DISCORD_PUBLIC_KEY: optionalString.pipe(z.string().regex(/^[0-9a-fA-F]{64}$/, "must be the application's public key: 64 hex digits (Developer Portal, General Information)").optional()),
  // The servers' knowledge in PostgreSQL instead of folders: shared by every replica.
  DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional()),
});

export type Config = z.infer<typeof schema> & { discordHosts: string[] };

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`SHARD_COUNT=` in a compose file) means "not set", not zero.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.SHARD_IDS && c.SHARD_COUNT && c.SHARD_IDS.some((id) => id >= c.SHARD_COUNT!)) {
    throw new ConfigError('invalid configuration:\n  SHARD_IDS: every shard id must be below SHARD_COUNT');
  }
  if (c.SHARD_IDS && !c.SHARD_COUNT) throw new ConfigError('invalid configuration:\n  SHARD_IDS: needs SHARD_COUNT (the total over all processes)');
  if ((c.INTERACTIONS_PORT === undefined) !== (c.DISCORD_PUBLIC_KEY === undefined)) {
    throw new ConfigError('invalid configuration:\n  INTERACTIONS_PORT and DISCORD_PUBLIC_KEY: interactions mode needs both (the port to listen on, the key to verify what arrives)');
  }
  if (c.INTERACTIONS_PORT !== undefined && (c.SHARD_COUNT ?? 1) > 1) {
    throw new ConfigError('invalid configuration:\n  SHARD_COUNT: interactions mode has no gateway and no shards; run more replicas instead');
  }
  const knowledgeDir = isAbsolute(c.KNOWLEDGE_DIR) ? c.KNOWLEDGE_DIR : resolve(c.KNOWLEDGE_DIR);
  const serversDir = isAbsolute(c.SERVERS_DIR) ? c.SERVERS_DIR : resolve(c.SERVERS_DIR);
  // Attachments are downloaded only from Discord's CDN, or hosts the operator allows.
  const discordHosts = ['cdn.discordapp.com', 'media.discordapp.net'];
  return { ...c, KNOWLEDGE_DIR: knowledgeDir, SERVERS_DIR: serversDir, discordHosts };
}
