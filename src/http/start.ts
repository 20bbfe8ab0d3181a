/**
 * Interactions mode (INTERACTIONS_PORT with DISCORD_PUBLIC_KEY): the bot without a gateway
 * session. Discord posts each interaction to POST /interactions; it is verified, run through the
 * same router and commands as in gateway mode, and answered in the HTTP response (or deferred
 * and completed through the interaction webhook at DISCORD_API_BASE). No state lives between
 * requests but the knowledge, so any number of replicas can stand behind any load balancer.
 * No bot token is needed: interaction responses authenticate with the interaction's own token.
 */
import type { Client } from 'discord.js';
import { createCommandContext, type Command } from '../bot/context.js';
import { createClient } from '../bot/client.js';
import { STOP_GRACE_MS } from '../app/limits.js';
import { createRouter } from '../bot/router.js';
import type { Config } from '../config.js';
import type { ServerKnowledge } from '../knowledge/servers.js';
import type { Logger } from '../log.js';
import { createResponder } from './responder.js';
import { startInteractionsServer, type Readiness } from './server.js';
import { createVerifier } from './verify.js';

export interface HttpInteractionsOptions {
  config: Config;
  /** Each server's own knowledge, or the shared default. */
  servers: ServerKnowledge;
  logger: Logger;
  commands: readonly Command[];
  port: number;
  host?: string;
  /** The application's public key (hex), from the Developer Portal. */
  publicKey: string;
  /** Anything else this replica's readiness depends on (the knowledge database, say). */
  extraReadiness?: () => Partial<Readiness>;
  deferAfterMs?: number;
  bodyLimitBytes?: number;
  requestTimeoutMs?: number;
}

export interface RunningHttpInteractions {
  readonly port: number;
  readonly client: Client;
  /** Stops taking connections (new interactions on open ones get a "restarting" notice), lets replies in flight finish. */
  stop(graceMs?: number): Promise<void>;
}

export async function startHttpInteractions(options: HttpInteractionsOptions): Promise<RunningHttpInteractions> {
  const { config, servers, logger } = options;
  const store = servers.defaultStore;
  const log = logger.child({ component: 'http-interactions' });
  const responder = createResponder({ apiBase: config.DISCORD_API_BASE, logger, deferAfterMs: options.deferAfterMs });
  // No login: this client only builds interaction objects and sends their follow-ups.
  const client = createClient(config, { rest: { api: config.DISCORD_API_BASE, makeRequest: responder.makeRequest } });
  const router = createRouter(options.commands, createCommandContext({ config, servers, logger, shardLabel: 'http' }));
  responder.attach(client, (interaction) => router.handle(interaction));

  let stopping = false;
  const server = await startInteractionsServer({
    port: options.port,
    host: options.host,
    verifier: createVerifier(options.publicKey),
    respond: (payload) => responder.respond(payload),
    logger,
    bodyLimitBytes: options.bodyLimitBytes,
    requestTimeoutMs: options.requestTimeoutMs,
    readiness: () => {
      if (stopping) return { ready: false, status: 'stopping' };
      const status = store.status();
      const extra = options.extraReadiness?.() ?? {};
      return { ready: true, status: 'ok', knowledge: { version: status.version, documents: status.documents }, inFlight: router.inFlight, ...extra };
    },
  });

  return {
    port: server.port,
    client,
    async stop(graceMs = STOP_GRACE_MS) {
      stopping = true;
      router.close();
      await server.close();
      const drained = await router.drain(graceMs);
      if (!drained) log.warn({ inFlight: router.inFlight, graceMs }, 'gave up waiting for replies in flight');
      await client.destroy();
    },
  };
}
