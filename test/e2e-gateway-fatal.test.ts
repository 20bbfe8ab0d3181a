/**
 * End to end: a gateway close code that no reconnect can fix (4004: the token was revoked) ends
 * the process with a non-zero exit and one clear log line, so a supervisor restarts it or alerts
 * instead of the bot sitting disconnected for good. A recoverable close (4000) does not.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { E2E, READY_LOG } from './support/bot-process.js';

const e2e = new E2E();
after(() => e2e.cleanup());

/** Resolves with the exit, or null when the process is still running after `ms`. */
function exitWithin<T>(exited: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref())]);
}

test('close code 4004 (authentication failed) exits non-zero with a fatal log line; 4000 reconnects', { timeout: 60_000 }, async () => {
  const discord = await e2e.discord();
  const bot = await e2e.startBot({ discord, work: e2e.workDir() });

  assert.equal(discord.dropConnection(4000), 1);
  assert.equal(await exitWithin(bot.exited, 3_000), null, 'a recoverable close keeps the process running');

  assert.equal(discord.dropConnection(4004), 1);
  const exit = await exitWithin(bot.exited, 15_000);
  assert.ok(exit, 'the process ended after the fatal close');
  assert.notEqual(exit.code, 0, 'a supervisor sees a failure');
  const fatal = bot.lines.find((l) => l.level === 'fatal');
  assert.ok(fatal, 'a fatal log line says why');
  assert.equal(fatal.code, 4004);
  assert.match(fatal.msg, /4004/);
  assert.match(String(fatal.reason), /token/i);
  assert.ok(bot.lines.some((l) => l.msg === READY_LOG));
});
