/** Configuration: defaults, and a bad value gives a clear error that names its variable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ConfigError, loadConfig } from '../src/config.js';
import { isDiscordId } from '../src/knowledge/names.js';
import { FsKnowledgeStorage } from '../src/knowledge/servers.js';
import { PACKAGE_ROOT } from '../src/paths.js';

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

test('defaults: Discord API, cooldown, no extra attachment hosts, Discord CDN hosts', () => {
  const c = loadConfig({});
  assert.equal(c.DISCORD_TOKEN, undefined);
  assert.equal(c.DISCORD_API_BASE, 'https://discord.com/api');
  assert.equal(c.ASK_COOLDOWN_SECONDS, 3);
  assert.equal(c.SHARD_COUNT, undefined);
  assert.equal(c.SHARD_SPAWN_DELAY_MS, 5500);
  assert.equal(c.KNOWLEDGE_POLL_SECONDS, 0);
  assert.equal(c.KNOWLEDGE_HISTORY, 20);
  assert.equal(c.KNOWLEDGE_MEMORY_MB, 512);
  assert.deepEqual(c.BOT_OWNER_IDS, []);
  assert.match(c.SERVERS_DIR, /data\/servers$/);
  assert.deepEqual(c.KNOWLEDGE_ATTACHMENT_HOSTS, []);
  assert.ok(c.discordHosts.includes('cdn.discordapp.com'));
  assert.equal(c.LOG_LEVEL, 'info');
  assert.ok(c.KNOWLEDGE_DIR.startsWith('/'), 'an absolute path');
});

test('valid values are parsed and normalised', () => {
  const c = loadConfig({
    DISCORD_TOKEN: '  secret.token.value  ',
    DISCORD_APPLICATION_ID: '123456789012345678',
    DISCORD_GUILD_ID: '',
    DISCORD_API_BASE: 'http://127.0.0.1:4567/api/',
    KNOWLEDGE_ATTACHMENT_HOSTS: ' Files.Example.org , 127.0.0.1:8080,',
    SHARD_COUNT: '4',
    SHARD_IDS: '2, 3',
    ASK_COOLDOWN_SECONDS: '0',
  });
  assert.equal(c.DISCORD_TOKEN, 'secret.token.value');
  assert.equal(c.DISCORD_GUILD_ID, undefined, 'empty means unset');
  assert.equal(c.DISCORD_API_BASE, 'http://127.0.0.1:4567/api');
  assert.deepEqual(c.KNOWLEDGE_ATTACHMENT_HOSTS, ['files.example.org', '127.0.0.1:8080']);
  assert.equal(c.SHARD_COUNT, 4);
  assert.deepEqual(c.SHARD_IDS, [2, 3]);
  assert.equal(c.ASK_COOLDOWN_SECONDS, 0);
});

test('each bad value is refused with the variable named', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ DISCORD_API_BASE: 'ftp://discord.com/api' }, 'DISCORD_API_BASE'],
    [{ DISCORD_API_BASE: 'https://discord.com' }, 'DISCORD_API_BASE'],
    [{ DISCORD_APPLICATION_ID: 'my-app' }, 'DISCORD_APPLICATION_ID'],
    [{ DISCORD_GUILD_ID: '12345' }, 'DISCORD_GUILD_ID'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT'],
    [{ KNOWLEDGE_HISTORY: '0' }, 'KNOWLEDGE_HISTORY'],
    [{ KNOWLEDGE_MEMORY_MB: 'lots' }, 'KNOWLEDGE_MEMORY_MB'],
    [{ BOT_OWNER_IDS: '123456789012345678, me' }, 'BOT_OWNER_IDS'],
    [{ SHARD_COUNT: 'two' }, 'SHARD_COUNT'],
    [{ SHARD_COUNT: '2', SHARD_IDS: '0,x' }, 'SHARD_IDS'],
    [{ SHARD_COUNT: '2', SHARD_IDS: '2' }, 'SHARD_IDS'],
    [{ SHARD_IDS: '0' }, 'SHARD_IDS'],
    [{ ASK_COOLDOWN_SECONDS: '-1' }, 'ASK_COOLDOWN_SECONDS'],
    [{ HEALTH_PORT: '70000' }, 'HEALTH_PORT'],
    [{ SHARD_SPAWN_DELAY_MS: '-5' }, 'SHARD_SPAWN_DELAY_MS'],
    [{ KNOWLEDGE_POLL_SECONDS: 'often' }, 'KNOWLEDGE_POLL_SECONDS'],
  ];
  for (const [env, variable] of cases) {
    const message = errorOf(env);
    assert.match(message, /^invalid configuration:/);
    assert.ok(message.includes(`  ${variable}: `), `${JSON.stringify(env)} -> ${message}`);
  }
});

test('every bad variable is listed at once, and the token never appears in the message', () => {
  const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-token-value';
  const message = errorOf({ DISCORD_TOKEN: token, LOG_LEVEL: 'loud', SHARD_COUNT: 'two', DISCORD_API_BASE: 'nope' });
  for (const v of ['LOG_LEVEL', 'SHARD_COUNT', 'DISCORD_API_BASE']) assert.ok(message.includes(v), v);
  assert.ok(!message.includes(token));
});

test('npm start with a bad value exits 1 and says which variable', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, SHARD_COUNT: 'two', DISCORD_API_BASE: 'https://example.com' };
  delete env.DISCORD_TOKEN;
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/main.ts'], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  assert.equal(code, 1);
  assert.match(stderr, /invalid configuration:/);
  assert.match(stderr, /SHARD_COUNT: /);
  assert.match(stderr, /DISCORD_API_BASE: must be an http\(s\) URL ending in \/api/);
});

test('one Discord id rule (17-20 digits) for the configuration, --server and the server folders', () => {
  for (const id of ['12345678901234567', '12345678901234567890']) assert.equal(isDiscordId(id), true, id);
  for (const id of ['1234567890123456', '123456789012345678901', ' 123456789012345678', '12345678901234567a', '']) assert.equal(isDiscordId(id), false, JSON.stringify(id));
  assert.equal(loadConfig({ DISCORD_GUILD_ID: '123456789012345678', BOT_OWNER_IDS: '123456789012345678, 12345678901234567890' }).BOT_OWNER_IDS.length, 2);
  assert.throws(() => new FsKnowledgeStorage('/nonexistent').folder('../etc'), /not a server id/);
});
