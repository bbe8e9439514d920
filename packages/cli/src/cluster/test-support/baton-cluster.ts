// What the tests of `baton start --cluster` share: a fresh schema in a real PostgreSQL (failing at once,
// naming it, when unreachable), nodes started as a user starts them and killed on every path, and the
// partitions' current leaders read from the database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import type { TestServer } from '../../test-server.js';
import { startBaton } from '../../test-server.js';
import { POSTGRES_URL } from './cluster-fixture.js';

/** Registers the file's hooks; returns its schema and what its cases use. */
export function batonCluster(name: string) {
  const schema = `${name}_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'baton-cluster-'));
  const servers: TestServer[] = [];

  async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      return (await client.query<T>(text)).rows;
    } catch (error) {
      throw new Error(`PostgreSQL at ${POSTGRES_URL}: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  before(() => sql('SELECT 1'));
  after(async () => {
    for (const server of servers) server.process.kill('SIGKILL');
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  });

  /** `baton start --cluster` as node `id` (SQLite file of its own for nothing but its options). */
  async function node(id: string, ...more: string[]): Promise<TestServer> {
    const server = await startBaton(
      [
        '--insecure-no-auth',
        '--cluster',
        `${POSTGRES_URL}?schema=${schema}`,
        '--node-id',
        id,
        '--cluster-port',
        '0',
        ...more,
      ],
      { db: join(dir, `${id}.db`) },
    );
    servers.push(server);
    return server;
  }

  /** Partition → node, for the leases that are current. */
  async function leaders(): Promise<Record<number, string>> {
    const rows = await sql<{ partition_id: number; node: string }>(
      `SELECT partition_id, node FROM ${schema}.partition_lease WHERE expires_at > clock_timestamp()`,
    );
    return Object.fromEntries(rows.map((r) => [r.partition_id, r.node]));
  }

  return {
    schema,
    /** A directory of the file's own, removed after it. */
    dir,
    /** The cluster's URL, as `--cluster` takes it. */
    url: `${POSTGRES_URL}?schema=${schema}`,
    sql,
    node,
    leaders,
    /**
     * Nodes n1, n2 and n3 over two partitions, once n1 leads partition 1, n2 partition 2 (taken from n1 by a
     * hand-off, its state recovered) and n3 none.
     */
    async threeNodesTwoPartitions(): Promise<[TestServer, TestServer, TestServer]> {
      const n1 = await node('n1', '--partitions', '2');
      await until('n1 leading both partitions', async () => {
        const now = await leaders();
        return now[1] === 'n1' && now[2] === 'n1';
      });
      const n2 = await node('n2');
      const n3 = await node('n3');
      await until('n2 serving partition 2', async () => /became leader of partition/.test(n2.output()));
      await until('n1 alone leading partition 1', async () => {
        const now = await leaders();
        return now[1] === 'n1' && now[2] === 'n2';
      });
      return [n1, n2, n3];
    },
  };
}

/** Resolves once `condition` holds (checked every 100 ms); fails naming `what` after `ms`. */
export async function until(what: string, condition: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
