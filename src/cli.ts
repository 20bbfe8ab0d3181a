/**
 * Command line for scripts:
 *   ask   [--knowledge PATH] [--json] [QUESTION]       one JSON line (or readable answer) per question
 *   quote [--knowledge PATH] [--json] [--list] [SPEAKER]
 * Without QUESTION/SPEAKER, reads one per line from stdin, loading the knowledge once.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { answerQuestion, quotesOf, suggestSpeakers, type Knowledge } from './engine/index.js';
import { KnowledgeStore } from './knowledge/store.js';
import { speakerLabel } from './app/wording.js';
import { createLogger } from './log.js';
import { DEFAULT_CACHE_DIR, DEFAULT_KNOWLEDGE_DIR } from './paths.js';
import { renderAnswerText, renderNoAnswerText, renderQuotesText, renderUnknownSpeakerText } from './console/text.js';

const USAGE = `usage:
  ask   [--knowledge PATH] [--json] [QUESTION]
  quote [--knowledge PATH] [--json] [--list] [SPEAKER]`;

function askJson(k: Knowledge, question: string) {
  const a = answerQuestion(k, question);
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

function quoteJson(k: Knowledge, query: string) {
  const { speaker, quotes } = quotesOf(k, query);
  const s = speaker >= 0 ? k.speakers[speaker] : null;
  return { query, speaker: s && { name: s.name, role: s.role, aliases: s.aliases }, quotes };
}

function listJson(k: Knowledge) {
  return { speakers: k.speakers.map((s) => ({ name: s.name, role: s.role, aliases: s.aliases, quotes: s.quotes.length })) };
}

function askText(k: Knowledge, question: string): string {
  const a = answerQuestion(k, question);
  return a ? renderAnswerText(a) : renderNoAnswerText(k.speakers.map((s) => s.name));
}

function quoteText(k: Knowledge, query: string): string {
  const { speaker, quotes } = quotesOf(k, query);
  if (speaker < 0) return renderUnknownSpeakerText(query, suggestSpeakers(k, query, 5).map((i) => k.speakers[i].name));
  return renderQuotesText(k.speakers[speaker], quotes);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let args;
  try {
    args = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { knowledge: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
  let store: KnowledgeStore;
  try {
    store = await KnowledgeStore.open({
      dir: args.values.knowledge || process.env.KNOWLEDGE_DIR || DEFAULT_KNOWLEDGE_DIR,
      logger,
      cacheDir: process.env.KNOWLEDGE_CACHE_DIR || DEFAULT_CACHE_DIR,
      worker: false,
    });
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
  const answer = (line: string) =>
    command === 'ask'
      ? json ? JSON.stringify(askJson(k, line)) : askText(k, line)
      : json ? JSON.stringify(quoteJson(k, line)) : quoteText(k, line);

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
