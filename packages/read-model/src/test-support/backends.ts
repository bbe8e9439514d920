// The databases the read model's contract tests run on: each test file runs its cases once per backend.
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ReadModelOptions } from '../read-model.js';

/** The server, `BATON_TEST_POSTGRES_URL` or the local one CI starts (user postgres, trust). */
export const POSTGRES_URL =
  process.env.BATON_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ReadModelBackend {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Where a test keeps its tables: on SQLite in `path` (the engine's file, or `:memory:`), on PostgreSQL in
   * a fresh schema. Call it once per test and reuse the result to open the same tables again.
   */
  tables(path: string): ReadModelOptions;
  /** Runs a statement on those tables directly, as an operator (or a broken disk) would. */
  exec(tables: ReadModelOptions, sql: string): Promise<void>;
  /** The rows of a query on those tables. */
  query(tables: ReadModelOptions, sql: string): Promise<Record<string, unknown>[]>;
}

async function onPostgres<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    // These tests never skip silently: a missing server fails them, naming it.
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_URL} (${(error as Error).message}); the read model's ` +
        'PostgreSQL tests need a real server: start it with `bash .ci/services.sh`, or point BATON_TEST_POSTGRES_URL at one',
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const schemas: string[] = [];
// Registered when a test file loads this module: the schemas its cases made go when the file is done.
after(async () => {
  if (schemas.length === 0) return;
  await onPostgres(async (client) => {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
});

const sqlite: ReadModelBackend = {
  name: 'sqlite',
  tables: (path) => ({ path }),
  exec(tables, sql) {
    const db = new Database(tables.path!);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return Promise.resolve();
  },
  query(tables, sql) {
    const db = new Database(tables.path!);
    try {
      return Promise.resolve(db.prepare(sql).all() as Record<string, unknown>[]);
    } finally {
      db.close();
    }
  },
};

const postgres: ReadModelBackend = {
  name: 'postgres',
  tables() {
    const schema = `baton_rm_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return { postgres: { connectionString: POSTGRES_URL, schema, poolSize: 2 } };
  },
  exec: async (tables, sql) => void (await postgres.query(tables, sql)),
  query: (tables, sql) =>
    onPostgres(async (client) => {
      await client.query(`SET search_path TO "${tables.postgres!.schema}"`);
      return (await client.query(sql)).rows as Record<string, unknown>[];
    }),
};

/** Every backend: the contract suites run once on each. */
export const BACKENDS: readonly ReadModelBackend[] = [sqlite, postgres];
