/**
 * Starts the Discord bot on a loaded KnowledgeStore: the client, the commands (validated), the
 * interaction router, gateway logging, and the cross-shard knowledge hook. `stop()` is the
 * graceful half: no new interactions, replies in flight finish (up to a grace period), then the
 * gateway connection closes.
 */
import { Events, type Client } from 'discord.js';
import type { Config } from '../config.js';
import type { ServerKnowledge } from '../knowledge/servers.js';
import { registerSecret, type Logger } from '../log.js';
import { createClient } from './client.js';
import { EXIT_FATAL_GATEWAY, fatalCloseReason } from './gateway.js';
import { STOP_GRACE_MS } from '../app/limits.js';
import { createCommandContext, type Command } from './context.js';
import { emitBotEvent } from '../app/events.js';
import { createRouter } from './router.js';
import { createShardPeers, exposeKnowledgeToShards, shardLabel } from './shards.js';

export interface RunningBot {
  readonly client: Client;
  /** Stops taking interactions, lets replies in flight finish (up to graceMs), disconnects. */
  stop(graceMs?: number): Promise<void>;
}

/** `commands` come from the caller (main wires commands/ in), so src/bot never imports commands/. */
export async function startBot(config: Config, servers: ServerKnowledge, logger: Logger, commands: readonly Command[]): Promise<RunningBot> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is required to start the bot');
  registerSecret(config.DISCORD_TOKEN);
  const log = logger.child({ component: 'bot' });
  /** A close no reconnect can fix: say why, once, and end the process (see gateway.ts). */
  const onFatalClose = (code: number, reason: string, shardId: number) => {
    log.fatal({ shardId, code, reason, exitCode: EXIT_FATAL_GATEWAY }, `gateway closed with fatal code ${code}: ${reason}; exiting`);
    void client.destroy().finally(() => process.exit(EXIT_FATAL_GATEWAY));
  };
  const client = createClient(config);

  // Only the default is shared between shards: a server's own knowledge lives in the shard serving it.
  const store = servers.defaultStore;
  exposeKnowledgeToShards(client, store, logger);
  const ctx = createCommandContext({ config, servers, logger, shardLabel: shardLabel(client), peers: createShardPeers(client) });
  const router = createRouter(commands, ctx);
  client.on(Events.InteractionCreate, (interaction) => router.handle(interaction));

  client.once(Events.ClientReady, (ready) => {
    const shards = ready.shard?.ids ?? [...ready.ws.shards.keys()];
    log.info({ user: ready.user.tag, applicationId: ready.application.id, guilds: ready.guilds.cache.size, shards, version: store.status().version }, 'connected to Discord, taking interactions');
    emitBotEvent('ready', { shards, guilds: ready.guilds.cache.size });
  });
  client.on(Events.ShardReady, (shardId, unavailable) => {
    log.info({ shardId, unavailableGuilds: unavailable?.size ?? 0 }, 'shard ready');
    emitBotEvent('shardStatus', { shardId, status: 'ready' });
  });
  client.on(Events.ShardResume, (shardId, replayed) => {
    log.info({ shardId, replayed }, 'shard resumed');
    emitBotEvent('shardStatus', { shardId, status: 'resumed' });
  });
  client.on(Events.ShardReconnecting, (shardId) => {
    log.warn({ shardId }, 'shard reconnecting');
    emitBotEvent('shardStatus', { shardId, status: 'reconnecting' });
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    log.warn({ shardId, code: event.code }, 'shard disconnected');
    emitBotEvent('shardStatus', { shardId, status: 'disconnected' });
    const fatal = fatalCloseReason(event.code);
    if (fatal) onFatalClose(event.code, fatal, shardId);
  });
  client.on(Events.ShardError, (err, shardId) => {
    log.error({ err, shardId }, 'shard error');
    emitBotEvent('shardStatus', { shardId, status: 'error' });
  });
  client.on(Events.Error, (err) => log.error({ err }, 'client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'client warning'));
  client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'));

  log.info({ api: config.DISCORD_API_BASE, shard: shardLabel(client), cooldownSeconds: config.ASK_COOLDOWN_SECONDS, commands: commands.map((c) => c.data.name) }, 'logging in');
  try {
    await client.login(config.DISCORD_TOKEN);
  } catch (err) {
    await client.destroy().catch(() => undefined);
    throw err;
  }

  let stopping: Promise<void> | null = null;
  return {
    client,
    stop(graceMs = STOP_GRACE_MS) {
      stopping ??= (async () => {
        router.close();
        log.info({ inFlight: router.inFlight }, 'stopped taking interactions; finishing replies in flight');
        const drained = await router.drain(graceMs);
        if (drained) log.info('replies in flight finished');
        else log.warn({ inFlight: router.inFlight, graceMs }, 'gave up waiting for replies in flight');
        await client.destroy();
        log.info('disconnected from Discord');
      })();
      return stopping;
    },
  };
}
