import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/baton';
import type { ClusterChild } from './test-support/cluster-child.js';
import { sdkClient } from '../test-clients.js';
import type { TestServer } from '../test-server.js';
import { startBaton } from '../test-server.js';
import {
  clusterFixture,
  completedInstances,
  logOf,
  POSTGRES_URL,
  waitForHosted,
} from './test-support/cluster-fixture.js';
import type { BrokerKind } from './test-support/bus-orders.js';
import { busNamespace, busOrderXml, PAID_GROUP, PaymentService, SOURCE } from './test-support/bus-orders.js';

const fixture = clusterFixture();
const dir = mkdtempSync(join(tmpdir(), 'baton-cluster-connectors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Orders created through each node in each round. */
const PER_NODE = 25;
const PUBLISH = 'baton:bus-publish';

/** The partition a key belongs to (its high bits). */
const partitionOf = (key: string) => Number(BigInt(key) >> 51n);

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

async function create(node: ClusterChild, prefix: string): Promise<{ keys: string[]; orders: string[] }> {
  const keys = await node.request<string[]>('create', {
    bpmnProcessId: 'bus-order',
    count: PER_NODE,
    orderPrefix: prefix,
  });
  return { keys, orders: keys.map((_, i) => `${prefix}-${i}`) };
}

describe('connectors in a cluster', { timeout: 300_000 }, () => {
  for (const kind of ['nats', 'amqp'] as BrokerKind[]) {
    it(`${kind}: every node consumes the shared group and publishes for the partitions it leads; a node killed mid-stream loses nothing`, async (t) => {
      const ns = await busNamespace(kind, dir);
      t.after(() => ns.dispose());
      const schema = fixture.freshSchema();
      const n1 = fixture.startNode(schema, 'n1', 3, ns.configFile);
      await waitForHosted(n1, [1, 2, 3]);
      // n2 reaches the broker through a proxy, to be cut off from it without knowing.
      const n2 = fixture.startNode(schema, 'n2', undefined, ns.proxiedConfigFile);
      const n3 = fixture.startNode(schema, 'n3', undefined, ns.configFile);
      await Promise.all([waitForHosted(n1, [1]), waitForHosted(n2, [2]), waitForHosted(n3, [3])]);
      const payments = await PaymentService.start(ns.bus);

      await n1.request('deploy', { xml: busOrderXml });
      // Every node subscribes the model's binding once the deployment reached a partition it leads.
      for (const node of [n1, n2, n3])
        await node.waitFor('the subscription of the model binding', () =>
          node.events.some((e) => e.event === 'inbound: subscribed' && e.group === PAID_GROUP),
        );

      // n2's connection stalls: what n2 publishes or acknowledges never reaches the broker, and n2 does not
      // know. Round 1 goes in through all three nodes, each on the partition it leads; n2 takes the payment
      // requests of its partition for publishing and is killed holding them, with the answers it took from
      // the shared group unacknowledged.
      await n2.waitFor('n2 connected to the bus', async () => {
        const counters = await n2.request<Record<string, number>>('connectors');
        return counters[`baton_connectors_bus_connected{bus="${kind}"}`] === 1;
      });
      await ns.proxy.stall();
      const round1 = await Promise.all([create(n1, 'a1'), create(n2, 'a2'), create(n3, 'a3')]);
      const heldByN2 = new Set<string>();
      await n2.waitFor('n2 taking its requests for publishing', () => {
        for (const e of n2.events)
          if (e.event === 'jobs activated' && e.type === PUBLISH)
            for (const key of e.keys as string[]) heldByN2.add(key);
        return heldByN2.size >= PER_NODE;
      });
      await n2.kill();
      const doneAtKill = payments.done.size;
      // n1 and n3 share the partitions: p1 and p3 on n1, p2 (n2's) on n3.
      await Promise.all([waitForHosted(n1, [1, 3]), waitForHosted(n3, [2])]);
      const round2 = await Promise.all([create(n1, 'b1'), create(n3, 'b3')]);
      const created = [...round1, ...round2];
      const keys = created.flatMap((c) => c.keys);
      const orders = created.flatMap((c) => c.orders);

      await payments.allDone(orders, 120_000);
      let log: LoggedRecord[] = [];
      await n1.waitFor('every instance completed in the log', async () => {
        log = await logOf(schema, 3);
        return new Set(completedInstances(log)).size >= keys.length;
      });

      // Each instance completed once, and took its payment message once.
      assert.deepEqual(completedInstances(log).sort(), [...keys].sort());
      const correlated = log.filter(
        (r) =>
          r.recordType === 'EVENT' && r.valueType === 'MESSAGE_SUBSCRIPTION' && r.intent === 'CORRELATED',
      );
      const correlations = countBy(
        correlated,
        (r) => (r.value as { processInstanceKey: string }).processInstanceKey,
      );
      assert.deepEqual([...correlations.keys()].sort(), [...keys].sort());
      assert.ok(
        [...correlations.values()].every((n) => n === 1),
        'an instance correlated twice',
      );
      // Every bus message was published in the engine once (on its correlation key's partition; the copies
      // handed to the other partitions carry `handOver`), however often the broker delivered it.
      const published = log.filter(
        (r) =>
          r.recordType === 'EVENT' &&
          r.valueType === 'MESSAGE' &&
          r.intent === 'PUBLISHED' &&
          !(r.value as { handOver?: unknown }).handOver,
      );
      const byId = countBy(published, (r) => (r.value as { messageId: string }).messageId);
      assert.deepEqual([...byId.keys()].sort(), orders.map((o) => `paid:${o}`).sort());
      assert.ok(
        [...byId.values()].every((n) => n === 1),
        'a bus message published in the engine twice',
      );

      // Outbound: every order's request went out, under one id however often (at least once), from every
      // partition; a request is published by the node leading its partition.
      assert.deepEqual([...payments.requests.keys()].sort(), [...orders].sort());
      for (const [order, ids] of payments.requests)
        assert.equal(ids.size, 1, `order ${order} was requested under several ids: ${[...ids].join(', ')}`);
      const requestIds = [...payments.requests.values()].flatMap((ids) => [...ids]);
      assert.ok(requestIds.every((id) => id.startsWith(`${SOURCE}:`)));
      assert.deepEqual(
        [...new Set(requestIds.map((id) => partitionOf(id.slice(SOURCE.length + 1))))].sort(),
        [1, 2, 3],
      );
      const leaders: Record<number, string[]> = { 1: ['n1'], 2: ['n2', 'n3'], 3: ['n3', 'n1'] };
      const activations = log.filter(
        (r) =>
          r.recordType === 'EVENT' &&
          r.valueType === 'JOB_BATCH' &&
          r.value.type === PUBLISH &&
          r.value.jobs.length > 0,
      );
      for (const batch of activations) {
        const worker = (batch.value as { worker: string }).worker;
        assert.ok(
          leaders[batch.partitionId]!.some((n) => worker === `baton-connectors@${n}`),
          `partition ${batch.partitionId}'s outbound jobs taken by ${worker}`,
        );
      }
      // Both survivors published for the partitions they lead, and took bus messages from the shared group.
      const counters = async (node: ClusterChild) => {
        const snapshot = await node.request<Record<string, number>>('connectors');
        const sum = (name: string) =>
          Object.entries(snapshot)
            .filter(([metric]) => metric.startsWith(name))
            .reduce((n, [, value]) => n + value, 0);
        return {
          published: sum('baton_connectors_outbound_published_total'),
          committed: sum('baton_connectors_inbound_committed_total'),
          duplicates: sum('baton_connectors_inbound_duplicates_total'),
        };
      };
      const survivors = { n1: await counters(n1), n3: await counters(n3) };
      for (const [name, c] of Object.entries(survivors)) {
        assert.ok(c.published > 0, `${name} published nothing`);
        assert.ok(c.committed > 0, `${name} took no bus message`);
      }
      // The requests n2 was holding when it died timed out and were taken, and published, by partition 2's
      // new leader (no other node's could: only the leader takes them).
      const timedOut = new Set(
        log
          .filter((r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'TIMED_OUT')
          .map((r) => r.key),
      );
      const takenByN3 = new Set(
        activations
          .filter((b) => (b.value as { worker: string }).worker === 'baton-connectors@n3')
          .flatMap((b) => (b.value as { jobs: { key: string }[] }).jobs.map((j) => j.key)),
      );
      for (const key of heldByN2) {
        assert.equal(partitionOf(key), 2);
        assert.ok(timedOut.has(key), `job ${key}, held by n2 when it died, did not time out`);
        assert.ok(takenByN3.has(key), `job ${key}, held by n2 when it died, was not taken by n3`);
      }
      const doneDeliveries = [...payments.done.values()].reduce((a, b) => a + b, 0);
      t.diagnostic(
        `${kind}: ${orders.length} orders (${doneAtKill} done when n2 was killed, ${heldByN2.size} requests ` +
          `held by n2 published by n3); payment requests delivered ` +
          `${payments.requestDeliveries} times for ${orders.length} (duplicates by id: ` +
          `${payments.requestDeliveries - orders.length}); done announcements ${doneDeliveries}; ` +
          `survivors (published, committed, duplicates): ${JSON.stringify(survivors)}`,
      );
    });
  }
});

describe('baton start --cluster … --connectors', { timeout: 180_000 }, () => {
  const servers: TestServer[] = [];
  after(() => {
    for (const server of servers) server.process.kill('SIGKILL');
  });

  it('runs the connectors on every node: orders created through both nodes go round the bus and end', async (t) => {
    const ns = await busNamespace('nats', dir);
    t.after(() => ns.dispose());
    const cluster = `${POSTGRES_URL}?schema=${fixture.freshSchema()}`;
    const node = async (id: string, ...more: string[]) => {
      const server = await startBaton(
        [
          ...['--insecure-no-auth', '--cluster', cluster, '--node-id', id, '--cluster-port', '0'],
          ...['--connectors', ns.configFile, '--log-format', 'json', ...more],
        ],
        { db: join(dir, `${id}.db`) },
      );
      servers.push(server);
      return server;
    };
    const n1 = await node('n1', '--partitions', '2');
    const n2 = await node('n2');
    const lines = (server: TestServer) =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const until = async (what: string, condition: () => boolean, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // Each node leads one partition once n2 took its share.
    await until('n2 leading a partition', () =>
      lines(n2).some((l) => l.msg === 'became leader of partition'),
    );
    const payments = await PaymentService.start(ns.bus);
    const zeebe1 = sdkClient(n1.port);
    const zeebe2 = sdkClient(n2.port);
    try {
      await zeebe1.deployResource({ process: Buffer.from(busOrderXml), name: 'bus-order.bpmn' });
      for (const server of [n1, n2]) {
        assert.ok(lines(server).some((l) => l.msg === 'event-bus connectors started'));
        await until('the subscription of the model binding', () =>
          lines(server).some((l) => l.msg === 'inbound: subscribed' && l.group === PAID_GROUP),
        );
      }
      const orders: string[] = [];
      for (let i = 0; i < 10; i++) {
        for (const [name, zeebe] of [
          ['n1', zeebe1],
          ['n2', zeebe2],
        ] as const) {
          const orderId = `${name}-${i}`;
          await zeebe.createProcessInstance({ bpmnProcessId: 'bus-order', variables: { orderId } });
          orders.push(orderId);
        }
      }
      await payments.allDone(orders, 60_000);
      const ids = [...payments.requests.values()].flatMap((set) => [...set]);
      assert.deepEqual(
        [...new Set(ids.map((id) => partitionOf(id.slice(SOURCE.length + 1))))].sort(),
        [1, 2],
      );
    } finally {
      await zeebe1.close();
      await zeebe2.close();
    }
    assert.equal(await n2.stop(), 0);
    assert.equal(await n1.stop(), 0);
  });
});
