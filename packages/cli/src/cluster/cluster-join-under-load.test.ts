import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterChild } from './test-support/cluster-child.js';
import type { NodeStats } from './test-support/cluster-fixture.js';
import { clusterFixture, waitForHosted } from './test-support/cluster-fixture.js';
import { SdkLoad } from './test-support/sdk-load.js';

const { freshSchema, startNode } = clusterFixture();

const PARTITIONS = 4;
const stats = (node: ClusterChild) => node.request<NodeStats & { grpcPort: number }>('stats');

describe('nodes joining under load', { timeout: 300_000 }, () => {
  it('each joining node gets its share by hand-off, only from the nodes that must give, and nothing is lost', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', PARTITIONS);
    await waitForHosted(n1, [1, 2, 3, 4]);
    const n2 = startNode(schema, 'n2');
    await waitForHosted(n2, [2, 4]);
    await waitForHosted(n1, [1, 3]);
    const nodes = [n1, n2];
    const load = await SdkLoad.start([(await stats(n1)).grpcPort, (await stats(n2)).grpcPort], 'joining');
    try {
      for (const name of ['n3', 'n4']) {
        await load.waitFor(load.acknowledged.length + 40);
        const before = new Map(
          await Promise.all(nodes.map(async (n) => [n, (await stats(n)).hosted] as const)),
        );
        const handOffsBefore = nodes.map(
          (n) => n.events.filter((e) => e.event === 'handed off partition').length,
        );
        const joining = startNode(schema, name);
        nodes.push(joining);
        // Its share: 4 partitions over 3 nodes gives it one (the node with two keeps them), over 4 nodes one.
        await joining.waitFor('a partition', async () => (await stats(joining)).hosted.length === 1, 30_000);
        await joining.waitFor(
          'every partition led once',
          async () => {
            const hosted = (await Promise.all(nodes.map(async (n) => (await stats(n)).hosted))).flat();
            return hosted.sort().join(',') === '1,2,3,4';
          },
          30_000,
        );
        // Only one partition moved, to the newcomer: every node before it kept what it had, but one.
        const moved = [...before].flatMap(([node, had]) =>
          node.events
            .filter((e) => e.event === 'handed off partition')
            .slice(handOffsBefore[[...before.keys()].indexOf(node)])
            .map((e) => ({ from: node.name, partition: e.partition, to: e.to, had })),
        );
        assert.equal(moved.length, 1, `${name} joining moved ${JSON.stringify(moved)}`);
        assert.equal(moved[0]!.to, name);
        assert.ok(
          moved[0]!.had.length === 2,
          `the partition came from a node leading two: ${JSON.stringify(moved)}`,
        );
        await load.waitFor(load.acknowledged.length + 40);
      }
      const counts = await Promise.all(nodes.map(async (n) => (await stats(n)).hosted.length));
      assert.deepEqual(counts, [1, 1, 1, 1]);
      await load.auditExactlyOnce(schema, PARTITIONS);
      console.log(`# ${load.acknowledged.length} instances acknowledged, ${load.refused} refused`);
    } finally {
      await load.close();
    }
  });
});
