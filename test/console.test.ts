/**
 * Console mode end to end: `npx tsx src/main.ts` without DISCORD_TOKEN reads commands from a
 * pipe, prints the replies on stdout, and exits 0 at the end of the input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pino from 'pino';
import { startConsole } from '../src/console/console.js';
import { HELP_TEXT, renderReplyText } from '../src/console/render.js';
import { noAnswerReply, quoteReply } from '../src/app/replies.js';
import { StoreUnavailableError } from '../src/knowledge/postgres-store.js';
import type { ServerKnowledge } from '../src/knowledge/servers.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { knowledgeOf } from './helpers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runConsole(lines: string[], env: Record<string, string> = {}, args: string[] = []): Promise<Run> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'console-cache-'));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, KNOWLEDGE_DIR: 'knowledge', KNOWLEDGE_CACHE_DIR: cacheDir, ...env };
  delete childEnv.DISCORD_TOKEN;
  delete childEnv.LOG_LEVEL;
  delete childEnv.SHARD_COUNT;
  delete childEnv.SHARD_IDS;
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/main.ts', ...args], { cwd: PACKAGE_ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(cacheDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

/** stdout split into replies (each reply ends with a blank line). */
function replies(stdout: string): string[] {
  return stdout.split(/\n\n/).map((r) => r.trim()).filter(Boolean);
}

test('piped commands: /ask, /quote, /knowledge status, a blank line and junk; exit 0 at end of input', async () => {
  const run = await runConsole(['/ask Will China attack Ukraine?', '/quote Wang Yi', '/knowledge status', '', '/frobnicate now', 'zzxq vvbn wwpt?']);
  assert.equal(run.code, 0, run.stderr);
  const out = replies(run.stdout);
  assert.equal(out.length, 5, `one reply per non-blank line:\n${run.stdout}`);
  const [answer, quotes, status, unknown, question] = out;

  // The article: 'Fan Xianrong, Beijing’s ambassador to Ukraine, publicly stated China “will never attack Ukraine ...”'
  assert.match(answer, /^> .*will never attack Ukraine/);
  assert.match(answer, /— Fan Xianrong, Beijing’s ambassador to Ukraine/);
  assert.match(answer, /article\.md · .* · paragraph \d+/);

  // The article: 'Foreign Minister Wang Yi emphasized China “must not be affected” by sanctions'
  // …, acknowledging how destructive they have been': the reported clause, its quoted words, and the participle's clause.
  assert.match(quotes, /^Wang Yi, Foreign Minister — 3 quote\(s\)/);
  assert.match(quotes, /“must not be affected”/);

  assert.match(status, /^Knowledge status\nconsole: version [0-9a-f]{16}\n {2}1 document, \d+ paragraphs, \d+ speakers, \d+ quotes\n {2}loaded \S+ by startup/);

  assert.equal(unknown, 'Unknown command /frobnicate. Type /help for the list.');
  // A line without a slash is a question; this one has no answer: say what can be asked instead.
  assert.match(question, /does not answer that/);
  assert.match(question, /Fan Xianrong/);
  assert.match(question, /The knowledge covers: China Backs Away From Russia, Shows Support for Ukraine\./);
  assert.ok(!/ask> /.test(run.stdout), 'no prompt when stdin is not a terminal');
});

