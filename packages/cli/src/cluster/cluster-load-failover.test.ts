import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sdkClient } from '../test-clients.js';
import type { Zeebe } from '../test-clients.js';
import { oneTask } from '../test-models.js';
import type { ClusterChild } from './test-support/cluster-child.js';
import type { NodeStats } from './test-support/cluster-fixture.js';
import { clusterFixture, completedInstances, logOf, waitForHosted } from './test-support/cluster-fixture.js';

const { freshSchema, startNode } = clusterFixture();

const ROUNDS = 2;

async function hostedBy(nodes: ClusterChild[]): Promise<number[][]> {
  return Promise.all(nodes.map(async (n) => (await n.request<NodeStats>('stats')).hosted));
}

describe('failover under load, through the Camunda SDK', { timeout: 300_000 }, () => {
  it('with instances created and jobs completed through two nodes, a third one is killed and restarted repeatedly: every acknowledged instance completes once', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', 3);
    await waitForHosted(n1, [1, 2, 3]);
    const n2 = startNode(schema, 'n2');
    await waitForHosted(n2, [2]);
    let n3 = startNode(schema, 'n3');
    await waitForHosted(n3, [3]);
    await waitForHosted(n1, [1]);
    const port = async (node: ClusterChild) => (await node.request<{ grpcPort: number }>('stats')).grpcPort;
    const clients: Zeebe[] = [sdkClient(await port(n1)), sdkClient(await port(n2))];
    try {
      await clients[0]!.deployResource({
        process: Buffer.from(await oneTask('load', 'load-work')),
        name: 'load.bpmn',
      });

      // Workers on both clients; a job's completion acknowledged twice would be a completion applied twice.
      const acknowledgedCompletions = new Map<string, number>();
      const workers = clients.map((zeebe) =>
        zeebe.createWorker({
          taskType: 'load-work',
          pollInterval: 100,
          timeout: 5_000,
          taskHandler: async (job) => {
            const outcome = await job.complete({});
            acknowledgedCompletions.set(job.key, (acknowledgedCompletions.get(job.key) ?? 0) + 1);
            return outcome;
          },
        }),
      );

      // Load: instances created through both nodes, one after the other, until told to stop.
      const acknowledged: string[] = [];
      let refused = 0;
      let loading = true;
      const load = (async () => {
        for (let i = 0; loading; i++) {
          try {
            const created = await clients[i % 2]!.createProcessInstance({
              bpmnProcessId: 'load',
              variables: { i },
            });
            acknowledged.push(created.processInstanceKey);
          } catch {
            refused += 1; // not acknowledged: the client knows it failed
          }
        }
      })();
      const waitForLoad = async (count: number) => {
        await n1.waitFor(`${count} acknowledged instances`, () => acknowledged.length >= count, 60_000);
      };

      const takeovers: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        await waitForLoad(acknowledged.length + 20);
        const killedAt = Date.now();
        await n3.kill();
        await n1.waitFor(
          'n1 and n2 leading every partition',
          async () => {
            const [a, b] = await hostedBy([n1, n2]);
            return [...a!, ...b!].sort().join(',') === '1,2,3';
          },
          30_000,
        );
        takeovers.push(Date.now() - killedAt);
        await waitForLoad(acknowledged.length + 20);
        n3 = startNode(schema, 'n3');
        await waitForHosted(n3, [3]);
      }
      loading = false;
      await load;
      for (const takeover of takeovers) assert.ok(takeover < 10_000, `led again after ${takeover} ms`);

      // Every acknowledged instance completes, exactly once, as the log says.
      let log = await logOf(schema, 3);
      const expected = new Set(acknowledged);
      await n1.waitFor(
        'every acknowledged instance completed',
        async () => {
          log = await logOf(schema, 3);
          const done = new Set(completedInstances(log));
          return [...expected].every((key) => done.has(key));
        },
        90_000,
      );
      for (const worker of workers) await worker.close();
      const completed = completedInstances(log);
      assert.equal(completed.length, new Set(completed).size, 'an instance completed twice');
      // The log holds no instance that was not acknowledged beyond those whose answer was lost to a kill.
      assert.ok(completed.length - expected.size <= refused, 'more instances than were asked for');
      const jobCompletions = log
        .filter((r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'COMPLETED')
        .map((r) => r.key);
      assert.equal(jobCompletions.length, new Set(jobCompletions).size, 'a job completed twice in the log');
      for (const [key, times] of acknowledgedCompletions)
        assert.equal(times, 1, `job ${key}: completion acknowledged ${times} times`);
      console.log(
        `# ${acknowledged.length} instances acknowledged, ${refused} refused; takeovers ${takeovers.join(', ')} ms`,
      );
    } finally {
      for (const zeebe of clients) await zeebe.close();
    }
  });
});
