/**
 * Command line for scripts:
 *   ask   [--knowledge PATH | --server ID] [--json] [QUESTION]       one JSON line (or readable answer) per question
 *   quote [--knowledge PATH | --server ID] [--json] [--list] [SPEAKER]
 * Without QUESTION/SPEAKER, reads one per line from stdin, loading the knowledge once.
 * `--server ID` answers as that server does: its own knowledge (SERVERS_DIR/ID), or the default.
 *
 * The same replies as Discord and the console (src/app/replies.ts); this file is their JSON
 * presenter, whose shape is the contract in the README, and uses the console's text presenter
 * for readable output.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ALL_QUOTES, askReply, quoteReply, speakerSummaries, type Reply } from './app/replies.js';
import { speakerLabel } from './app/wording.js';
import { renderReplyText } from './console/render.js';
import { limitHeapGrowth, type Knowledge } from './engine/index.js';
import { isDiscordId } from './knowledge/names.js';
import { FsKnowledgeStorage, ServerKnowledge } from './knowledge/servers.js';
import { KnowledgeStore, warnMissingWordData } from './knowledge/store.js';
import { createLogger } from './log.js';
import { DEFAULT_CACHE_DIR, DEFAULT_KNOWLEDGE_DIR, DEFAULT_SERVERS_DIR } from './paths.js';

const USAGE = `usage:
  ask   [--knowledge PATH | --server ID] [--json] [QUESTION]
  quote [--knowledge PATH | --server ID] [--json] [--list] [SPEAKER]`;

/** `ask --json`: the question as given, and the best answer or null (no confident answer, or no question). */
function askJson(question: string, reply: Reply) {
  const a = reply.kind === 'answer' ? reply.answers[0] : null;
  return {
    question,
    answer: a && {
      passage: a.passage,
      speaker: a.speaker,
      role: a.role,
      document: a.document,
      section: a.section,
      paragraph: a.paragraph,
      score: a.score,
    },
  };
}

/** `quote --json`: the query as given, the speaker found (or null) and every quote of theirs. */
function quoteJson(query: string, reply: Reply) {
  if (reply.kind !== 'quotes') return { query, speaker: null, quotes: [] };
  const { name, role, aliases } = reply.speaker;
  return { query, speaker: { name, role, aliases }, quotes: reply.quotes };
}

function listJson(k: Knowledge) {
  return { speakers: speakerSummaries(k) };
}

function askText(reply: Reply): string {
  // The CLI has no "More": do not offer it.
  return renderReplyText(reply.kind === 'answer' ? { ...reply, hasMore: false } : reply);
}

async function main(argv: string[]): Promise<number> {
  limitHeapGrowth(); // as the bot: src/engine/memory.ts
  const [command, ...rest] = argv;
  let args;
  try {
    args = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { knowledge: { type: 'string' }, server: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ((command !== 'ask' && command !== 'quote') || args.values.help) {
    process.stderr.write(`${USAGE}\n`);
    return args.values.help ? 0 : 2;
  }
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const server = args.values.server;
  if (server !== undefined && (!isDiscordId(server) || args.values.knowledge)) {
    process.stderr.write(`--server needs a Discord server id (17-20 digits), and not --knowledge with it\n${USAGE}\n`);
    return 2;
  }
  warnMissingWordData(logger);
  let store: KnowledgeStore;
  try {
    const cacheDir = process.env.KNOWLEDGE_CACHE_DIR || DEFAULT_CACHE_DIR;
    const defaultStore = await KnowledgeStore.open({
      dir: args.values.knowledge || process.env.KNOWLEDGE_DIR || DEFAULT_KNOWLEDGE_DIR,
      logger,
      cacheDir,
      worker: false,
    });
    store = defaultStore;
    if (server) {
      const storage = new FsKnowledgeStorage(process.env.SERVERS_DIR || DEFAULT_SERVERS_DIR);
      const servers = await ServerKnowledge.open({ defaultStore, storage, logger, cacheDir, memoryBudgetBytes: Number.MAX_SAFE_INTEGER, worker: false });
      store = await servers.answering(server);
    }
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  for (const r of store.status().refused) process.stderr.write(`refused ${r.file}${r.line ? `:${r.line}` : ''}: ${r.reason}\n`);
  const k = store.knowledge;
  const json = Boolean(args.values.json);

  if (command === 'quote' && args.values.list) {
    process.stdout.write(json ? `${JSON.stringify(listJson(k))}\n` : `${k.speakers.map((s) => `${speakerLabel(s.name, s.role)} (${s.quotes.length})`).join('\n')}\n`);
    return 0;
  }
  const answer = (line: string): string => {
    const reply = command === 'ask' ? askReply(k, line) : quoteReply(k, line, ALL_QUOTES);
    if (json) return JSON.stringify(command === 'ask' ? askJson(line, reply) : quoteJson(line, reply));
    return command === 'ask' ? askText(reply) : renderReplyText(reply);
  };

  if (args.positionals.length) {
    process.stdout.write(`${answer(args.positionals.join(' '))}\n`);
    return 0;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) process.stdout.write(`${answer(line)}\n${json ? '' : '\n'}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
