// What the cluster tests share: a real PostgreSQL (failing at once, naming it, when unreachable), a fresh
// schema per case, node processes killed on every path, and the log read back for the audit.
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import type { LoggedRecord } from '@baton-engine/baton';
import { createPostgresStoreFactory } from '@baton-engine/store-postgres';
import pg from 'pg';
import { ClusterChild } from './cluster-child.js';

export const POSTGRES_URL =
  process.env.BATON_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface NodeStats {
  hosted: number[];
  leading: { partitionId: number; epoch: number }[];
}

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query(text);
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Registers the file's hooks; returns what its cases use. */
export function clusterFixture() {
  const schemas: string[] = [];
  const children: ClusterChild[] = [];
  before(() => sql('SELECT 1'));
  after(async () => {
    for (const child of children) await child.kill();
    for (const schema of schemas) await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  return {
    freshSchema(): string {
      const schema = `baton_cluster_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return schema;
    },
    startNode(schema: string, name: string, partitions?: number, connectors?: string): ClusterChild {
      const child = ClusterChild.start(POSTGRES_URL, schema, name, partitions, connectors);
      children.push(child);
      return child;
    },
  };
}

/** Waits until the node hosts exactly these partitions. */
export async function waitForHosted(
  child: ClusterChild,
  expected: number[],
  timeoutMs = 60_000,
): Promise<void> {
  await child.waitFor(
    `partitions ${expected.join(',')}`,
    async () => {
      const stats = await child.request<NodeStats>('stats');
      return JSON.stringify(stats.hosted) === JSON.stringify(expected);
    },
    timeoutMs,
  );
}

/** Every record of every partition, read from PostgreSQL (the test nodes compact nothing). */
export async function logOf(schema: string, partitions: number, url = POSTGRES_URL): Promise<LoggedRecord[]> {
  const factory = await createPostgresStoreFactory({ connectionString: url, schema });
  try {
    const records: LoggedRecord[] = [];
    for (let p = 1; p <= partitions; p++) {
      const store = await factory.open(p);
      for (let from = 1; ;) {
        const page = await store.read(from, 10_000);
        if (page.length === 0) break;
        records.push(...page);
        from = page[page.length - 1]!.position + 1;
      }
    }
    return records;
  } finally {
    await factory.close();
  }
}

/** The keys of the process instances that completed, once per completion. */
export function completedInstances(log: readonly LoggedRecord[]): string[] {
  return endedInstances(log, 'ELEMENT_COMPLETED');
}

/** The keys of the process instances that were terminated (cancelled), once per termination. */
export function terminatedInstances(log: readonly LoggedRecord[]): string[] {
  return endedInstances(log, 'ELEMENT_TERMINATED');
}

function endedInstances(log: readonly LoggedRecord[], intent: string): string[] {
  return log
    .filter(
      (r) =>
        r.recordType === 'EVENT' &&
        r.valueType === 'PROCESS_INSTANCE' &&
        r.intent === intent &&
        r.value.bpmnElementType === 'PROCESS',
    )
    .map((r) => r.key);
}
