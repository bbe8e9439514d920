import type { Pool } from 'pg';
import type { Migration } from './migrations.js';
import { quotedSchema } from './schema-name.js';

/**
 * Brings `schema` (created if missing) up to date with `list`: applies, in version order, each migration not
 * yet recorded in `{schema}.{table}` (default `schema_migrations`; another list sharing the schema, such as
 * the read model's, keeps its versions in a table of its own), each in its own transaction together with its record. The
 * whole run holds a transaction-scoped advisory lock taken per schema, so that two processes opening one
 * schema at once apply every step exactly once. Returns the versions it applied.
 *
 * Throws when `list` is not in strictly increasing version order, or when the schema holds a version newer
 * than any in `list` (it was written by a newer Baton, whose schema this one cannot know).
 */
export async function migrate(
  pool: Pool,
  schema: string,
  list: readonly Migration[],
  table = 'schema_migrations',
): Promise<number[]> {
  const s = quotedSchema(schema);
  if (!/^[a-z_]+$/.test(table)) throw new Error(`migrations table name '${table}' is not a plain name`);
  list.forEach((migration, index) => {
    const previous = list[index - 1];
    if (!Number.isSafeInteger(migration.version) || (previous && migration.version <= previous.version)) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order`);
    }
  });
  const known = list.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    const applied: number[] = [];
    // One step per transaction: the lock is taken again in each, and what is applied is checked under it.
    for (let step = 0; ; step++) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`baton-migrate:${schema}`]);
        if (step === 0) {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
          await client.query(`CREATE TABLE IF NOT EXISTS ${s}.${table} (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )`);
        }
        const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.${table}`);
        const done = new Set(rows.map((row) => row.version));
        const newest = Math.max(0, ...done);
        if (newest > known) {
          throw new Error(
            `the schema ${schema} is at version ${newest}, newer than the ${known} this Baton knows`,
          );
        }
        const next = list.find((migration) => !done.has(migration.version));
        if (next === undefined) {
          await client.query('COMMIT');
          return applied;
        }
        for (const statement of next.postgres) await client.query(statement.replaceAll('{schema}', s));
        await client.query(`INSERT INTO ${s}.${table} (version, name) VALUES ($1, $2)`, [
          next.version,
          next.name,
        ]);
        await client.query('COMMIT');
        applied.push(next.version);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    client.release();
  }
}
