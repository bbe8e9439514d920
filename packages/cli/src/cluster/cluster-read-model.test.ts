import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/baton';
import { oneTask } from '../test-models.js';
import { sdkClient } from '../test-clients.js';
import type { TestServer } from '../test-server.js';
import { batonCluster, until } from './test-support/baton-cluster.js';
import { completedInstances, logOf } from './test-support/cluster-fixture.js';

// The read model of a cluster: one set of tables in the cluster's schema, fed by each partition's leader, so
// that a search on any node shows every instance of every partition, across a node killed with SIGKILL.

const { schema, sql, node, leaders } = batonCluster('baton_cluster_rm');

/** `POST /v2/process-instances/search` on a node: the keys and states of every instance of the process. */
async function searchOn(
  server: TestServer,
  filter: Record<string, unknown> = {},
): Promise<Map<string, string>> {
  const response = await fetch(`${server.url}/v2/process-instances/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filter: { processDefinitionId: 'rm-work', ...filter }, page: { limit: 1000 } }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const body = (await response.json()) as {
    items: { processInstanceKey: string; state: string }[];
  };
  return new Map(body.items.map((i) => [i.processInstanceKey, i.state]));
}

/** The process instances of the log (by partition), and how many of their completions it holds. */
function instancesIn(log: readonly LoggedRecord[]) {
  const started = log.filter(
    (r) =>
      r.recordType === 'EVENT' &&
      r.valueType === 'PROCESS_INSTANCE' &&
      r.intent === 'ELEMENT_ACTIVATING' &&
      r.value.bpmnElementType === 'PROCESS',
  );
  return {
    keys: started.map((r) => r.key),
    partitions: new Set(started.map((r) => r.partitionId)),
    completed: completedInstances(log),
  };
}

/** What the read model's tables hold, straight from PostgreSQL. */
async function tables() {
  const [counts] = await sql<{ instances: number; distinct_keys: number; completed: number }>(
    `SELECT count(*)::int AS instances, count(DISTINCT key)::int AS distinct_keys,
            count(*) FILTER (WHERE state = 'COMPLETED')::int AS completed FROM ${schema}.rm_process_instance`,
  );
  const positions = await sql<{ partition_id: number; position: number }>(
    `SELECT partition_id::int AS partition_id, position::int AS position FROM ${schema}.rm_exporter_position ORDER BY partition_id`,
  );
  const audit = await sql<{ partition_id: number; n: number; last: number }>(
    `SELECT partition_id::int AS partition_id, count(*)::int AS n, max(position)::int AS last FROM ${schema}.rm_audit GROUP BY partition_id ORDER BY partition_id`,
  );
  const [stats] = await sql<{ active: number; completed: number }>(
    `SELECT sum(active)::int AS active, sum(completed)::int AS completed FROM ${schema}.rm_process_stats`,
  );
  return { counts: counts!, positions, audit, stats: stats! };
}

describe('the read model of a cluster on PostgreSQL', { timeout: 300_000 }, () => {
  it('a search on every node shows every instance of every partition, exactly once, across a SIGKILL', async () => {
    const n1 = await node('n1', '--partitions', '3');
    await until('n1 leading every partition', async () => Object.keys(await leaders()).length === 3, 60_000);
    const n2 = await node('n2');
    const n3 = await node('n3');
    await until(
      'each node leading one partition',
      async () => {
        const now = await leaders();
        return new Set(Object.values(now)).size === 3 && Object.keys(now).length === 3;
      },
      60_000,
    );

    const clients = [n1, n2, n3].map((n) => sdkClient(n.port));
    const created: string[] = [];
    try {
      await clients[0]!.deployResource({
        process: Buffer.from(await oneTask('rm-work', 'rm-work')),
        name: 'rm-work.bpmn',
      });
      // Through every node (each creates on the partitions it leads), once the deployment reached them all.
      for (const zeebe of clients) {
        await until('the deployment on a node', async () => {
          try {
            created.push(
              (await zeebe.createProcessInstance({ bpmnProcessId: 'rm-work', variables: {} }))
                .processInstanceKey,
            );
            return true;
          } catch {
            return false;
          }
        });
        for (let i = 0; i < 5; i++)
          created.push(
            (await zeebe.createProcessInstance({ bpmnProcessId: 'rm-work', variables: { i } }))
              .processInstanceKey,
          );
      }
      assert.equal(new Set(created).size, 18);
      const before = instancesIn(await logOf(schema, 3));
      assert.deepEqual([...before.partitions].sort(), [1, 2, 3], 'instances on every partition');

      // Every node's search shows all of them: the tables hold every partition, whoever leads it.
      for (const server of [n1, n2, n3])
        await until(
          `all 18 instances in the search on ${server.url}`,
          async () => (await searchOn(server)).size === 18,
        );
      for (const server of [n1, n2, n3])
        assert.deepEqual([...(await searchOn(server)).keys()].sort(), [...created].sort());

      // n3 dies at once; its partition is led again by a survivor.
      const killed = Object.entries(await leaders()).find(([, leader]) => leader === 'n3')![0];
      n3.process.kill('SIGKILL');
      await clients[2]!.close().catch(() => undefined);
      await until(
        `partition ${killed} led again`,
        async () => {
          const now = await leaders();
          return Object.keys(now).length === 3 && !Object.values(now).includes('n3');
        },
        90_000,
      );

      // More work after the failover: every waiting instance completes, and new ones start on every node left.
      for (const zeebe of clients.slice(0, 2))
        for (let i = 0; i < 3; i++)
          created.push(
            (await zeebe.createProcessInstance({ bpmnProcessId: 'rm-work', variables: { after: i } }))
              .processInstanceKey,
          );
      const done = new Set<string>();
      const worker = clients[0]!.createWorker({
        taskType: 'rm-work',
        pollInterval: 100,
        taskHandler: (job) => {
          done.add(job.processInstanceKey);
          return job.complete({});
        },
      });
      await until('every job completed', async () => done.size === created.length, 120_000);
      await worker.close();
    } finally {
      for (const zeebe of clients.slice(0, 2)) await zeebe.close();
    }

    // The survivors' searches: exactly the 24 instances, all completed, nothing twice, nothing missing.
    for (const server of [n1, n2])
      await until(
        `24 completed instances in the search on ${server.url}`,
        async () => [...(await searchOn(server, { state: 'COMPLETED' })).keys()].length === 24,
        60_000,
      );
    const log = instancesIn(await logOf(schema, 3));
    assert.equal(log.keys.length, 24, 'the log: every instance started once');
    assert.equal(log.completed.length, 24, 'the log: every instance completed once');
    for (const server of [n1, n2]) {
      const found = await searchOn(server);
      assert.deepEqual([...found.keys()].sort(), [...log.keys].sort());
      assert.ok([...found.values()].every((state) => state === 'COMPLETED'));
    }

    // The tables against the log: one row per instance, counters and audit lines applied once, and each
    // partition's position at the end of its log (once the exporters have read the last records).
    let records: LoggedRecord[] = [];
    let held: Awaited<ReturnType<typeof tables>> | undefined;
    const ends = () =>
      [1, 2, 3].map((partition) => records.filter((r) => r.partitionId === partition).at(-1)?.position);
    await until('the read model at the end of every partition’s log', async () => {
      records = await logOf(schema, 3);
      held = await tables();
      return JSON.stringify(held.positions.map((p) => p.position)) === JSON.stringify(ends());
    });
    assert.deepEqual(held!.counts, { instances: 24, distinct_keys: 24, completed: 24 });
    assert.deepEqual(held!.stats, { active: 0, completed: 24 });
    for (const partition of [1, 2, 3]) {
      const audited = records.filter(
        (r) =>
          r.partitionId === partition &&
          r.recordType === 'EVENT' &&
          (r.valueType === 'PROCESS_INSTANCE' || r.valueType === 'JOB' || r.valueType === 'INCIDENT'),
      ).length;
      assert.equal(
        held!.audit.find((a) => a.partition_id === partition)?.n,
        audited,
        `partition ${partition}: one audit line per event`,
      );
    }

    assert.equal(await n2.stop(), 0);
    assert.equal(await n1.stop(), 0);
  });
});
