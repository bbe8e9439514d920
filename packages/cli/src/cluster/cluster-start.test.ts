import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { oneTask } from '../test-models.js';
import { sdkClient } from '../test-clients.js';
import { startBaton } from '../test-server.js';
import { batonCluster, until } from './test-support/baton-cluster.js';

/** A real PostgreSQL (CI starts it): these tests fail at once, naming it, when it cannot be reached. */
const { dir, url, node, leaders } = batonCluster('baton_cluster_cli');

/** `baton cluster status --json`, run as a user would. */
async function status(): Promise<{
  partitionCount: number;
  nodes: { node: string; live: boolean; leading: number[] }[];
  partitions: { partitionId: number; leader?: string; epoch?: number }[];
}> {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=baton-src', '--import', 'tsx', main, '--json', 'cluster', 'status', '--cluster', url],
    { timeout: 30_000 },
  );
  return JSON.parse(stdout) as Awaited<ReturnType<typeof status>>;
}

describe('baton start --cluster', { timeout: 180_000 }, () => {
  it('two nodes share the partitions; a deployment through one reaches both; one worker on one node completes the jobs of both', async () => {
    const n1 = await node('n1', '--partitions', '2');
    await until('n1 leading both partitions', async () => {
      const now = await leaders();
      return now[1] === 'n1' && now[2] === 'n1';
    });
    const n2 = await node('n2');
    await until('n2 leading partition 2', async () => (await leaders())[2] === 'n2');
    // The lease is taken before the partition is recovered; the log line follows once it serves.
    await until('n2 serving partition 2', async () => /became leader of partition/.test(n2.output()));
    assert.match(n1.output(), /handed off partition/);
    const shown = await status();
    assert.equal(shown.partitionCount, 2);
    assert.deepEqual(
      shown.nodes.map((n) => [n.node, n.live, n.leading]),
      [
        ['n1', true, [1]],
        ['n2', true, [2]],
      ],
    );
    assert.deepEqual(
      shown.partitions.map((p) => [p.partitionId, p.leader, p.epoch]),
      [
        [1, 'n1', 1],
        [2, 'n2', 2],
      ],
    );

    // The leadership changes are metrics too.
    const metrics = await (await fetch(`${n2.url}/metrics`)).text();
    assert.match(metrics, /baton_cluster_partitions_led\{node="n2"\} 1/);
    assert.match(metrics, /baton_cluster_leaderships_taken_total\{node="n2"\} 1/);
    assert.match(metrics, /baton_cluster_partition_epoch\{node="n2",partition="2"\} 2/);

    const zeebe1 = sdkClient(n1.port);
    const zeebe2 = sdkClient(n2.port);
    try {
      await zeebe1.deployResource({
        process: Buffer.from(await oneTask('clustered', 'clustered-work')),
        name: 'clustered.bpmn',
      });
      // Through n2 (partition 2), once the deployment made its way there through the database.
      const created: string[] = [];
      await until('the deployment on partition 2', async () => {
        try {
          created.push(
            (await zeebe2.createProcessInstance({ bpmnProcessId: 'clustered', variables: {} }))
              .processInstanceKey,
          );
          return true;
        } catch {
          return false;
        }
      });
      for (let i = 0; i < 4; i++) {
        for (const zeebe of [zeebe1, zeebe2])
          created.push(
            (await zeebe.createProcessInstance({ bpmnProcessId: 'clustered', variables: { i } }))
              .processInstanceKey,
          );
      }
      // One worker, on n2 only: activation there also takes n1's jobs, and their completion is forwarded to
      // partition 1's leader.
      const done = new Set<string>();
      const worker = zeebe2.createWorker({
        taskType: 'clustered-work',
        pollInterval: 100,
        taskHandler: (job) => {
          done.add(job.processInstanceKey);
          return job.complete({});
        },
      });
      await until('every job completed', async () => done.size === created.length);
      await worker.close();
      assert.deepEqual([...done].sort(), [...created].sort());
    } finally {
      await zeebe1.close();
      await zeebe2.close();
    }
    assert.equal(await n2.stop(), 0);
    await until('n1 leading both partitions again', async () => (await leaders())[2] === 'n1');
    assert.equal(await n1.stop(), 0);
  });

  it('refuses a node without an id, and a partition count other than the cluster’s', async () => {
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--cluster', url], { db: join(dir, 'x.db') }),
      /--cluster needs --node-id/,
    );
    await assert.rejects(node('n3', '--partitions', '5'), /has 2 partitions \(set by node n1\), not the 5/);
  });
});
