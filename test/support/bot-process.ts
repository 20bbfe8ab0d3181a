/**
 * The real bot as a child process for end-to-end tests: `node --import tsx src/main.ts` (not
 * npx, which turns a SIGTERM exit into a signal death) against a FakeDiscord on 127.0.0.1, with
 * its own knowledge folder and build cache, and every byte it writes captured for log waits and
 * the token check.
 *
 *   const e2e = new E2E();
 *   after(() => e2e.cleanup());               // kills what is left, closes stand-ins, removes dirs
 *   const discord = await e2e.discord();
 *   const work = e2e.workDir();               // <tmp>/knowledge (article.md) + <tmp>/cache
 *   const bot = await e2e.startBot({ discord, work });   // resolves once it takes interactions
 *   await bot.waitForLog((line) => line.msg === 'knowledge upload');
 *
 * Each bot runs in its own process group so a ShardingManager's shard processes go with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord.js';
import { waitForChange } from './wait.js';

export const SEED_ARTICLE = join(PACKAGE_ROOT, 'knowledge', 'article.md');

/**
 * The /knowledge option that acts on the bundled default instead of the server's own knowledge.
 * Every bot started here lists the fake moderator in BOT_OWNER_IDS, so tests of the default (and
 * of the shards that share it) add this option.
 */
export const ON_DEFAULT = { type: 5, name: 'default', value: true } as const;

/** What main.ts logs once the gateway is ready and interactions are handled. */
export const READY_LOG = 'connected to Discord, taking interactions';

/** One pino line of the bot, plus when the test process received it. */
export interface LogLine {
  level: string;
  msg: string;
  pid: number;
  [field: string]: unknown;
  /** performance.now() in the test process when the line arrived. */
  receivedAt: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process exited. */
  at: number;
}

export type LogMatch = string | ((line: LogLine) => boolean);

/** Variables of the developer's shell that would change what the bot does; never inherited. */
const NOT_INHERITED = /^(DISCORD_|KNOWLEDGE_|SERVERS_DIR$|BOT_OWNER_IDS$|SHARD|ASK_|HEALTH_|METRICS_|INTERACTIONS_|DATABASE_URL$|PG[A-Z]+$|LOG_LEVEL$|NODE_TEST_CONTEXT$)/;

export class BotProcess {
  readonly child: ChildProcess;
  /** Parsed log lines, in arrival order (stdout and stderr). */
  readonly lines: LogLine[] = [];
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  exit: Exit | null = null;
  private text = '';
  private readonly partial = { stdout: '', stderr: '' };
  private readonly events = new EventEmitter();

