import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageCatch, signalCatch } from '../test-models.js';
import type { ClusterChild } from './test-support/cluster-child.js';
import { clusterFixture, completedInstances, logOf, waitForHosted } from './test-support/cluster-fixture.js';

const { freshSchema, startNode } = clusterFixture();

/** Creates instances on a node, once the deployment reached its partitions (it travels through the database). */
async function createWhenDeployed(
  node: ClusterChild,
  bpmnProcessId: string,
  count: number,
  orderPrefix?: string,
): Promise<string[]> {
  let keys: string[] | undefined;
  await node.waitFor(`the deployment of ${bpmnProcessId} on ${node.name}`, async () => {
    try {
      keys = await node.request<string[]>('create', { bpmnProcessId, count, orderPrefix });
      return true;
    } catch (error) {
      if (/NOT_FOUND|Expected to find process definition|not found/i.test(String(error))) return false;
      throw error;
    }
  });
  return keys!;
}

/** Publishes on whichever node leads the correlation key's home partition. */
async function publish(nodes: ClusterChild[], name: string, correlationKey: string): Promise<void> {
  for (const node of nodes) {
    try {
      await node.request('publish', { name, correlationKey });
      return;
    } catch (error) {
      if (!/is not hosted/.test(String(error))) throw error;
    }
  }
  throw new Error(`no node leads the home partition of ${correlationKey}`);
}

/** Instances running on the node's partitions; Infinity unless it leads exactly `partitions`. */
async function running(
  node: ClusterChild,
  processDefinitionKey: string,
  partitions: number[],
): Promise<number> {
  const answer = await node.request<{ running: number; hosted: number[] }>('running', {
    processDefinitionKey,
  });
  return JSON.stringify(answer.hosted) === JSON.stringify(partitions) ? answer.running : Infinity;
}

describe('cross-partition work between nodes', { timeout: 180_000 }, () => {
  it('a deployment, messages and a signal reach the partitions of the other node, each exactly once', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', 3);
    await waitForHosted(n1, [1, 2, 3]);
    const n2 = startNode(schema, 'n2');
    await waitForHosted(n2, [2]);
    await waitForHosted(n1, [1, 3]);

    // Deployed through n2, which leads partition 2 only: n1’s partitions get it through the database.
    const [msg] = await n2.request<{ processDefinitionKey: string }[]>('deploy', { xml: messageCatch });
    const [sig] = await n2.request<{ processDefinitionKey: string }[]>('deploy', { xml: signalCatch });
    const waitingForMessages = [
      ...(await createWhenDeployed(n1, 'msg', 12, 'a')),
      ...(await createWhenDeployed(n2, 'msg', 6, 'b')),
    ];
    const waitingForSignal = [
      ...(await createWhenDeployed(n1, 'sig', 6)),
      ...(await createWhenDeployed(n2, 'sig', 3)),
    ];

    // Each message is published on its correlation key's home partition and handed to the others.
    for (let i = 0; i < 12; i++) await publish([n1, n2], 'paid', `a-${i}`);
    for (let i = 0; i < 6; i++) await publish([n1, n2], 'paid', `b-${i}`);
    // One signal thrown on n2’s partition reaches the instances on n1’s.
    await n2.request('signal', { name: 'go' });

    for (const [node, partitions] of [
      [n1, [1, 3]],
      [n2, [2]],
    ] as const) {
      await node.waitFor('every instance completed', async () => {
        const left =
          (await running(node, msg!.processDefinitionKey, [...partitions])) +
          (await running(node, sig!.processDefinitionKey, [...partitions]));
        return left === 0;
      });
    }
    const completed = completedInstances(await logOf(schema, 3));
    assert.deepEqual(completed.sort(), [...waitingForMessages, ...waitingForSignal].sort());
    await n1.request('stop');
    await n2.request('stop');
  });

  it('signals handed over while their target partition changes leader are taken exactly once', async () => {
    const schema = freshSchema();
    const n1 = startNode(schema, 'n1', 2);
    await waitForHosted(n1, [1, 2]);
    const [sig] = await n1.request<{ processDefinitionKey: string }[]>('deploy', { xml: signalCatch });
    const instances = await createWhenDeployed(n1, 'sig', 10);
    // n2 joins and takes partition 2 while signals are thrown on partition 1.
    const n2 = startNode(schema, 'n2');
    for (let i = 0; i < 3; i++) await n1.request('signal', { name: 'go' });
    await waitForHosted(n2, [2]);
    await n2.waitFor('the instances on partition 2 completed', async () => {
      return (await running(n2, sig!.processDefinitionKey, [2])) === 0;
    });
    await n1.waitFor('the instances on partition 1 completed', async () => {
      return (await running(n1, sig!.processDefinitionKey, [1])) === 0;
    });
    const log = await logOf(schema, 2);
    assert.deepEqual(completedInstances(log).sort(), [...instances].sort());
    // Partition 2 took each of the three signals of partition 1 once.
    const taken = log.filter(
      (r) =>
        r.partitionId === 2 &&
        r.recordType === 'EVENT' &&
        r.valueType === 'SIGNAL' &&
        r.intent === 'BROADCASTED' &&
        r.value.distributed,
    );
    assert.equal(taken.length, 3);
    await n1.request('stop');
    await n2.request('stop');
  });
});
