/**
 * Prometheus metrics (prom-client), fed by the bot's events (src/app/events.ts) and read from the
 * knowledge store at scrape time. One registry per process, never prom-client's global one, so
 * tests can build as many as they like.
 *
 * Series (all prefixed `article_qa_`):
 *   questions_total{source,command}            every /ask, "More" press or console question
 *   answers_total{source,command}              ... answered with a passage
 *   abstains_total{source,command}             ... without a confident answer (the helpful reply)
 *   answer_latency_seconds{source,command}     histogram, question in -> reply ready
 *   feedback_total{vote="up"|"down"}           👍/👎 presses (one per person per answer)
 *   knowledge_refreshes_total{action,result}   reload/upload/rollback/watch, result ok|refused
 *   cooldown_hits_total{command}               users told to wait
 *   knowledge_info{version}                    1, labelled with the version in service
 *   knowledge_documents / _paragraphs / _speakers / _quotes, knowledge_loaded_timestamp_seconds
 *   shard_status{shard,status}                 state set: 1 for each shard's current status, 0 for the others
 *   ready                                      1 when /healthz answers 200
 * plus prom-client's default process and Node.js metrics (process_*, nodejs_*), unprefixed.
 *
 * With shards, each shard process keeps its own registry (labelled shard="N") and the manager's
 * /metrics collects them over the shard IPC channel (collectShardMetrics) and serves them merged
 * with its own: one scrape target however many shards.
 */
import type { EventEmitter } from 'node:events';
import type { Client, ShardingManager } from 'discord.js';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Aggregator, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { botEvents, type BotEventMap, type ShardState } from '../app/events.js';
import type { KnowledgeStatus, RefreshResult } from '../knowledge/store.js';

export const METRIC_PREFIX = 'article_qa_';

/** Every status a shard can report, for the shard_status state set. */
export const SHARD_STATES: readonly ShardState[] = ['spawned', 'ready', 'resumed', 'reconnecting', 'disconnected', 'error', 'died'];
const REFRESH_ACTIONS: ReadonlyArray<RefreshResult['action']> = ['reload', 'upload', 'rollback', 'watch'];
/** Seconds. Discord fails an interaction not answered within 3 s, hence a bucket edge there. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

export interface MetricsOptions {
  /**
   * 'console' and 'bot' answer questions: every series. 'shard-manager' answers nothing itself:
   * shard status, ready and process metrics only (the shards' series are merged in at scrape).
   */
  mode: 'console' | 'bot' | 'shard-manager' | 'http';
  /** The knowledge in service, read at scrape time; null while none is loaded. */
  knowledge?: () => KnowledgeStatus | null;
  /** Whether /healthz would answer 200, read at scrape time. */
  ready?: () => boolean;
  /** Labels added to every series of this registry, e.g. { shard: '2' } in a shard process. */
  defaultLabels?: Record<string, string>;
  /** Where the events come from (tests pass their own emitter). Default: botEvents. */
  events?: EventEmitter<BotEventMap>;
  /** prom-client's default process/Node.js metrics. Default true. */
  processMetrics?: boolean;
}

export interface BotMetrics {
  readonly registry: Registry;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** Stops following the events (the registry stays readable). */
  close(): void;
}

