/**
 * A real PostgreSQL server for tests, from Debian's `postgresql` package: a fresh cluster made
 * with initdb in a temporary folder, listening on a loopback port (and a unix socket in that
 * folder), stopped and removed by `destroy()`. Never a mock.
 *
 *   const pg = await startPostgres();
 *   after(() => pg.destroy());
 *   const url = await pg.createDatabase();   // a fresh, empty database for one test
 *   await pg.stop(); await pg.start();        // a restart, same port and data
 *
 * PostgreSQL refuses to run as root: when the tests run as root (CI, this machine) the server
 * runs as the `postgres` user the package creates, and the folder is handed to it.
 * The binaries are found under /usr/lib/postgresql/<version>/bin (or PG_BIN).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where Debian puts the server binaries; the newest version wins. */
export function findPostgresBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

export interface PostgresServer {
  /** The cluster's loopback port. */
  readonly port: number;
  /** Connection URL of the `postgres` database (superuser, trust auth on loopback). */
  readonly adminUrl: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut, as in a real outage). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops the server if it runs and removes its folder. */
  destroy(): Promise<void>;
}

let databases = 0;

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error('PostgreSQL is not installed: run `apt-get install -y postgresql` (as root), or set PG_BIN to the folder of initdb and pg_ctl');
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'qa-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  // As root, every server binary runs as `postgres` (runuser keeps the environment minimal).
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const exec = async (tool: string, args: string[]): Promise<void> => {
    const [file, argv] = command(tool, args);
    await run(file, argv, { cwd: dir });
  };

  // --no-sync and fsync=off: a test cluster need not survive a power cut, and it starts faster.
  await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);

  let port = 0;
  let running = false;
  const startOn = async (candidate: number): Promise<void> => {
    const options = `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    await exec('pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', logFile, '-o', options]);
    running = true;
  };
  // A free port can be taken by someone else between the probe and the start: try a few.
  for (let attempt = 0; ; attempt++) {
    const candidate = await freePort();
    try {
      await startOn(candidate);
      port = candidate;
      break;
    } catch (err) {
      if (attempt >= 4) throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${tail(logFile)}`);
    }
  }

  const stopNow = (mode: 'fast' | 'immediate'): void => {
    const [file, argv] = command('pg_ctl', ['stop', '-w', '-m', mode, '-D', data]);
    try {
      execFileSync(file, argv, { cwd: dir, stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  };
  // A test process that dies (an assertion, Ctrl-C) must not leave a postmaster behind.
  const onExit = (): void => {
    if (running) stopNow('immediate');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    adminUrl,
    async createDatabase(name = `t${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await exec('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', data]);
      running = false;
    },
    async start() {
      await startOn(port);
    },
    async destroy() {
      if (running) stopNow('fast');
      running = false;
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
