/** The logger: credentials in URLs never reach a log line, wherever the URL appears. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../src/log.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
  return { logger, text: () => lines.join('') };
}

test('user:password in a URL is redacted in fields, nested objects, messages and errors', () => {
  const { logger, text } = capture();
  const api = 'http://bot-user:hunter2-secret@127.0.0.1:4567/api';
  logger.info({ api }, 'logging in');
  logger.info({ config: { rest: { api: 'https://only-user@discord.example/api' } } }, 'nested');
  logger.warn(`could not reach ${api}/gateway/bot`);
  logger.error({ err: new Error(`connect ECONNREFUSED ${api}`) }, 'failed');
  const out = text();
  assert.doesNotMatch(out, /hunter2-secret/);
  assert.doesNotMatch(out, /bot-user/);
  assert.doesNotMatch(out, /only-user/);
  assert.match(out, /http:\/\/\[redacted\]@127\.0\.0\.1:4567\/api/, 'the rest of the URL stays readable');
  assert.match(out, /ECONNREFUSED/);
});

test('URLs without credentials and ordinary text are left alone', () => {
  const { logger, text } = capture();
  logger.info({ url: 'https://cdn.discordapp.com/attachments/1/2/a.md', note: 'mail me: a@b.org' }, 'attachment downloaded');
  const out = text();
  assert.match(out, /https:\/\/cdn\.discordapp\.com\/attachments\/1\/2\/a\.md/);
  assert.match(out, /a@b\.org/);
});
