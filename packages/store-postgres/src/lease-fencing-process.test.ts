import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPostgresStoreFactory } from './postgres-store.js';
import { ChildNode } from './test-support/child-node.js';
import type { NodeEvent } from './test-support/child-node.js';
import { POSTGRES_URL, dropSchemas, freshSchema, requirePostgres } from './test-support/postgres.js';
import { writerOf, writtenBy } from './test-support/records.js';

before(requirePostgres);
after(dropSchemas);

const children: ChildNode[] = [];
after(async () => {
  for (const child of children) await child.kill();
});

function holder(schema: string, node: string, leaseMs: number, renewEveryMs: number): ChildNode {
  const child = ChildNode.start('lease-holder', [
    POSTGRES_URL,
    schema,
    node,
    String(leaseMs),
    String(renewEveryMs),
  ]);
  children.push(child);
  return child;
}

describe('fencing a leader in another process', () => {
  it('a leader frozen with SIGSTOP past its lease never appends after the takeover, and steps down', async () => {
    const schema = freshSchema();
    const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
    const a = holder(schema, 'node-a', 1_000, 200);
    try {
      await a.waitFor(
        '5 appends by node-a',
        (events) => events.filter((e) => e.event === 'appended').length >= 5,
      );
      a.process.kill('SIGSTOP');
      const frozenAfter = a.events.length;

      // This process takes the partition once node-a's lease has run out by the database's clock.
      let lease;
      while (!(lease = await factory.leases.acquire(1, 'node-b', 60_000))) await sleep(50);
      assert.deepEqual([lease.node, lease.epoch], ['node-b', 2]);
      const store = await factory.open(1, { fence: lease });
      const takenAt = await store.lastPosition();
      await store.append([writtenBy(1, takenAt + 1, 'node-b')]);

      a.process.kill('SIGCONT');
      // node-b goes on appending while node-a wakes up and tries to.
      let appendedByB = 1;
      while (!a.exited) {
        await store.append([writtenBy(1, (await store.lastPosition()) + 1, 'node-b')]);
        appendedByB += 1;
        await sleep(5);
      }
      assert.equal(await a.waitForExit(), 0, a.errorOutput);

      const afterWaking = a.events.slice(frozenAfter);
      const lateAppends = afterWaking.filter((e) => e.event === 'appended' && Number(e.position) > takenAt);
      assert.deepEqual(lateAppends, [], 'no append of node-a succeeded after the takeover');
      const refused = afterWaking.filter((e) => e.event === 'refused');
      assert.ok(refused.length >= 3, JSON.stringify(afterWaking));
      for (const event of refused) assert.equal(event.error, 'LeaseLostError');
      // At least one refusal came from the database itself (the fence does not short-circuit in this node).
      assert.ok(
        refused.some((e) => /node node-b leads it at epoch 2; nothing was written/.test(String(e.message))),
        JSON.stringify(refused),
      );
      const steppedDown = afterWaking.filter((e) => e.event === 'stepped-down');
      assert.equal(steppedDown.length, 1, JSON.stringify(afterWaking));
      assert.match(String(steppedDown[0]!.reason), /node node-a no longer leads it at epoch 1/);

      const log = await store.read(1, 100_000);
      assert.equal(log.length, await store.lastPosition(), 'no gap');
      assert.deepEqual(log.slice(0, takenAt).map(writerOf), Array(takenAt).fill('node-a'));
      assert.deepEqual(log.slice(takenAt).map(writerOf), Array(appendedByB).fill('node-b'));
    } finally {
      await a.kill();
      await factory.close();
    }
  });
});

describe('two node processes claiming one partition', () => {
  it('never both write: along the log, each epoch belongs to one node and epochs only grow', async () => {
    const schema = freshSchema();
    const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
    const nodes = [contender(schema, 'node-a'), contender(schema, 'node-b')] as const;
    const leading = (epoch: number) => (events: NodeEvent[]) =>
      events.some((e) => e.event === 'leading' && Number(e.epoch) >= epoch);
    const appendsAt = (epoch: number) => (events: NodeEvent[]) =>
      events.filter((e) => e.event === 'appended' && e.epoch === epoch).length >= 3;
    try {
      // Whoever leads appends a few records, is frozen past its lease until the other takes over, and wakes.
      let epoch = 1;
      for (let round = 0; round < 3; round++) {
        const leader = await firstOf(nodes, `a leader at epoch ${epoch} or later`, leading(epoch));
        epoch = Math.max(...leader.events.filter((e) => e.event === 'leading').map((e) => Number(e.epoch)));
        await leader.waitFor(`appends at epoch ${epoch}`, appendsAt(epoch));
        leader.process.kill('SIGSTOP');
        const other = nodes.find((n) => n !== leader)!;
        await other.waitFor(`a takeover after epoch ${epoch}`, leading(epoch + 1));
        leader.process.kill('SIGCONT');
        await leader.waitFor(`node stepping down from epoch ${epoch}`, (events) =>
          events.some((e) => e.event === 'stepped-down' && e.epoch === epoch),
        );
        epoch += 1;
      }
      for (const node of nodes) node.end();
      for (const node of nodes) assert.equal(await node.waitForExit(), 0, node.errorOutput);

      const log = await (await factory.open(1)).read(1, 1_000_000);
      const tags = log.map(writerOf).map((tag) => {
        const [node, at] = tag.split('@');
        return { node: node!, epoch: Number(at) };
      });
      const owner = new Map<number, string>();
      tags.forEach((tag, i) => {
        assert.ok(
          i === 0 || tag.epoch >= tags[i - 1]!.epoch,
          `epoch ${tag.epoch} after ${tags[i - 1]?.epoch}`,
        );
        assert.equal(owner.get(tag.epoch) ?? tag.node, tag.node, `epoch ${tag.epoch} written by two nodes`);
        owner.set(tag.epoch, tag.node);
      });
      assert.ok(owner.size >= 4, `at least four epochs in the log: ${[...owner].join(' ')}`);
      // Each node's own reports agree: nothing it appended lies in another epoch's part of the log.
      for (const node of nodes) {
        for (const event of node.events.filter((e) => e.event === 'appended')) {
          assert.equal(tags[Number(event.position) - 1]!.epoch, event.epoch);
        }
      }
    } finally {
      for (const node of nodes) await node.kill();
      await factory.close();
    }
  });
});

function contender(schema: string, node: string): ChildNode {
  const child = ChildNode.start('contender', [POSTGRES_URL, schema, node, '800', '150']);
  children.push(child);
  return child;
}

/** The first of the children whose events satisfy `condition`. */
async function firstOf(
  nodes: readonly ChildNode[],
  what: string,
  condition: (events: NodeEvent[]) => boolean,
): Promise<ChildNode> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const found = nodes.find((node) => condition(node.events));
    if (found) return found;
    for (const node of nodes)
      if (node.exited) throw new Error(`a node exited before ${what}: ${node.errorOutput}`);
    await sleep(20);
  }
  throw new Error(`no ${what} within 60 s`);
}
