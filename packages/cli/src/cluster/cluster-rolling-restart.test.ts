import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sdkClient } from '../test-clients.js';
import type { Zeebe } from '../test-clients.js';
import { oneTask } from '../test-models.js';
import type { ClusterChild } from './test-support/cluster-child.js';
import type { NodeStats } from './test-support/cluster-fixture.js';
import { clusterFixture, completedInstances, logOf, waitForHosted } from './test-support/cluster-fixture.js';

const { freshSchema, startNode } = clusterFixture();

async function until(what: string, condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A node with a Camunda SDK client and a worker on it. */
interface Member {
  readonly name: string;
  node: ClusterChild;
  zeebe: Zeebe;
  worker: { close(): Promise<unknown> };
}

describe('a rolling restart under load', { timeout: 300_000 }, () => {
  it('each node in turn stops gracefully and comes back while clients on the others go on: every acknowledged instance completes once', async () => {
    const schema = freshSchema();
    const completions = new Map<string, number>();
    const connect = async (node: ClusterChild) => {
      const zeebe = sdkClient((await node.request<{ grpcPort: number }>('stats')).grpcPort);
      const worker = zeebe.createWorker({
        taskType: 'rolling-work',
        pollInterval: 100,
        timeout: 5_000,
        taskHandler: async (job) => {
          const outcome = await job.complete({});
          completions.set(job.key, (completions.get(job.key) ?? 0) + 1);
          return outcome;
        },
      });
      return { zeebe, worker };
    };
    const n1 = startNode(schema, 'n1', 3);
    await waitForHosted(n1, [1, 2, 3]);
    const n2 = startNode(schema, 'n2');
    await waitForHosted(n2, [2]);
    const n3 = startNode(schema, 'n3');
    await waitForHosted(n3, [3]);
    const members: Member[] = [];
    for (const [name, node] of [
      ['n1', n1],
      ['n2', n2],
      ['n3', n3],
    ] as const)
      members.push({ name, node, ...(await connect(node)) });
    const serving = new Set(members);
    let loading = true;
    let load: Promise<void> = Promise.resolve();
    try {
      await members[0]!.zeebe.deployResource({
        process: Buffer.from(await oneTask('rolling', 'rolling-work')),
        name: 'rolling.bpmn',
      });
      const acknowledged: string[] = [];
      let refused = 0;
      const reasons = new Map<string, number>();
      load = (async () => {
        for (let i = 0; loading; i++) {
          const through = [...serving][i % serving.size];
          if (!through) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            continue;
          }
          try {
            const created = await through.zeebe.createProcessInstance({
              bpmnProcessId: 'rolling',
              variables: { i },
            });
            acknowledged.push(created.processInstanceKey);
          } catch (error) {
            refused += 1;
            const reason = String((error as Error)?.message ?? error).slice(0, 160);
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          }
        }
      })();
      const waitForLoad = (count: number) =>
        until(`${count} acknowledged instances`, () => acknowledged.length >= count, 60_000);

      const handOvers: number[] = [];
      for (const member of members) {
        await waitForLoad(acknowledged.length + 20);
        serving.delete(member);
        await member.worker.close();
        await member.zeebe.close();
        const stoppedAt = Date.now();
        await member.node.request('stop');
        const others = members.filter((m) => m !== member);
        await others[0]!.node.waitFor('the other two nodes leading every partition', async () => {
          const hosted = await Promise.all(
            others.map(async (m) => (await m.node.request<NodeStats>('stats')).hosted),
          );
          return hosted.flat().sort().join(',') === '1,2,3';
        });
        handOvers.push(Date.now() - stoppedAt);
        member.node = startNode(schema, member.name);
        await waitForHosted(member.node, [Number(member.name.slice(1))]);
        Object.assign(member, await connect(member.node));
        serving.add(member);
      }
      await waitForLoad(acknowledged.length + 20);
      loading = false;
      await load;
      // A stopped node releases its leases at once: its partitions move without waiting for an expiry.
      for (const handOver of handOvers)
        assert.ok(handOver < 5_000, `partitions led again after ${handOver} ms`);

      let log = await logOf(schema, 3);
      await until(
        'every acknowledged instance completed',
        async () => {
          log = await logOf(schema, 3);
          const done = new Set(completedInstances(log));
          return acknowledged.every((key) => done.has(key));
        },
        90_000,
      );
      const completed = completedInstances(log);
      assert.equal(completed.length, new Set(completed).size, 'an instance completed twice');
      assert.ok(completed.length - acknowledged.length <= refused, 'more instances than were asked for');
      const jobs = log
        .filter((r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'COMPLETED')
        .map((r) => r.key);
      assert.equal(jobs.length, new Set(jobs).size, 'a job completed twice in the log');
      for (const [key, times] of completions)
        assert.equal(times, 1, `job ${key} acknowledged ${times} times`);
      console.log(
        `# ${acknowledged.length} instances acknowledged, ${refused} refused ${JSON.stringify([...reasons])}; hand-overs ${handOvers.join(', ')} ms`,
      );
    } finally {
      loading = false;
      await load;
      for (const member of members) {
        await member.worker.close().catch(() => undefined);
        await member.zeebe.close().catch(() => undefined);
      }
    }
  });
});
