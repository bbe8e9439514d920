import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterChild } from './test-support/cluster-child.js';
import type { NodeStats } from './test-support/cluster-fixture.js';
import { clusterFixture, waitForHosted } from './test-support/cluster-fixture.js';
import { SdkLoad } from './test-support/sdk-load.js';

const { freshSchema, startNode } = clusterFixture();

const ROUNDS = 3;
// Four partitions over three nodes: one node leads two of them, and that is the one killed.
const PARTITIONS = 4;

const stats = (node: ClusterChild) => node.request<NodeStats & { grpcPort: number }>('stats');

describe('failover under load, through the Camunda SDK', { timeout: 400_000 }, () => {
  it('the node leading the most partitions is killed mid-load and restarted, repeatedly, while the SDK works through the two others: every acknowledged instance completes once', async () => {
    const schema = freshSchema();
    const nodes = new Map<string, ClusterChild>();
    nodes.set('n1', startNode(schema, 'n1', PARTITIONS));
    await waitForHosted(nodes.get('n1')!, [1, 2, 3, 4]);
    const all = () => [...nodes.values()];
    const led = async () =>
      new Map(await Promise.all(all().map(async (n) => [n.name, (await stats(n)).hosted] as const)));
    /** Every partition led once, one node leading two. */
    const spread = async () => {
      const hosted = [...(await led()).values()];
      return (
        hosted.flat().sort().join(',') === '1,2,3,4' &&
        hosted
          .map((h) => h.length)
          .sort()
          .join(',') === '1,1,2'
      );
    };
    nodes.set('n2', startNode(schema, 'n2'));
    await waitForHosted(nodes.get('n2')!, [2, 4]);
    nodes.set('n3', startNode(schema, 'n3'));
    await nodes.get('n3')!.waitFor('the partitions spread', spread);
    let load: SdkLoad | undefined;
    try {
      const takeovers: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        // The victim: the node leading the most partitions (ties by id); the load goes through the others.
        const hosted = await led();
        const [victim, partitions] = [...hosted].sort(
          ([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1),
        )[0]!;
        assert.equal(partitions.length, 2, `round ${round}: ${victim} leads ${partitions.join(',')}`);
        const others = all().filter((n) => n.name !== victim);
        const ports = await Promise.all(others.map(async (n) => (await stats(n)).grpcPort));
        if (load) await load.moveTo(ports);
        else load = await SdkLoad.start(ports, 'load');
        await load.waitFor(load.acknowledged.length + 30);

        const killedAt = Date.now();
        await nodes.get(victim)!.kill();
        await others[0]!.waitFor(
          `${victim}'s partitions ${partitions.join(',')} led again`,
          async () => {
            const now = (await Promise.all(others.map(async (n) => (await stats(n)).hosted))).flat();
            return now.sort().join(',') === '1,2,3,4';
          },
          30_000,
        );
        takeovers.push(Date.now() - killedAt);
        await load.waitFor(load.acknowledged.length + 30);
        // It comes back and gets its share again (only what it must take).
        const back = startNode(schema, victim);
        nodes.set(victim, back);
        await back.waitFor('the partitions spread again', spread, 30_000);
      }
      for (const takeover of takeovers) assert.ok(takeover < 10_000, `led again after ${takeover} ms`);
      await load!.auditExactlyOnce(schema, PARTITIONS);
      console.log(
        `# ${load!.acknowledged.length} instances acknowledged, ${load!.refused} refused; ` +
          `takeovers ${takeovers.join(', ')} ms`,
      );
    } finally {
      await load?.close();
    }
  });
});
