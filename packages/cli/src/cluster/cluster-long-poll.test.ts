import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneTask } from '../test-models.js';
import { sdkClient } from '../test-clients.js';
import { batonCluster, until } from './test-support/baton-cluster.js';

/** A real PostgreSQL (CI starts it): these tests fail at once, naming it, when it cannot be reached. */
const { node, leaders } = batonCluster('baton_cluster_long_poll');

/** `POST /v2/jobs/activation` on a node; its answer, and how long it took. */
async function activate(url: string, body: Record<string, unknown>) {
  const started = Date.now();
  const response = await fetch(`${url}/v2/jobs/activation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ timeout: 60_000, maxJobsToActivate: 5, worker: 'w', ...body }),
    signal: AbortSignal.timeout(60_000),
  });
  assert.equal(response.status, 200);
  const { jobs } = (await response.json()) as { jobs: { processInstanceKey: string; jobKey: string }[] };
  return { jobs, ms: Date.now() - started };
}

describe('long-polling job activation in a cluster of `baton start` nodes', { timeout: 180_000 }, () => {
  it('a long poll on a node that leads nothing returns as soon as a job is created on the other node, and empty after its time', async () => {
    const n1 = await node('n1', '--partitions', '1');
    await until('n1 leading partition 1', async () => (await leaders())[1] === 'n1');
    const n2 = await node('n2');
    await until('n2 joined', async () => /joined the cluster/.test(n2.output()));
    const zeebe = sdkClient(n1.port);
    try {
      await zeebe.deployResource({
        process: Buffer.from(await oneTask('polled', 'polled-work')),
        name: 'polled.bpmn',
      });
      // Nothing to activate: empty once the time is up.
      const empty = await activate(n2.url, { type: 'polled-work', requestTimeout: 1_500 });
      assert.deepEqual(empty.jobs, []);
      assert.ok(empty.ms >= 1_400, `answered after ${empty.ms} ms`);

      // Waiting on n2 (held by n1 meanwhile); the instance is created through n1 a moment later.
      const polling = activate(n2.url, { type: 'polled-work', requestTimeout: 40_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const created = await zeebe.createProcessInstance({ bpmnProcessId: 'polled', variables: {} });
      const { jobs, ms } = await polling;
      assert.deepEqual(
        jobs.map((j) => j.processInstanceKey),
        [created.processInstanceKey],
      );
      assert.ok(ms < 20_000, `answered after ${ms} ms, long before its 40 s`);
      const done = await fetch(`${n2.url}/v2/jobs/${jobs[0]!.jobKey}/completion`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(done.status, 204);
    } finally {
      await zeebe.close();
    }
    assert.equal(await n2.stop(), 0);
    assert.equal(await n1.stop(), 0);
  });
});