export function createMetrics(options: MetricsOptions): BotMetrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  const registers = [registry];
  const events = options.events ?? botEvents;
  const unsubscribe: Array<() => void> = [];
  function follow<K extends keyof BotEventMap>(name: K, listener: (...args: BotEventMap[K]) => void): void {
    const on = events.on.bind(events) as (n: K, l: (...a: BotEventMap[K]) => void) => unknown;
    const off = events.off.bind(events) as (n: K, l: (...a: BotEventMap[K]) => void) => unknown;
    on(name, listener);
    unsubscribe.push(() => off(name, listener));
  }

  // Shard status as a state set: alert on `sum by (shard) (article_qa_shard_status{status=~"ready|resumed"}) == 0`.
  if (options.mode === 'bot' || options.mode === 'shard-manager') {
    const shardStatus = new Gauge({
      name: `${METRIC_PREFIX}shard_status`,
      help: 'Gateway shard status: 1 for the current status of each shard, 0 for the others',
      labelNames: ['shard', 'status'] as const,
      registers,
    });
    follow('shardStatus', ({ shardId, status }) => {
      for (const s of SHARD_STATES) shardStatus.set({ shard: String(shardId), status: s }, s === status ? 1 : 0);
    });
  }

  if (options.ready) {
    const ready = options.ready;
    new Gauge({
      name: `${METRIC_PREFIX}ready`,
      help: '1 when /healthz answers 200 (gateway ready and knowledge loaded), else 0',
      registers,
      collect() {
        this.set(ready() ? 1 : 0);
      },
    });
  }

  if (options.mode !== 'shard-manager') {
    const questionLabels = ['source', 'command'] as const;
    const questions = new Counter({ name: `${METRIC_PREFIX}questions_total`, help: 'Questions asked: /ask, its More button, or a console line', labelNames: questionLabels, registers });
    const answers = new Counter({ name: `${METRIC_PREFIX}answers_total`, help: 'Questions answered with a passage', labelNames: questionLabels, registers });
    const abstains = new Counter({ name: `${METRIC_PREFIX}abstains_total`, help: 'Questions without a confident answer (the bot said so instead of quoting)', labelNames: questionLabels, registers });
    const latency = new Histogram({
      name: `${METRIC_PREFIX}answer_latency_seconds`,
      help: 'Time from a question to its reply (sent to Discord, or printed in the console), answered or not',
      labelNames: questionLabels,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const feedback = new Counter({ name: `${METRIC_PREFIX}feedback_total`, help: 'Feedback button presses on answers, by vote', labelNames: ['vote'] as const, registers });
    const refreshes = new Counter({
      name: `${METRIC_PREFIX}knowledge_refreshes_total`,
      help: 'Knowledge refreshes by action (reload, upload, rollback, watch) and result (ok, refused)',
      labelNames: ['action', 'result'] as const,
      registers,
    });
    const cooldowns = new Counter({ name: `${METRIC_PREFIX}cooldown_hits_total`, help: 'Times a user was told to wait (per-user cooldown)', labelNames: ['command'] as const, registers });

    // Series exist from the start (at 0), so rate() and absent() behave before the first event.
    const source = options.mode === 'console' ? 'console' : 'discord';
    for (const command of ['ask', 'more']) {
      const labels = { source, command };
      questions.inc(labels, 0);
      answers.inc(labels, 0);
      abstains.inc(labels, 0);
      latency.zero(labels);
    }
    feedback.inc({ vote: 'up' }, 0);
    feedback.inc({ vote: 'down' }, 0);
    for (const action of REFRESH_ACTIONS) for (const result of ['ok', 'refused']) refreshes.inc({ action, result }, 0);
    if (options.mode === 'bot' || options.mode === 'http') cooldowns.inc({ command: 'ask' }, 0);

    follow('question', ({ source, command, latencyMs, answered }) => {
      const labels = { source, command };
      questions.inc(labels);
      (answered ? answers : abstains).inc(labels);
      latency.observe(labels, latencyMs / 1000);
    });
    follow('feedback', ({ vote }) => feedback.inc({ vote }));
    follow('refresh', ({ ok, action }) => refreshes.inc({ action, result: ok ? 'ok' : 'refused' }));
    follow('cooldown', ({ command }) => cooldowns.inc({ command }));
  }

  if (options.knowledge) {
    const current = options.knowledge;
    new Gauge({
      name: `${METRIC_PREFIX}knowledge_info`,
      help: 'The knowledge version in service (content hash) as a label; the value is always 1',
      labelNames: ['version'] as const,
      registers,
      collect() {
        this.reset();
        const s = current();
        if (s) this.set({ version: s.version }, 1);
      },
    });
    const count = (name: string, help: string, pick: (s: KnowledgeStatus) => number) =>
      new Gauge({
        name: `${METRIC_PREFIX}${name}`,
        help,
        registers,
        collect() {
          const s = current();
          this.set(s ? pick(s) : 0);
        },
      });
    count('knowledge_documents', 'Documents (files) in the knowledge in service', (s) => s.documents);
    count('knowledge_paragraphs', 'Paragraphs in the knowledge in service', (s) => s.paragraphs);
    count('knowledge_speakers', 'Distinct speakers in the knowledge in service', (s) => s.speakers);
    count('knowledge_quotes', 'Attributed quotes in the knowledge in service', (s) => s.quotes);
    count('knowledge_loaded_timestamp_seconds', 'When the knowledge in service was loaded (Unix time)', (s) => Date.parse(s.loadedAt) / 1000);
  }

  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    close() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}

type MetricsJSON = Array<MetricObjectWithValues<MetricValue<string>>>;

/**
 * Where a shard process keeps its metrics on its Client: a registry symbol, because the function
 * the manager sends through broadcastEval travels as source text and spells it out itself.
 */
export const METRICS_HOOK = Symbol.for('article-qa-bot.metrics');
type HookedClient = Client & { [METRICS_HOOK]?: () => Promise<MetricsJSON> };

/** In a shard process: lets the manager read this process's metrics through the shard IPC channel. */
export function exposeMetricsToManager(client: Client, metrics: BotMetrics): void {
  (client as HookedClient)[METRICS_HOOK] = () => metrics.registry.getMetricsAsJSON();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * In the manager: every shard process's metrics, each asked separately so a shard that is down
 * or respawning costs its own series only (it is reported in `missing`), never the whole scrape.
 */
export async function collectShardMetrics(manager: ShardingManager, timeoutMs = 2_000): Promise<{ collected: MetricsJSON[]; missing: number[] }> {
  const shards = [...manager.shards.values()];
  const results = await Promise.all(
    shards.map(async (shard) => {
      try {
        const result = await withTimeout(
          shard.eval((c) => (c as HookedClient)[Symbol.for('article-qa-bot.metrics') as typeof METRICS_HOOK]?.() ?? null) as Promise<MetricsJSON | null>,
          timeoutMs,
        );
        return { id: shard.id, result };
      } catch {
        return { id: shard.id, result: null };
      }
    }),
  );
  return {
    collected: results.flatMap((r) => (r.result ? [r.result] : [])),
    missing: results.filter((r) => !r.result).map((r) => r.id).sort((a, b) => a - b),
  };
}

/**
 * One registry from several processes' metrics (getMetricsAsJSON). The shards' series carry a
 * `shard` label, so they never collide with each other; where two series do have the same name
 * and labels, the first list's value is kept (the manager's own view of a shard wins).
 */
export function mergeMetrics(lists: MetricsJSON[]): Registry {
  const first: Aggregator = 'first';
  return AggregatorRegistry.aggregate(lists.map((list) => list.map((m) => ({ ...m, aggregator: first }))));
}

/** The manager's /metrics: its own series first, then every shard's that answered. */
export async function renderManagerMetrics(own: BotMetrics, manager: ShardingManager, timeoutMs?: number): Promise<{ contentType: string; body: string }> {
  const [mine, shards] = await Promise.all([own.registry.getMetricsAsJSON(), collectShardMetrics(manager, timeoutMs)]);
  const scraped = new Gauge({
    name: `${METRIC_PREFIX}shard_metrics_missing`,
    help: 'Shard processes whose metrics could not be collected in this scrape (down, respawning or slow)',
    registers: [],
  });
  scraped.set(shards.missing.length);
  const merged = mergeMetrics([[...mine, (await scraped.get()) as MetricObjectWithValues<MetricValue<string>>], ...shards.collected]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
