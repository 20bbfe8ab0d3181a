/**
 * Many servers on one process: 300 servers, each with its own small article, asked in turn
 * (two rounds) under a small memory budget (KNOWLEDGE_MEMORY_MB) and with no budget at all.
 * Prints the memory the process holds (RSS, V8 heap after a full collection), the knowledge
 * kept loaded, evictions, and the time of a question that has to load its server first (from the
 * index cache) against one already in memory.
 *
 *   node --expose-gc --import tsx bench/servers.ts [SERVERS] [BUDGET_MB]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { answerQuestion, limitHeapGrowth } from '../src/engine/index.js';
import { FsKnowledgeStorage, ServerKnowledge } from '../src/knowledge/servers.js';
import { KnowledgeStore } from '../src/knowledge/store.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/paths.js';
import { server } from '../test/support/harbor-servers.js';
import { percentile } from '../test/support/stats.js';

const COUNT = Number(process.argv[2] ?? 300);
const BUDGET_MB = Number(process.argv[3] ?? 1);
/** Internal: `--run LABEL BUDGET_BYTES SERVERS_DIR CACHE_DIR` measures one configuration in a fresh process. */
const RUN = process.argv.indexOf('--run');
const silent = pino({ level: 'silent' });
limitHeapGrowth(); // the process settings the bot starts with (src/main.ts)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** A local news story of ~5 KB (about 800 words), with names and figures of its own in each server. */
function article(master: string, i: number): string {
  const paragraphs = [
    `# Harbor news from port ${i}`,
    `The harbor master is ${master}, who has run the port for nine years and oversees forty berths.`,
    `${master} said the new pier "will open before the winter storms," according to the port office, and added that the dredging "is finally done."`,
  ];
  const topics = ['the fish market', 'the ferry service', 'the lifeboat station', 'the boatyard', 'the harbor road', 'the sailing school', 'the coastguard tower', 'the old customs house'];
  for (let p = 0; p < 24; p++) {
    const topic = topics[(i + p) % topics.length];
    paragraphs.push(
      `Work on ${topic} will cost ${(i % 7) + p + 2} million, the council said on ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'][p % 5]}, and should be finished by ${2027 + (p % 3)}. ` +
        `Residents asked at a meeting in the town hall whether ${topic} would stay open during the work; officials said it would, except for ${p + 3} days in the spring.`,
    );
  }
  return paragraphs.join('\n\n');
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function run(label: string, budgetBytes: number, serversDir: string, cacheDir: string) {
  gc();
  const rssBefore = process.memoryUsage().rss;
  const defaultStore = await KnowledgeStore.open({ dir: DEFAULT_KNOWLEDGE_DIR, logger: silent, cacheDir, worker: false });
  const servers = await ServerKnowledge.open({ defaultStore, storage: new FsKnowledgeStorage(serversDir), logger: silent, cacheDir, memoryBudgetBytes: budgetBytes, worker: false });
  const cold: number[] = [];
  const warm: number[] = [];
  let wrong = 0;
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < COUNT; i++) {
      const { id, master } = server(i);
      const started = performance.now();
      const inMemory = servers.peek(id) !== undefined;
      const store = await servers.answering(id);
      const answer = answerQuestion(store.knowledge, 'Who is the harbor master?');
      (inMemory ? warm : cold).push(performance.now() - started);
      if (!answer?.passage.includes(master)) wrong += 1;
    }
  }
  gc();
  const mem = process.memoryUsage();
  const stats = servers.stats();
  console.log(
    `${label.padEnd(22)} ${String(COUNT).padStart(7)} ${(budgetBytes >= Number.MAX_SAFE_INTEGER ? '—' : mb(budgetBytes)).padStart(9)} ${mb(stats.bytes).padStart(9)} ${String(stats.loaded).padStart(6)} ${String(stats.evictions).padStart(9)} ${mb(mem.heapUsed).padStart(8)} ${mb(mem.rss).padStart(7)} ${mb(mem.rss - rssBefore).padStart(8)} ${cold.length ? percentile(cold, 50).toFixed(1).padStart(9) : '        —'} ${cold.length ? percentile(cold, 95).toFixed(1).padStart(9) : '        —'} ${warm.length ? percentile(warm, 50).toFixed(2).padStart(8) : '       —'} ${String(wrong).padStart(5)}`,
  );
}

/** Each configuration in its own process, so one's heap does not count in the next one's figures. */
function runInChild(label: string, budgetBytes: number, serversDir: string, cacheDir: string): void {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(COUNT), String(BUDGET_MB), '--run', label, String(budgetBytes), serversDir, cacheDir], { encoding: 'utf8' });
  process.stdout.write(out);
}

if (RUN >= 0) {
  const [label, budget, serversDir, cacheDir] = process.argv.slice(RUN + 1);
  await run(label, Number(budget), serversDir, cacheDir);
} else {
  const root = mkdtempSync(join(tmpdir(), 'aqb-bench-servers-'));
  try {
    const serversDir = join(root, 'servers');
    for (let i = 0; i < COUNT; i++) {
      const { id, master } = server(i);
      mkdirSync(join(serversDir, id), { recursive: true });
      writeFileSync(join(serversDir, id, 'harbor.md'), article(master, i));
    }
    const cacheDir = join(root, 'cache');
    console.log(`${COUNT} servers, one ~${(Buffer.byteLength(article(server(0).master, 0)) / 1024).toFixed(1)} KB article each (~${article(server(0).master, 0).split(/\s+/).length} words); every server asked twice, in turn; each run a fresh process; node ${process.version}`);
    console.log('run                    servers  budgetMB  loadedMB loaded evictions   heapMB   rssMB   +rssMB load p50ms load p95ms ask p50ms wrong');
    // The first run fills the index cache (a build per server); the others load from it, as a restarted bot does.
    runInChild('first run (builds)', BUDGET_MB * 2 ** 20, serversDir, cacheDir);
    runInChild(`budget ${BUDGET_MB} MB`, BUDGET_MB * 2 ** 20, serversDir, cacheDir);
    runInChild('no budget (all loaded)', Number.MAX_SAFE_INTEGER, serversDir, cacheDir);
    console.log('loadedMB = serialised size of the servers\' knowledge in memory (what the budget counts); +rssMB = RSS growth over the process before the stores opened');
    console.log('load = a question whose server was not in memory (loaded from the index cache, or built on the first run); ask = one already in memory');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
