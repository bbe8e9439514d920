import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createPostgresStoreFactory } from '@baton-engine/store-postgres';
import pg from 'pg';
import { Registry } from 'prom-client';
import { oneTask } from '../test-models.js';
import { registerClusterMetrics } from './cluster-metrics.js';
import { ClusterNode } from './cluster-node.js';
import { POSTGRES_URL } from './test-support/cluster-fixture.js';

const schema = `baton_cluster_metrics_${randomBytes(6).toString('hex')}`;

after(async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

/** The value of one sample of the exposition, or undefined when the line is not there. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('cluster metrics', { timeout: 60_000 }, () => {
  it('count lease renewals, time appends and count leader changes per partition and node', async () => {
    const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
    const node = await ClusterNode.open({
      factory,
      node: 'm1',
      partitions: 2,
      leaseMs: 1_500,
      heartbeatMs: 200,
    });
    const registry = new Registry();
    registerClusterMetrics(node, registry);
    try {
      await node.join('127.0.0.1:1', { host: '127.0.0.1', port: 0 });
      const until = async (what: string, condition: () => boolean) => {
        const deadline = Date.now() + 30_000;
        while (!condition()) {
          if (Date.now() > deadline) throw new Error(`no ${what} within 30 s`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      await until('leadership of both partitions', () => node.stats().leading.length === 2);
      await node.engine.deploy({ name: 'm.bpmn', xml: await oneTask('m', 'm-work') });
      for (let i = 0; i < 6; i++) await node.engine.createInstance('m', { i });
      // Renewals come every half second (a third of the lease): wait for two of each partition.
      await until('two renewals of each partition', () =>
        node.stats().partitions.every((p) => p.leaseRenewals >= 2),
      );

      const text = await registry.metrics();
      for (const partition of ['1', '2']) {
        const labels = `node="m1",partition="${partition}"`;
        assert.ok(
          sample(text, 'baton_cluster_lease_renewals_total', labels)! >= 2,
          `renewals of partition ${partition}`,
        );
        assert.equal(
          sample(
            text,
            'baton_cluster_leader_changes_total',
            `node="m1",partition="${partition}",change="taken"`,
          ),
          1,
        );
        // Each partition appended at least its share of the six instances' records, each one timed.
        const appends = sample(text, 'baton_cluster_append_seconds_count', labels)!;
        assert.ok(appends >= 1, `appends of partition ${partition}: ${appends}`);
        assert.equal(sample(text, 'baton_cluster_append_seconds_bucket', `le="+Inf",${labels}`), appends);
        assert.ok(sample(text, 'baton_cluster_append_seconds_sum', labels)! > 0);
      }
      assert.equal(
        sample(text, 'baton_cluster_lease_renewal_failures_total', 'node="m1",partition="1"'),
        undefined,
      );
      assert.equal(sample(text, 'baton_cluster_append_failures_total', 'node="m1",partition="1"'), undefined);

      // The deployment and instances went to both partitions: the counts add up to the node's appends.
      const total = ['1', '2'].reduce(
        (n, p) => n + sample(text, 'baton_cluster_append_seconds_count', `node="m1",partition="${p}"`)!,
        0,
      );
      assert.ok(total >= 6, `${total} appends for six instances and a deployment`);
    } finally {
      await node.stop();
      await factory.close();
    }
  });
});