test('console upload, refusal and rollback on a copy of the knowledge folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-knowledge-'));
  try {
    copyFileSync(join(PACKAGE_ROOT, 'knowledge', 'article.md'), join(dir, 'article.md'));
    const extra = join(dir, '..', `${dir.split('/').pop()}-extra.md`);
    writeFileSync(extra, '# Harbour news\n\nMaria Lopez, the harbour master, said the new pier “will open in May”.\n');
    const binary = join(dir, '..', `${dir.split('/').pop()}-binary.md`);
    writeFileSync(binary, Buffer.from([0x23, 0x20, 0x00, 0xff, 0x00]));
    const run = await runConsole(
      [`/knowledge upload ${binary}`, `/knowledge upload ${extra}`, '/knowledge status', '/knowledge rollback', '/knowledge status'],
      { KNOWLEDGE_DIR: dir },
    );
    rmSync(extra);
    rmSync(binary);
    assert.equal(run.code, 0, run.stderr);
    const [refused, uploaded, twoDocs, rolledBack, oneDoc] = replies(run.stdout);
    assert.match(refused, /^upload refused: .*binary/);
    assert.match(refused, /unchanged/);
    assert.match(uploaded, /^upload done: version [0-9a-f]{16}: 2 document\(s\)/);
    assert.match(twoDocs, /2 documents/);
    assert.match(twoDocs, /history: 1 earlier version/);
    assert.match(rolledBack, /^rollback done: removed \S+-extra\.md, which the upload rolled back had added/, 'the upload added the file: rollback removes it');
    assert.match(oneDoc, /1 document,/);
    assert.deepEqual(readdirSync(dir).filter((f) => !f.startsWith('.')), ['article.md'], 'the folder is as it was');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--server ID: the console acts as that server; its upload lands in its own folder, the default is untouched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-default-'));
  const serversDir = mkdtempSync(join(tmpdir(), 'console-servers-'));
  const id = '123456789012345678';
  try {
    copyFileSync(join(PACKAGE_ROOT, 'knowledge', 'article.md'), join(dir, 'article.md'));
    const extra = join(serversDir, 'harbour.md');
    writeFileSync(extra, '# Harbour news\n\nMaria Lopez, the harbour master, said the new pier “will open in May”.\n');
    const env = { KNOWLEDGE_DIR: dir, SERVERS_DIR: serversDir };
    const before = await runConsole(['/knowledge status', '/ask Will China attack Ukraine?'], env, ['--server', id]);
    assert.equal(before.code, 0, before.stderr);
    const [status, china] = replies(before.stdout);
    assert.match(status, /no knowledge of its own: it uses the bundled default/);
    assert.match(china, /never attack Ukraine/, 'the default answers until the server has its own');
    const run = await runConsole([`/knowledge upload ${extra}`, '/knowledge status', '/ask When will the new pier open?', '/ask Will China attack Ukraine?'], env, ['--server', id]);
    assert.equal(run.code, 0, run.stderr);
    const [uploaded, own, pier, noChina] = replies(run.stdout);
    assert.match(uploaded, /^upload done: version [0-9a-f]{16}: 1 document\(s\)/);
    assert.match(own, /this server's own knowledge/);
    assert.match(pier, /will open in May/);
    assert.doesNotMatch(noChina, /never attack Ukraine/, 'its own knowledge replaced the default for it');
    assert.deepEqual(readdirSync(join(serversDir, id)).filter((f) => !f.startsWith('.')), ['harbour.md']);
    assert.deepEqual(readdirSync(dir).filter((f) => !f.startsWith('.')), ['article.md'], 'the default folder is untouched');
    const bad = await runConsole([], env, ['--server', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--server needs a Discord server id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(serversDir, { recursive: true, force: true });
  }
});

test('the server\u2019s knowledge cannot be loaded (its database is down): /help still answers; /ask says it failed', async () => {
  // Only what the console asks of the servers here: the server's own knowledge, which cannot be had.
  const servers = { answering: () => Promise.reject(new StoreUnavailableError()) } as unknown as ServerKnowledge;
  const output = new PassThrough();
  let stdout = '';
  output.on('data', (d: Buffer) => (stdout += d.toString()));
  const session = startConsole({ servers, serverId: '123456789012345678', logger: pino({ level: 'silent' }), input: Readable.from(['/help\n', '/ask Will China attack Ukraine?\n']), output, interactive: false });
  assert.equal(await session.done, 0);
  const [help, ask] = replies(stdout);
  assert.equal(help, HELP_TEXT.trim());
  assert.equal(ask, 'Sorry, that command failed; the log (stderr) says why.');
});

test('the console\u2019s no-answer and unknown-speaker lines end with one full stop, also after a name that ends in one ("F.A.O.")', () => {
  const k = knowledgeOf({ 'f.md': '# Harvest\n\nFarmers have lost half their harvest, the F.A.O. said in a report.\n' });
  const lines = renderReplyText(noAnswerReply(k, 'What is the recipe for banana bread?')).split('\n');
  assert.ok(lines.some((l) => l.endsWith('F.A.O.')), lines.join('\n'));
  assert.ok(!lines.some((l) => l.endsWith('..')), lines.join('\n'));
  assert.ok(!renderReplyText(quoteReply(k, '')).includes('..'));
});
