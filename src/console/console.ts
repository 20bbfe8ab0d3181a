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
import { ALL_QUOTES, askReply, moreReply, notice, quoteReply } from '../app/replies.js';
import type { ServerKnowledge } from '../knowledge/servers.js';
import type { Logger } from '../log.js';
import { parseConsoleLine, type ConsoleCommand } from './parse.js';
import { HELP_TEXT, renderReplyText } from './render.js';

export interface ConsoleOptions {
  servers: ServerKnowledge;
  /** Act as this server (`--server ID`): its own knowledge answers and /knowledge changes it. Default: the bundled default. */
  serverId?: string | null;
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
  const { servers, logger } = options;
  const server = options.serverId ?? null;
  const scope = { server };
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const by = whoAmI();
  const knowledge = createKnowledgeService({ servers, logger, shardLabel: 'console' });
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity });
  rl.setPrompt('ask> ');
  // Ctrl-C at the prompt ends the session (readline swallows SIGINT in a terminal).
  rl.on('SIGINT', () => rl.close());
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  let lastQuestion: { text: string; shown: number } | null = null;

  /** A command's text, and the question it answered (for the 'question' event the loop emits). */
  type Answered = { text: string | null; question?: { command: 'ask' | 'more'; answered: boolean } };

  async function answer(command: ConsoleCommand): Promise<Answered> {
    const text = (t: string | null): Answered => ({ text: t });
    // Only the commands that answer from the knowledge wait for it (a server's own may have to be
    // loaded, from a database that can be down): /help and the rest work without it.
    const knowledgeNow = async () => (await servers.answering(server)).knowledge;
    switch (command.kind) {
      case 'empty':
        return text(null);
      case 'ask': {
        const reply = askReply(await knowledgeNow(), command.question);
        lastQuestion = reply.kind === 'answer' ? { text: reply.question, shown: 1 } : null;
        // An empty question is a usage hint, not a question.
        if (reply.kind === 'notice') return text(renderReplyText(reply));
        return { text: renderReplyText(reply), question: { command: 'ask', answered: reply.kind === 'answer' } };
      }
      case 'more': {
        if (!lastQuestion) return text(renderReplyText(notice('info', 'Ask a question first; /more shows further passages for it.')));
        const reply = moreReply(await knowledgeNow(), lastQuestion.text, lastQuestion.shown);
        if (reply.kind === 'answer') lastQuestion.shown += reply.answers.length;
        return { text: renderReplyText(reply), question: { command: 'more', answered: reply.kind === 'answer' } };
      }
      case 'quote':
        // Every quote at once: a terminal scrolls.
        return text(renderReplyText(quoteReply(await knowledgeNow(), command.speaker, ALL_QUOTES)));
      case 'knowledge':
        return text(renderReplyText(await knowledge.run(command.action === 'status' ? { action: 'status' } : { action: command.action, by }, scope)));
      case 'knowledge-upload':
        return text(renderReplyText(await knowledge.run(await uploadRequest(command.path, by), scope)));
      case 'knowledge-usage':
        return text('Usage: /knowledge status | reload | rollback | upload <path>');
      case 'help':
        return text(HELP_TEXT);
      case 'quit':
        rl.close();
        return text(null);
      case 'unknown':
        return text(`Unknown command /${command.name}. Type /help for the list.`);
    }
  }

  const done = (async () => {
    if (interactive) {
      const store = await servers.answering(server);
      const s = store.status();
      const titles = store.knowledge.documents.map((d) => d.title || d.name).join('; ');
      output.write(`Article Q&A console: ${s.documents} document(s) (${titles}), ${s.speakers} speakers, version ${s.version}.\nType a question, or /help.\n`);
      rl.prompt();
    }
    for await (const line of rl) {
      try {
        // Timed and counted here, once for every command, as the router does on Discord.
        const started = performance.now();
        const { text, question } = await answer(parseConsoleLine(line));
        if (question) emitBotEvent('question', { source: 'console', ...question, latencyMs: performance.now() - started });
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
