import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneTask } from '../test-models.js';
import type { NodeStats as Stats } from './test-support/cluster-fixture.js';
import { clusterFixture, completedInstances, logOf, waitForHosted } from './test-support/cluster-fixture.js';

const { freshSchema, startNode } = clusterFixture();

const model = await oneTask('cluster-work', 'cluster-work');

describe('a cluster of nodes on one PostgreSQL schema', { timeout: 180_000 }, () => {
  it('spreads the partitions to a joining node by hand-off, and takes a killed node’s partitions over within 10 s', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', 3);
    await waitForHosted(n1, [1, 2, 3]);
    const [process] = await n1.request<{ processDefinitionKey: string }[]>('deploy', { xml: model });

    const n2 = startNode(schema, 'n2');
    // n2 joins: n1 hands partition 2 off (nodes sorted n1, n2: partitions 1 and 3 to n1, 2 to n2).
    await waitForHosted(n2, [2]);
    await waitForHosted(n1, [1, 3]);
    assert.ok(
      n1.events.some((e) => e.event === 'handed off partition' && e.partition === 2 && e.to === 'n2'),
      'n1 logs the hand-off',
    );

    // Instances wait at their job on every partition, created through both nodes.
    const created = [
      ...(await n1.request<string[]>('create', { bpmnProcessId: 'cluster-work', count: 20 })),
      ...(await n2.request<string[]>('create', { bpmnProcessId: 'cluster-work', count: 10 })),
    ];
    assert.equal(new Set(created).size, 30);

    // n1 dies: n2 leads every partition again, recovered from the log, within 10 s.
    const killedAt = Date.now();
    await n1.kill();
    await waitForHosted(n2, [1, 2, 3], 30_000);
    const takeover = Date.now() - killedAt;
    assert.ok(takeover < 10_000, `partitions led again after ${takeover} ms`);
    const epochs = (await n2.request<Stats>('stats')).leading;
    assert.deepEqual(
      epochs.map((l) => [l.partitionId, l.epoch]),
      [
        [1, 2],
        [2, 2],
        [3, 2],
      ],
      'one epoch per leadership: n1 took each partition, then n2',
    );

    // The instances that waited on n1’s partitions complete under n2.
    await n2.request('work', { type: 'cluster-work' });
    await n2.waitFor('every instance completed', async () => {
      const { running, hosted } = await n2.request<{ running: number; hosted: number[] }>('running', {
        processDefinitionKey: process!.processDefinitionKey,
      });
      return running === 0 && hosted.length === 3;
    });

    // The log: every acknowledged instance completed exactly once, and no job completed twice.
    const log = await logOf(schema, 3);
    const completed = completedInstances(log);
    // On a mismatch, what each partition's log holds says where the instances went.
    const summary = () =>
      JSON.stringify(
        Object.entries(
          log.reduce<Record<string, number>>((counts, r) => {
            const name = `p${r.partitionId} ${r.recordType} ${r.valueType} ${r.intent}`;
            counts[name] = (counts[name] ?? 0) + 1;
            return counts;
          }, {}),
        ).filter(([name]) => /PROCESS_INSTANCE_CREATION|JOB (COMPLETE|CREATED)/.test(name)),
      );
    assert.deepEqual([...completed].sort(), [...created].sort(), summary());
    const jobs = log
      .filter((r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'COMPLETED')
      .map((r) => r.key);
    assert.equal(jobs.length, 30);
    assert.equal(new Set(jobs).size, 30);
  });

  it('a node that stops releases its leases at once, and a node already running takes them', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', 4);
    await waitForHosted(n1, [1, 2, 3, 4]);
    const n2 = startNode(schema, 'n2');
    await waitForHosted(n2, [2, 4]);
    await waitForHosted(n1, [1, 3]);
    const stoppedAt = Date.now();
    await n2.request('stop');
    await n1.waitFor('n1 leads every partition', async () => {
      const stats = await n1.request<Stats>('stats');
      return stats.hosted.length === 4;
    });
    // A released lease is free at once: taking over does not wait for the 5 s expiry (only for n2 to be
    // seen gone from the membership, which it left, and for n1’s next look).
    const handedBack = Date.now() - stoppedAt;
    assert.ok(handedBack < 5_000, `partitions led again after ${handedBack} ms`);
    await n1.request('stop');
  });
});
