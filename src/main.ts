/**
 * Entry point (`npm start`):
 *   - no DISCORD_TOKEN            -> the console on the knowledge (stdin/stdout)
 *   - DISCORD_TOKEN, SHARD_COUNT>1 -> a ShardingManager; each shard process runs this file again
 *   - DISCORD_TOKEN otherwise     -> the bot (also what each shard process runs)
 *   - INTERACTIONS_PORT (and DISCORD_PUBLIC_KEY) -> interactions over HTTP, no gateway (src/http)
 * It validates the configuration, opens the default knowledge store (watching its folder) and
 * the servers' own knowledge (loaded on first use), and shuts down cleanly on SIGTERM/SIGINT
 * (in-flight replies finish; exit within 10 s). `npm start -- --server ID` runs the console as
 * that server: its own knowledge answers and /knowledge changes it.
 *
 * Health and metrics (src/ops): with HEALTH_PORT set, /healthz and /metrics are served from the
 * start (503 until the knowledge is loaded and the gateway is ready) and closed at shutdown.
 */
import { fileURLToPath } from 'node:url';
import { loadCommands } from '../commands/index.js';
import { SHUTDOWN_DEADLINE_MS, STOP_GRACE_MS } from './app/limits.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { answerQuestion, limitHeapGrowth, warmUpQuestions, type Knowledge } from './engine/index.js';
import { isDiscordId } from './knowledge/names.js';
import { followDatabaseChanges, PostgresKnowledgeStorage } from './knowledge/postgres-folder.js';
import { describeUrl, PostgresKnowledgeStore } from './knowledge/postgres-store.js';
import { FsKnowledgeStorage, ServerKnowledge } from './knowledge/servers.js';
import { KnowledgeStore, warnMissingWordData, type RefreshResult } from './knowledge/store.js';
import { createLogger, registerSecret, type Logger } from './log.js';
import { emitBotEvent } from './app/events.js';
import { createShardManager, isShardProcess } from './bot/shards.js';
import { startBot } from './bot/start.js';
import { startConsole } from './console/console.js';
import { startHttpInteractions } from './http/start.js';
import { startOps } from './ops/index.js';

/** Debounce of the knowledge folder watch: an editor's save is several events. */
const WATCH_DEBOUNCE_MS = 500;

type Mode = 'console' | 'bot' | 'shard-manager' | 'http';

function modeOf(config: Config): Mode {
  if (config.INTERACTIONS_PORT !== undefined) return 'http';
  if (!config.DISCORD_TOKEN) return 'console';
  if ((config.SHARD_COUNT ?? 1) > 1 && !isShardProcess()) return 'shard-manager';
  return 'bot';
}

/** Errors nobody awaited are logged, never fatal: one bad interaction must not end the bot. */
function installCrashGuards(log: Logger): void {
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (still running)'));
  process.on('uncaughtException', (err, origin) => log.error({ err, origin }, 'uncaught exception (still running)'));
}

/** Warm-up questions asked per turn of the event loop (a slice takes up to ~15 ms: interactions are not held up). */
const WARM_UP_SLICE = 5;

/**
 * Asks the engine its warm-up questions (some of the knowledge's own sentences) a slice at a time,
 * between other work: the first users' questions then run at full speed, and the bot connects and
 * takes interactions meanwhile. Logs when done; returns a function that stops it (at shutdown).
 */
function warmUpInBackground(k: Knowledge, log: Logger): () => void {
  const questions = warmUpQuestions(k);
  const started = performance.now();
  let at = 0;
  let stopped = false;
  const slice = () => {
    if (stopped) return;
    try {
      for (const end = Math.min(at + WARM_UP_SLICE, questions.length); at < end; at++) answerQuestion(k, questions[at]);
    } catch (err) {
      log.warn({ err, question: at }, 'warm-up stopped: a warm-up question failed');
      return;
    }
    if (at < questions.length) setImmediate(slice);
    else log.info({ questions: questions.length, ms: Math.round(performance.now() - started) }, 'engine warmed up on the knowledge\'s own sentences');
  };
  if (questions.length) setImmediate(slice);
  return () => {
    stopped = true;
  };
}

