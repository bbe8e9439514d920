import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ClusterChild } from './test-support/cluster-child.js';
import type { NodeStats } from './test-support/cluster-fixture.js';
import { waitForHosted } from './test-support/cluster-fixture.js';
import { PrivatePostgres } from './test-support/private-postgres.js';
import { SdkLoad } from './test-support/sdk-load.js';

// The machine's PostgreSQL is shared: this test crashes a server of its own, in a temporary directory.
let server: PrivatePostgres | undefined;
const children: ClusterChild[] = [];
before(async () => {
  server = await PrivatePostgres.start();
});
after(async () => {
  for (const child of children) await child.kill();
  await server?.destroy();
});

const SCHEMA = 'baton_outage';

function startNode(name: string, partitions?: number): ClusterChild {
  const child = ClusterChild.start(server!.url, SCHEMA, name, partitions);
  children.push(child);
  return child;
}

const stats = (node: ClusterChild) =>
  node.request<NodeStats & PartitionCounts & { grpcPort: number }>('stats');
interface PartitionCounts {
  partitions: { partitionId: number; leaseRenewalFailures: number; leadershipsLost: number }[];
}

/** The partitions led by the nodes together, sorted ('' when a node does not answer). */
async function ledTogether(nodes: ClusterChild[]): Promise<string> {
  const hosted = await Promise.all(nodes.map(async (n) => (await stats(n)).hosted));
  return hosted.flat().sort().join(',');
}

/** Ends every connection of the cluster's nodes to the server (as a proxy or a failover cutting them). */
async function cutConnections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ cut: boolean }>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
       WHERE application_name = 'baton' AND pid <> pg_backend_pid()`,
    );
    return rows.filter((r) => r.cut).length;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL crashed and connections cut under load', { timeout: 300_000 }, () => {
  it('the nodes stop appending while it is down, carry on when it returns, nothing corrupts and nothing acknowledged is lost', async () => {
    const n1 = startNode('n1', 3);
    await waitForHosted(n1, [1, 2, 3]);
    const n2 = startNode('n2');
    await waitForHosted(n2, [2]);
    await waitForHosted(n1, [1, 3]);
    const nodes = [n1, n2];
    const load = await SdkLoad.start([(await stats(n1)).grpcPort, (await stats(n2)).grpcPort], 'outage');
    try {
      await load.waitFor(40);

      // The server crashes (immediate shutdown: every connection cut) and stays down past the leases: each
      // node learns by its own clock that it lost every partition it led, and steps down.
      const lostSoFar = (node: ClusterChild) =>
        node.events.filter((e) => e.event === 'lost leadership of partition').length;
      const before = nodes.map(lostSoFar);
      await server!.crash();
      const downAt = Date.now();
      for (const [i, node] of nodes.entries()) {
        const led = node === n1 ? 2 : 1;
        await node.waitFor(
          'lost leadership of its partitions',
          () => lostSoFar(node) >= before[i]! + led,
          30_000,
        );
      }
      const acknowledgedWhileDown = () =>
        load.acknowledged.filter((a) => a.at > downAt + 1_000).map((a) => a.key);
      assert.deepEqual(acknowledgedWhileDown(), [], 'instances acknowledged while PostgreSQL was down');

      // It comes back: the partitions are led again (new epochs) and the load carries on.
      await server!.resume();
      const upAt = Date.now();
      await n1.waitFor(
        'every partition led again',
        async () => (await ledTogether(nodes)) === '1,2,3',
        60_000,
      );
      const afterRestart = load.acknowledged.length;
      await load.waitFor(afterRestart + 40);
      assert.ok(
        load.acknowledged.every((a) => a.at <= downAt + 1_000 || a.at >= upAt),
        'an instance was acknowledged while PostgreSQL was down',
      );
      const counts = (await Promise.all(nodes.map(stats))).flatMap((s) => s.partitions);
      assert.ok(
        counts.some((p) => p.leaseRenewalFailures > 0),
        'renewal failures counted while the server was down',
      );

      // Connections cut under load, five times: the nodes reconnect and go on.
      for (let cut = 0; cut < 5; cut++) {
        assert.ok((await cutConnections(server!.url)) > 0, 'the nodes had connections to cut');
        await load.waitFor(load.acknowledged.length + 10);
      }
      await n1.waitFor('every partition led', async () => (await ledTogether(nodes)) === '1,2,3', 60_000);

      // Every acknowledged instance completes exactly once, no job completed twice.
      const log = await load.auditExactlyOnce(SCHEMA, 3, server!.url);
      // Nothing corrupt: each partition's log runs from position 1 without a gap or a repeat.
      for (let p = 1; p <= 3; p++) {
        const positions = log.filter((r) => r.partitionId === p).map((r) => r.position);
        assert.ok(positions.length > 0, `partition ${p} has records`);
        positions.forEach((position, i) => assert.equal(position, i + 1, `partition ${p} at ${i + 1}`));
      }
      console.log(
        `# ${load.acknowledged.length} instances acknowledged, ${load.refused} refused; ` +
          `down ${upAt - downAt} ms`,
      );
    } finally {
      await load.close();
    }
  });
});
