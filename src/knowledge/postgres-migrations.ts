/**
 * The knowledge database's schema, as numbered migrations. Each replica runs `migrate` at start;
 * an advisory lock held for the transaction makes that safe when several start at once (the
 * first applies, the others wait, then find nothing left to do). Migrations are append-only:
 * never edit one that has shipped, add the next number.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'servers, articles, versions, history, audit',
    sql: `
      -- One counter for every change of every server: a replica that missed notifications
      -- compares each server's revision with what it has.
      CREATE SEQUENCE knowledge_revision_seq;

      -- A server with its own knowledge. revision 0: the row exists but no change committed.
      CREATE TABLE knowledge_servers (
        server_id  text PRIMARY KEY,
        revision   bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      );

      -- The article files in service, byte for byte as uploaded.
      CREATE TABLE knowledge_articles (
        server_id text NOT NULL REFERENCES knowledge_servers ON DELETE CASCADE,
        name      text NOT NULL,
        content   bytea NOT NULL,
        sha256    text NOT NULL,
        revision  bigint NOT NULL,
        PRIMARY KEY (server_id, name)
      );

      -- Every committed change: which revision, what, by whom.
      CREATE TABLE knowledge_versions (
        server_id  text NOT NULL,
        revision   bigint NOT NULL,
        action     text NOT NULL,
        name       text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        PRIMARY KEY (server_id, revision)
      );

      -- What an upload replaced, for rollback. content NULL: the file did not exist before.
      CREATE TABLE knowledge_history (
        id          bigserial PRIMARY KEY,
        server_id   text NOT NULL,
        name        text NOT NULL,
        content     bytea,
        replaced_at bigint NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX knowledge_history_server ON knowledge_history (server_id, id);

      -- Every request to change the knowledge, accepted or refused.
      CREATE TABLE knowledge_audit (
        id              bigserial PRIMARY KEY,
        at              timestamptz NOT NULL DEFAULT now(),
        server_id       text NOT NULL,
        action          text NOT NULL,
        by              text NOT NULL,
        ok              boolean NOT NULL,
        revision_before bigint,
        revision_after  bigint,
        detail          jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX knowledge_audit_server ON knowledge_audit (server_id, at);
    `,
  },
  {
    version: 2,
    name: 'history entries kept by rollback',
    sql: `
      -- 'previous': what an upload replaced, restored by rollback. 'kept': what a rollback
      -- replaced, never restored by rollback, kept so that nothing is lost.
      ALTER TABLE knowledge_history ADD COLUMN kind text NOT NULL DEFAULT 'previous';
    `,
  },
];

/** Any constant: the lock only has to be the same number on every replica. */
const MIGRATION_LOCK = 0x6b6e6f77; // "know"

export interface MigrationResult {
  applied: number[];
  /** The schema version after the run. */
  version: number;
  /** The database is newer than this code (a rollback of the bot): nothing applied. */
  newerThanCode: boolean;
}

/** Applies the migrations not yet applied, in one transaction, under the advisory lock. */
export async function migrate(client: pg.ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  await client.query('BEGIN');
  try {
    // Taken before anything else, so the table below is created by one replica only.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS knowledge_schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM knowledge_schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO knowledge_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
      done.add(m.version);
    }
    await client.query('COMMIT');
    const newest = Math.max(0, ...done);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    return { applied, version: newest, newerThanCode: newest > known };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
