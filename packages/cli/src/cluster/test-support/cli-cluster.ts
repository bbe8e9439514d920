// `baton start --cluster` nodes for tests: each node a child process on free ports, a fresh schema per file,
// every process killed and the schema dropped on every path.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import type { TestServer } from '../../test-server.js';
import { startBaton } from '../../test-server.js';
import { POSTGRES_URL } from './cluster-fixture.js';

/** Runs one statement on the test database; fails naming the server when it cannot be reached. */
export async function sql(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return await client.query(text);
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls `condition` every 100 ms; fails naming `what` after `ms`. */
export async function until(what: string, condition: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Registers the file's hooks; returns how to start nodes on the file's schema and read its leases. */
export function cliCluster(prefix: string) {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const servers: TestServer[] = [];
  const url = `${POSTGRES_URL}?schema=${schema}`;
  before(() => sql('SELECT 1'));
  after(async () => {
    for (const server of servers) server.process.kill('SIGKILL');
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    schema,
    /** The `--cluster` URL of the file's schema. */
    url,
    dir,
    /** Starts `baton start --cluster` as node `id`, without authentication, on free ports. */
    async node(id: string, ...more: string[]): Promise<TestServer> {
      const server = await startBaton(
        ['--insecure-no-auth', '--cluster', url, '--node-id', id, '--cluster-port', '0', ...more],
        { db: join(dir, `${id}.db`) },
      );
      servers.push(server);
      return server;
    },
    /** The current leader of each led partition, from the lease table. */
    async leaders(): Promise<Record<number, string>> {
      const { rows } = await sql(
        `SELECT partition_id, node FROM ${schema}.partition_lease WHERE expires_at > clock_timestamp()`,
      );
      return Object.fromEntries(
        rows.map((r: { partition_id: number; node: string }) => [r.partition_id, r.node]),
      );
    },
  };
}