/** Runs `stop` once on the first SIGTERM/SIGINT (or `disconnect`), then exits; a hard deadline backs it. */
function onShutdown(log: Logger, stop: (reason: string) => Promise<void>): void {
  let started = false;
  const shutdown = (reason: string) => {
    if (started) {
      log.info({ reason }, 'already shutting down');
      return;
    }
    started = true;
    log.info({ reason }, 'shutting down');
    setTimeout(() => {
      log.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting now');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stop(reason).then(
      () => {
        log.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A shard process whose manager went away has nobody to answer to.
  if (isShardProcess()) process.on('disconnect', () => shutdown('the shard manager went away'));
}

/** `--server ID` (console mode): the server to act as; undefined when not given; throws on a bad id. */
function serverArgument(argv: string[]): string | undefined {
  const at = argv.findIndex((a) => a === '--server' || a.startsWith('--server='));
  if (at < 0) return undefined;
  const id = argv[at].includes('=') ? argv[at].slice('--server='.length) : argv[at + 1];
  if (!id || !isDiscordId(id)) throw new ConfigError(`--server needs a Discord server id (17-20 digits), got ${JSON.stringify(id ?? '')}`);
  return id;
}

async function main(): Promise<number> {
  limitHeapGrowth(); // a long-lived index: collect questions' garbage before the heap doubles (src/engine/memory.ts)
  let config: Config;
  let serverId: string | undefined;
  try {
    config = loadConfig(process.env);
    serverId = serverArgument(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\nSee the README for every variable and its format.\n`);
    return 1;
  }
  const mode = modeOf(config);
  // The console prints answers on stdout; its logs stay quiet unless LOG_LEVEL asks otherwise.
  const level = process.env.LOG_LEVEL ? config.LOG_LEVEL : mode === 'console' ? 'warn' : config.LOG_LEVEL;
  registerSecret(config.DISCORD_TOKEN);
  const log = createLogger({ level }).child({ mode, ...(isShardProcess() ? { shards: process.env.SHARDS } : {}) });
  installCrashGuards(log);
  const ops = await startOps({ config, mode, logger: log, shardProcess: isShardProcess(), shards: process.env.SHARDS });

  if (mode === 'shard-manager') {
    // The shard processes each open the store; opening it here first fails fast on a bad folder
    // (rather than N children dying and respawning) and warms the build cache they will read.
    await KnowledgeStore.open({ dir: config.KNOWLEDGE_DIR, logger: log, cacheDir: config.KNOWLEDGE_CACHE_DIR, historyLimit: config.KNOWLEDGE_HISTORY });
    const shards = createShardManager(config, log, fileURLToPath(import.meta.url));
    ops.setShardManager(shards.manager);
    onShutdown(log, async () => {
      await ops.close();
      await shards.stop(STOP_GRACE_MS);
    });
    await shards.spawn();
    return -1; // keep running; the signal handlers exit
  }

  const store = await KnowledgeStore.open({ dir: config.KNOWLEDGE_DIR, logger: log, cacheDir: config.KNOWLEDGE_CACHE_DIR, historyLimit: config.KNOWLEDGE_HISTORY });
  // DATABASE_URL: the servers' own knowledge in PostgreSQL, shared with every other replica (each
  // change another replica makes is swapped in here); otherwise folders under SERVERS_DIR.
  const database = config.DATABASE_URL ? await PostgresKnowledgeStore.open({ url: config.DATABASE_URL, logger: log, historyLimit: config.KNOWLEDGE_HISTORY }) : null;
  if (database) log.info({ database: describeUrl(config.DATABASE_URL!) }, 'servers\' knowledge in PostgreSQL');
  const servers = await ServerKnowledge.open({
    defaultStore: store,
    storage: database ? new PostgresKnowledgeStorage(database) : new FsKnowledgeStorage(config.SERVERS_DIR, config.KNOWLEDGE_HISTORY),
    logger: log,
    cacheDir: config.KNOWLEDGE_CACHE_DIR,
    memoryBudgetBytes: config.KNOWLEDGE_MEMORY_MB * 2 ** 20,
  });
  const stopFollowing = database ? followDatabaseChanges(database, servers, log) : () => undefined;
  if (database) ops.setDatabase(() => database.health);
  ops.setStore(store);
  const status = store.status();
  log.info({ dir: config.KNOWLEDGE_DIR, version: status.version, documents: status.documents, speakers: status.speakers, refused: status.refused }, 'knowledge loaded');
  for (const r of status.refused) log.warn({ file: r.file, line: r.line, reason: r.reason }, 'knowledge file refused');
  // The first question loads the word data (vectors, antonyms); pay that now, not in someone’s 3 s window (and
  // say once, here, if they are missing: not for every server's store that opens).
  warnMissingWordData(log);
  try {
    answerQuestion(store.knowledge, 'warm up');
  } catch (err) {
    log.error({ err }, 'the warm-up question failed; answering may fail too');
  }

  const stopWatch = store.watch(WATCH_DEBOUNCE_MS);
  store.on('swap', (r: RefreshResult) => {
    if (r.action === 'watch') emitBotEvent('refresh', { ok: r.ok, action: r.action });
  });
  const poll =
    config.KNOWLEDGE_POLL_SECONDS > 0
      ? setInterval(() => void store.reload('folder poll'), config.KNOWLEDGE_POLL_SECONDS * 1000).unref()
      : null;
  const stopKnowledge = () => {
    stopWatch();
    if (poll) clearInterval(poll);
  };

  if (mode === 'console') {
    const session = startConsole({ servers, serverId: serverId ?? null, logger: log });
    process.on('SIGTERM', () => session.close());
    const code = await session.done;
    stopKnowledge();
    stopFollowing();
    await database?.close();
    await ops.close();
    return code;
  }

  const stopWarmUp = warmUpInBackground(store.knowledge, log);
  let stopBot: ((graceMs?: number) => Promise<void>) | null = null;
  onShutdown(log, async () => {
    stopWarmUp();
    await ops.close();
    stopKnowledge();
    log.info('stopped watching the knowledge folder');
    await stopBot?.(STOP_GRACE_MS);
    // After the replies in flight: an upload among them still writes.
    stopFollowing();
    await database?.close();
  });
  if (mode === 'http') {
    const http = await startHttpInteractions({
      config,
      servers,
      logger: log,
      commands: loadCommands(),
      port: config.INTERACTIONS_PORT!,
      host: config.INTERACTIONS_HOST,
      publicKey: config.DISCORD_PUBLIC_KEY!,
      // Database down: still answering (ready), but changes are refused until it is back.
      extraReadiness: () => (database && database.health.state !== 'ok' ? { status: 'degraded', database: database.health } : {}),
    });
    stopBot = http.stop;
    log.info({ port: http.port, version: store.status().version }, 'ready: taking interactions over HTTP');
    return -1;
  }
  const bot = await startBot(config, servers, log, loadCommands());
  stopBot = bot.stop;
  ops.setClient(bot.client);
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    // Startup failed (knowledge unreadable, login refused): say why and exit non-zero.
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    createLogger().fatal({ err }, 'could not start');
    process.exit(1);
  },
);
