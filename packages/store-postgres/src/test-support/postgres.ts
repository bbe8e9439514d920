// The PostgreSQL that the tests of this package use: a real server, a fresh schema per case.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server, `BATON_TEST_POSTGRES_URL` or the local one CI starts (user postgres, trust). */
export const POSTGRES_URL =
  process.env.BATON_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<void> | undefined;

/** Fails at once, naming the server, when it cannot be reached: these tests never skip silently. */
export function requirePostgres(): Promise<void> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(
        `PostgreSQL is not reachable at ${POSTGRES_URL} (${(error as Error).message}); these tests need a real ` +
          'server: start it with `bash .ci/services.sh`, or point BATON_TEST_POSTGRES_URL at one',
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

const created: string[] = [];

/** A schema name no other case uses; `dropSchemas` removes it. */
export function freshSchema(): string {
  const name = `baton_test_${randomBytes(6).toString('hex')}`;
  created.push(name);
  return name;
}

/** Drops every schema `freshSchema` named (those never created included). */
export async function dropSchemas(): Promise<void> {
  const names = created.splice(0);
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
