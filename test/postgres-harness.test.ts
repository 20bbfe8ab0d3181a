/** The PostgreSQL test harness itself: a real server that keeps its data across a restart. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from './support/postgres.js';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(() => server?.destroy());

test('a fresh database on a real server keeps its rows across a stop and start', async () => {
  const url = await server.createDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE kept (n int)');
  await client.query('INSERT INTO kept VALUES (42)');
  await client.end();

  await server.stop();
  const down = new pg.Client({ connectionString: url });
  await assert.rejects(down.connect(), /ECONNREFUSED/);
  await server.start();

  const again = new pg.Client({ connectionString: url });
  await again.connect();
  const { rows } = await again.query<{ n: number }>('SELECT n FROM kept');
  await again.end();
  assert.deepEqual(rows, [{ n: 42 }]);
});
