/**
 * Console mode (`npm start` without DISCORD_TOKEN): the Discord commands typed at a terminal or
 * piped in, one per line, answered as text on stdout (logs go to stderr). Same command logic as
 * the bot (src/app/replies.ts, src/app/knowledge-service.ts); only the rendering differs.
 */
import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { emitBotEvent } from '../app/events.js';
import { checkUploadCandidate, createKnowledgeService, type KnowledgeRequest } from '../app/knowledge-service.js';
import { askReply, moreReply, notice, quotePageReply, quoteReply, type Reply } from '../app/replies.js';
import type { KnowledgeStore } from '../knowledge/store.js';
import type { Logger } from '../log.js';
import { parseConsoleLine, type ConsoleCommand } from './parse.js';
import { HELP_TEXT, renderReplyText } from './render.js';

export interface ConsoleOptions {
  store: KnowledgeStore;
  logger: Logger;
  input?: Readable;
  output?: Writable;
  /** Show a banner and a prompt; default: when the input is a TTY. */
  interactive?: boolean;
}

export interface ConsoleSession {
  /** Resolves with the exit code when the input ends or /quit is typed. */
  done: Promise<number>;
  /** Ends the session as if the input had ended (SIGINT, SIGTERM). */
  close(): void;
}

function whoAmI(): string {
  try {
    return `console (${userInfo().username})`;
  } catch {
    return 'console';
  }
}

/** Every page of a speaker's quotes: a terminal can scroll. */
function allQuotes(reply: Reply, store: KnowledgeStore): Reply {
  if (reply.kind !== 'quotes' || reply.pageCount === 1) return reply;
  const pages = Array.from({ length: reply.pageCount }, (_, p) => quotePageReply(store.knowledge, reply.speakerIndex, p).quotes);
  return { ...reply, quotes: pages.flat(), page: 0, pageCount: 1, firstNumber: 1 };
}

async function uploadRequest(path: string, by: string): Promise<KnowledgeRequest> {
  const full = resolve(path);
  const fileName = basename(full);
  try {
    const { size, isFile } = await stat(full).then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile) return { action: 'refuse-upload', fileName, reason: 'not a file', by };
    const early = checkUploadCandidate(fileName, size);
    if (early) return { action: 'refuse-upload', fileName, reason: early, by };
    return { action: 'upload', fileName, bytes: new Uint8Array(await readFile(full)), by };
  } catch (err) {
    return { action: 'refuse-upload', fileName, reason: `cannot read ${full}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, by };
  }
}

export function startConsole(options: ConsoleOptions): ConsoleSession {
  const { store, logger } = options;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const by = whoAmI();
  const knowledge = createKnowledgeService({ store, logger, shardLabel: 'console' });
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity });
  rl.setPrompt('ask> ');
  // Ctrl-C at the prompt ends the session (readline swallows SIGINT in a terminal).
  rl.on('SIGINT', () => rl.close());
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  let lastQuestion: { text: string; shown: number } | null = null;

  async function answer(command: ConsoleCommand): Promise<string | null> {
    const started = performance.now();
    switch (command.kind) {
      case 'empty':
        return null;
      case 'ask': {
        const reply = askReply(store.knowledge, command.question);
        lastQuestion = reply.kind === 'answer' ? { text: reply.question, shown: 1 } : null;
        if (reply.kind !== 'notice') emitBotEvent('question', { source: 'console', command: 'ask', latencyMs: performance.now() - started, answered: reply.kind === 'answer' });
        return renderReplyText(reply);
      }
      case 'more': {
        if (!lastQuestion) return renderReplyText(notice('info', 'Ask a question first; /more shows further passages for it.'));
        const reply = moreReply(store.knowledge, lastQuestion.text, lastQuestion.shown);
        if (reply.kind === 'answer') lastQuestion.shown += reply.answers.length;
        emitBotEvent('question', { source: 'console', command: 'more', latencyMs: performance.now() - started, answered: reply.kind === 'answer' });
        return renderReplyText(reply);
      }
      case 'quote':
        return renderReplyText(allQuotes(quoteReply(store.knowledge, command.speaker), store));
      case 'knowledge':
        return renderReplyText(await knowledge.run(command.action === 'status' ? { action: 'status' } : { action: command.action, by }));
      case 'knowledge-upload':
        return renderReplyText(await knowledge.run(await uploadRequest(command.path, by)));
      case 'knowledge-usage':
        return 'Usage: /knowledge status | reload | rollback | upload <path>';
      case 'help':
        return HELP_TEXT;
      case 'quit':
        rl.close();
        return null;
      case 'unknown':
        return `Unknown command /${command.name}. Type /help for the list.`;
    }
  }

  const done = (async () => {
    if (interactive) {
      const s = store.status();
      const titles = store.knowledge.documents.map((d) => d.title || d.name).join('; ');
      output.write(`Article Q&A console: ${s.documents} document(s) (${titles}), ${s.speakers} speakers, version ${s.version}.\nType a question, or /help.\n`);
      rl.prompt();
    }
    for await (const line of rl) {
      try {
        const text = await answer(parseConsoleLine(line));
        if (text !== null) output.write(`${text}\n\n`);
      } catch (err) {
        // A failing command must not end the session: say so and go on.
        logger.error({ err, line: line.slice(0, 200) }, 'console command failed');
        output.write('Sorry, that command failed; the log (stderr) says why.\n\n');
      }
      if (interactive && !closed) rl.prompt();
    }
    return 0;
  })();

  return { done, close: () => rl.close() };
}