  /**
   * @param group the process has children of its own (a ShardingManager): signals on timeout go
   *   to its whole process group.
   */
  constructor(
    env: Record<string, string>,
    readonly name: string,
    private readonly group = false,
    script = 'src/main.ts',
  ) {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !NOT_INHERITED.test(key)));
    this.child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: PACKAGE_ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.events.setMaxListeners(0);
    for (const stream of ['stdout', 'stderr'] as const) {
      this.child[stream]!.setEncoding('utf8');
      this.child[stream]!.on('data', (chunk: string) => this.onData(stream, chunk));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: performance.now() };
        this.events.emit('change');
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  get output(): string {
    return this.text;
  }

  /** The first log line (from index `from` on) that matches; rejects on timeout or exit. */
  waitForLog(match: LogMatch, timeoutMs = 10_000, from = 0): Promise<LogLine> {
    const test = typeof match === 'string' ? (line: LogLine) => line.msg === match : match;
    const description = typeof match === 'string' ? `log line "${match}"` : 'a matching log line';
    let checked = from;
    return waitForChange(
      this.events,
      () => {
        for (; checked < this.lines.length; checked++) if (test(this.lines[checked])) return this.lines[checked];
        if (this.exit) throw new Error(`${this.name} exited (${this.exit.code ?? this.exit.signal}) before ${description}\n${this.tail()}`);
        return undefined;
      },
      timeoutMs,
      () => new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${description}\n${this.tail()}`),
    );
  }

  /** Log lines with this message. */
  logs(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  /** The last lines of output, for failure messages. */
  tail(lines = 25): string {
    return this.text.split('\n').slice(-lines).join('\n');
  }

  /** Sends `signal` to the bot (and, for the process group, to its shard processes). */
  kill(signal: NodeJS.Signals, group = false): void {
    if (this.exit) return;
    try {
      if (group) process.kill(-this.pid, signal);
      else this.child.kill(signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL of the whole group if it is not gone within `graceMs`. */
  async stop(graceMs = 10_000): Promise<Exit> {
    if (!this.exit) {
      this.kill('SIGTERM');
      const timer = setTimeout(() => this.kill('SIGKILL', this.group), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.group) {
      // Shard processes (same group) that outlived the manager.
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // the group is empty
      }
    }
    return this.exit!;
  }

  private onData(stream: 'stdout' | 'stderr', chunk: string): void {
    this.text += chunk;
    const lines = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    const receivedAt = performance.now();
    for (const raw of lines) {
      if (!raw.startsWith('{')) continue;
      try {
        const line = JSON.parse(raw) as Omit<LogLine, 'receivedAt'>;
        this.lines.push({ ...line, receivedAt } as LogLine);
      } catch {
        // not a log line
      }
    }
    this.events.emit('change');
  }
}

/** A temp folder: `knowledge/` (with the bundled article) and `cache/`. */
export interface WorkDir {
  root: string;
  knowledgeDir: string;
  cacheDir: string;
  /** SERVERS_DIR: one folder per server with knowledge of its own (`<serversDir>/<guild id>/`). */
  serversDir: string;
}

export interface StartBotOptions {
  discord: FakeDiscord;
  work: WorkDir;
  /** Extra or overriding environment (e.g. SHARD_COUNT, ASK_COOLDOWN_SECONDS). */
  env?: Record<string, string>;
  /** Log line to wait for before resolving; default READY_LOG; null: do not wait. */
  readyLog?: LogMatch | null;
  readyTimeoutMs?: number;
}

/** Owns everything a test file starts, so `cleanup()` in `after` leaves nothing behind. */
export class E2E {
  readonly bots: BotProcess[] = [];
  private readonly fakes: FakeDiscord[] = [];
  private readonly dirs: string[] = [];

  async discord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const discord = await startFakeDiscord(options);
    this.fakes.push(discord);
    return discord;
  }

  workDir(prefix = 'e2e'): WorkDir {
    const root = mkdtempSync(join(tmpdir(), `article-qa-bot-${prefix}-`));
    this.dirs.push(root);
    const knowledgeDir = join(root, 'knowledge');
    mkdirSync(knowledgeDir);
    copyFileSync(SEED_ARTICLE, join(knowledgeDir, 'article.md'));
    return { root, knowledgeDir, cacheDir: join(root, 'cache'), serversDir: join(root, 'servers') };
  }

  /** Spawns the bot and (by default) waits until it takes interactions. */
  async startBot(options: StartBotOptions): Promise<BotProcess> {
    const { discord, work } = options;
    const bot = new BotProcess(
      {
        DISCORD_TOKEN: discord.token,
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_APPLICATION_ID: discord.applicationId,
        KNOWLEDGE_DIR: work.knowledgeDir,
        KNOWLEDGE_CACHE_DIR: work.cacheDir,
        SERVERS_DIR: work.serversDir,
        BOT_OWNER_IDS: options.discord.moderator.user.id,
        // The stand-in serves attachments over http on 127.0.0.1; only listed hosts may be http.
        KNOWLEDGE_ATTACHMENT_HOSTS: '127.0.0.1',
        LOG_LEVEL: 'debug',
        ASK_COOLDOWN_SECONDS: '0',
        ...options.env,
      },
      `bot #${this.bots.length + 1}`,
      Number(options.env?.SHARD_COUNT ?? 1) > 1,
    );
    this.bots.push(bot);
    const ready = options.readyLog === undefined ? READY_LOG : options.readyLog;
    if (ready !== null) await bot.waitForLog(ready, options.readyTimeoutMs ?? 30_000);
    return bot;
  }

  /** Runs `npm run deploy-commands` (src/deploy-commands.ts) against the stand-in, to its exit. */
  async deployCommands(discord: FakeDiscord, env: Record<string, string> = {}): Promise<{ exit: Exit; output: string }> {
    const run = new BotProcess(
      { DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase, DISCORD_APPLICATION_ID: discord.applicationId, ...env },
      'deploy-commands',
      false,
      'src/deploy-commands.ts',
    );
    this.bots.push(run);
    const exit = await run.exited;
    return { exit, output: run.output };
  }

  /** Everything every bot of this file wrote. */
  allOutput(): string {
    return this.bots.map((bot) => bot.output).join('\n');
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.bots.map((bot) => bot.stop(2_000)));
    await Promise.all(this.fakes.map((discord) => discord.close()));
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

