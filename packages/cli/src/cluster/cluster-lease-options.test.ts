import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startBaton } from '../test-server.js';
import { batonCluster, until } from './test-support/baton-cluster.js';

/** A real PostgreSQL (CI starts it): these tests fail at once, naming it, when it cannot be reached. */
const { dir, node, leaders } = batonCluster('baton_cluster_lease');

describe('baton start --cluster --lease-ms --heartbeat-ms', { timeout: 180_000 }, () => {
  it('refuses a heartbeat longer than a third of the lease, values that are no integers, and the options without --cluster', async () => {
    await assert.rejects(
      node('bad', '--heartbeat-ms', '2000'),
      /--heartbeat-ms must be at most a third of the lease \(--lease-ms 5000\): at most 1666, got 2000/,
    );
    await assert.rejects(
      node('bad', '--lease-ms', '3000', '--heartbeat-ms', '1500'),
      /at most a third of the lease \(--lease-ms 3000\): at most 1000, got 1500/,
    );
    await assert.rejects(
      node('bad', '--lease-ms', 'soon'),
      /--lease-ms must be an integer from 300 to 600000, got 'soon'/,
    );
    await assert.rejects(node('bad', '--heartbeat-ms', '0'), /--heartbeat-ms must be an integer from 100/);
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--lease-ms', '2000'], { db: join(dir, 'plain.db') }),
      /--lease-ms and --heartbeat-ms go with --cluster/,
    );
    // The environment variables are checked the same way.
    process.env.BATON_HEARTBEAT_MS = '900';
    process.env.BATON_LEASE_MS = '2400';
    try {
      await assert.rejects(
        node('bad'),
        /at most a third of the lease \(--lease-ms 2400\): at most 800, got 900/,
      );
    } finally {
      delete process.env.BATON_HEARTBEAT_MS;
      delete process.env.BATON_LEASE_MS;
    }
  });

  it('with a short lease, a killed node’s partition is taken over well before the default lease (5 s) could run out', async (t) => {
    const short = ['--lease-ms', '1500', '--heartbeat-ms', '300'];
    const n1 = await node('n1', '--partitions', '1', ...short);
    await until('n1 leading partition 1', async () => (await leaders())[1] === 'n1');
    const n2 = await node('n2', ...short);
    await until('n2 serving', async () => /joined the cluster/.test(n2.output()));
    const killedAt = Date.now();
    n1.process.kill('SIGKILL');
    await until('n2 leading partition 1', async () => (await leaders())[1] === 'n2', 30_000);
    const takeover = Date.now() - killedAt;
    t.diagnostic(`takeover after ${takeover} ms`);
    // The default lease alone keeps a killed node's partition 4 to 5 s (renewed every second).
    assert.ok(takeover < 4_000, `partition 1 taken over after ${takeover} ms`);
    await until('n2 serving partition 1', async () => /became leader of partition/.test(n2.output()));
    assert.equal(await n2.stop(), 0);
  });
});
