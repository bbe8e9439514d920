import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterChild, NodeEvent } from './test-support/cluster-child.js';
import type { NodeStats } from './test-support/cluster-fixture.js';
import { clusterFixture, logOf, waitForHosted } from './test-support/cluster-fixture.js';
import { SdkLoad } from './test-support/sdk-load.js';

const { freshSchema, startNode } = clusterFixture();

const stats = (node: ClusterChild) => node.request<NodeStats & { grpcPort: number }>('stats');
const events = (node: ClusterChild, name: string, partition: number) =>
  node.events.filter((e) => e.event === name && e.partition === partition);

/** Each node's commits, by position of a partition: who wrote it, under which epoch. */
function claims(nodes: ClusterChild[], partition: number): Map<number, { node: string; epoch: unknown }[]> {
  const out = new Map<number, { node: string; epoch: unknown }[]>();
  for (const node of nodes)
    for (const e of events(node, 'committed', partition) as (NodeEvent & { first: number; last: number })[])
      for (let p = e.first; p <= e.last; p++)
        out.set(p, [...(out.get(p) ?? []), { node: node.name, epoch: e.epoch }]);
  return out;
}

describe('fencing of a cluster node', { timeout: 300_000 }, () => {
  it('a leader frozen with SIGSTOP past its lease never appends after the takeover, and steps down on SIGCONT', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', 2);
    await waitForHosted(n1, [1, 2]);
    const n2 = startNode(schema, 'n2');
    await waitForHosted(n2, [2]);
    await waitForHosted(n1, [1]);
    // A load through each node, on its own: the one through the frozen node waits, the other goes on.
    const loads = [
      await SdkLoad.start([(await stats(n1)).grpcPort], 'fenced-a'),
      await SdkLoad.start([(await stats(n2)).grpcPort], 'fenced-b'),
    ];
    try {
      await loads[0]!.waitFor(30);
      await n1.waitFor('commits on partition 1', () => events(n1, 'committed', 1).length >= 5);

      // n1 freezes while it leads partition 1 and appends to it; n2 takes partition 1 once the lease expires.
      n1.process.kill('SIGSTOP');
      const frozenAt = Date.now();
      try {
        await n2.waitFor(
          'leadership of partition 1',
          () => events(n2, 'became leader of partition', 1).length > 0,
          30_000,
        );
        const takeover = events(n2, 'became leader of partition', 1)[0]!;
        assert.equal(takeover.epoch, 2);
        // n2 appends to partition 1 under its epoch while n1 is still frozen.
        await n2.waitFor('commits on partition 1', () => events(n2, 'committed', 1).length >= 5, 30_000);
        // The lease (5 s) runs from n1's last renewal, at most one renewal (1 s) before the freeze.
        assert.ok(Date.now() - frozenAt > 4_000, 'the takeover waited for the lease to expire');
      } finally {
        n1.process.kill('SIGCONT');
      }
      // n1 wakes: it learns it lost the lease and steps down (its own clock, or the refused renewal or write).
      await n1.waitFor(
        'stepping down from partition 1',
        () => events(n1, 'lost leadership of partition', 1).length > 0,
        30_000,
      );
      assert.equal(events(n1, 'lost leadership of partition', 1)[0]!.epoch, 1);

      // Both go on (partition 1 may go back to n1 under a new epoch: it is its home); nothing is lost.
      for (const load of loads) await load.waitFor(load.acknowledged.length + 20);
      for (const load of loads) await load.auditExactlyOnce(schema, 2);

      // Along each partition's log: every position committed by exactly one node, epochs only growing, each
      // epoch one node's. n1's epoch-1 commits all lie before n2's epoch-2 ones.
      const log = await logOf(schema, 2);
      for (const partition of [1, 2]) {
        const byPosition = claims([n1, n2], partition);
        const positions = log.filter((r) => r.partitionId === partition).map((r) => r.position);
        let lastEpoch = 0;
        const owner = new Map<number, string>();
        for (const position of positions) {
          const claim = byPosition.get(position);
          assert.equal(
            claim?.length,
            1,
            `partition ${partition} position ${position}: ${JSON.stringify(claim)}`,
          );
          const { node, epoch } = claim![0]!;
          assert.equal(typeof epoch, 'number', `position ${position} committed without a lease by ${node}`);
          assert.ok(
            (epoch as number) >= lastEpoch,
            `epoch ${String(epoch)} after ${lastEpoch} at ${position}`,
          );
          assert.equal(
            owner.get(epoch as number) ?? node,
            node,
            `epoch ${String(epoch)} written by two nodes`,
          );
          owner.set(epoch as number, node);
          lastEpoch = epoch as number;
        }
        if (partition === 1)
          assert.ok(owner.get(1) === 'n1' && owner.get(2) === 'n2', JSON.stringify([...owner]));
      }
    } finally {
      for (const load of loads) await load.close();
    }
  });
});
