import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { LoggedRecord } from '@baton-engine/engine';
import { LeaseKeeper } from './lease-keeper.js';
import type { Lease, PartitionLeases } from './partition-leases.js';
import { LeaseLostError } from './lease-lost-error.js';
import { createPostgresStoreFactory } from './postgres-store.js';
import type { PostgresStoreFactory } from './postgres-store.js';
import { POSTGRES_URL, dropSchemas, freshSchema, requirePostgres } from './test-support/postgres.js';
import { writerOf, writtenBy } from './test-support/records.js';

before(requirePostgres);
after(dropSchemas);

/** A factory on a fresh schema, closed after the body whatever happens. */
async function withFactory(body: (factory: PostgresStoreFactory, schema: string) => Promise<void>) {
  const schema = freshSchema();
  const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
  try {
    await body(factory, schema);
  } finally {
    await factory.close();
  }
}

/** Ends a lease now by the database's clock, as its running out would. */
/** Another node takes the partition as acquire() would once the lease expired: the next epoch, its own expiry. */
async function takeOver(schema: string, partitionId: number, node: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(
      `UPDATE "${schema}".partition_lease
          SET node = $2, epoch = epoch + 1, acquired_at = clock_timestamp(),
              expires_at = clock_timestamp() + interval '60 seconds'
        WHERE partition_id = $1`,
      [partitionId, node],
    );
  } finally {
    await client.end();
  }
}

async function expireLease(schema: string, partitionId: number): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(
      `UPDATE "${schema}".partition_lease SET expires_at = clock_timestamp() WHERE partition_id = $1`,
      [partitionId],
    );
  } finally {
    await client.end();
  }
}

describe('partition leases', () => {
  it('acquires a free partition at epoch 1, and refuses it to another node while held', async () => {
    await withFactory(async ({ leases }) => {
      const a = await leases.acquire(1, 'node-a', 5_000);
      assert.equal(a?.node, 'node-a');
      assert.equal(a?.epoch, 1);
      assert.equal(await leases.acquire(1, 'node-b', 5_000), undefined);
      assert.equal(await leases.acquire(1, 'node-a', 5_000), undefined, 'not even to its own node');
      assert.equal((await leases.acquire(2, 'node-b', 5_000))?.epoch, 1, 'another partition is free');
      const current = await leases.current(1);
      assert.equal(current?.node, 'node-a');
      assert.equal(current?.expired, false);
    });
  });

  it('renews while held, extending the expiry by the database clock', async () => {
    await withFactory(async ({ leases }) => {
      const a = (await leases.acquire(1, 'node-a', 1_000))!;
      const renewed = await leases.renew(a, 60_000);
      assert.ok(renewed && renewed.expiresAt.getTime() > a.expiresAt.getTime());
      assert.equal(renewed.epoch, a.epoch);
    });
  });

  it('an expired lease can be taken by another node, with the next epoch, and no longer renewed', async () => {
    await withFactory(async ({ leases }) => {
      const a = (await leases.acquire(1, 'node-a', 150))!;
      // Waits for the expiry the database reports, however slow this machine is.
      while (!(await leases.current(1))?.expired) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.equal(await leases.renew(a, 5_000), undefined, 'expired is lost, even untaken');
      const b = await leases.acquire(1, 'node-b', 5_000);
      assert.deepEqual([b?.node, b?.epoch], ['node-b', 2]);
      assert.equal(await leases.renew(a, 5_000), undefined);
      assert.equal(await leases.release(a), false, 'a lost lease releases nothing');
      assert.equal((await leases.current(1))?.node, 'node-b');
    });
  });

  it('release lets another node take the partition at once; every acquisition increments the epoch', async () => {
    await withFactory(async ({ leases }) => {
      let lease = (await leases.acquire(1, 'node-a', 60_000))!;
      for (let i = 0; i < 4; i++) {
        assert.equal(await leases.release(lease), true);
        const next = (await leases.acquire(1, i % 2 === 0 ? 'node-b' : 'node-a', 60_000))!;
        assert.equal(next.epoch, lease.epoch + 1);
        lease = next;
      }
      assert.equal(lease.epoch, 5);
    });
  });

  it('refuses bad arguments, naming them', async () => {
    await withFactory(async ({ leases }) => {
      await assert.rejects(leases.acquire(1, '', 1_000), /node must be a non-empty string/);
      await assert.rejects(leases.acquire(1.5, 'a', 1_000), /partitionId must be an integer, got 1.5/);
      await assert.rejects(leases.acquire(1, 'a', 0), /lease duration must be a positive number/);
    });
  });
});

describe('fenced writes', () => {
  it('a store fenced by a lease writes while it is current; after a takeover it writes nothing', async () => {
    await withFactory(async (factory, schema) => {
      const a = (await factory.leases.acquire(1, 'node-a', 60_000))!;
      const storeA = await factory.open(1, { fence: a });
      await storeA.append([writtenBy(1, 1, 'a')]);
      await storeA.saveSnapshot({ position: 1, chunks: ['state of a'] });
      await expireLease(schema, 1);
      const b = (await factory.leases.acquire(1, 'node-b', 60_000))!;
      const storeB = await factory.open(1, { fence: b });

      const refused = await rejection(storeA.append([writtenBy(1, 2, 'a')]));
      assert.ok(refused instanceof LeaseLostError, String(refused));
      assert.match(
        refused.message,
        /node node-a no longer leads it at epoch 1: node node-b leads it at epoch 2/,
      );
      assert.ok(
        (await rejection(storeA.saveSnapshot({ position: 2, chunks: ['stale'] }))) instanceof LeaseLostError,
      );
      assert.ok((await rejection(storeA.compact(1))) instanceof LeaseLostError);

      await storeB.append([writtenBy(1, 2, 'b')]);
      assert.deepEqual((await storeB.read(1, 10)).map(writerOf), ['a', 'b']);
      const snapshot = await storeB.loadSnapshot();
      assert.deepEqual(snapshot && [...snapshot.chunks], ['state of a']);
    });
  });

  it('an expired lease fences writes even when nobody took the partition', async () => {
    await withFactory(async (factory, schema) => {
      const a = (await factory.leases.acquire(1, 'node-a', 60_000))!;
      const store = await factory.open(1, { fence: a });
      await store.append([writtenBy(1, 1, 'a')]);
      await expireLease(schema, 1);
      const refused = await rejection(store.append([writtenBy(1, 2, 'a')]));
      assert.match(String(refused), /LeaseLostError: .* the lease expired; nothing was written/);
      assert.equal(await store.lastPosition(), 1);
    });
  });

  it('two claimants appending in turn: only the current epoch’s batches are in the log', async () => {
    await withFactory(async (factory, schema) => {
      const writers = ['node-a', 'node-b'] as const;
      const stores = [];
      const outcomes: string[] = [];
      // Each round one node takes the partition from the other; both then try to append, each reading the
      // last position just before (so that only the fence can stop the deposed one).
      let lease = (await factory.leases.acquire(1, writers[0], 60_000))!;
      const fences = new Map<string, Lease>([[writers[0], lease]]);
      for (let round = 0; round < 6; round++) {
        for (const writer of writers) {
          const fence = fences.get(writer);
          if (!fence) continue;
          stores.push(await factory.open(1, { fence }));
          const store = stores.at(-1)!;
          try {
            await store.append([writtenBy(1, (await store.lastPosition()) + 1, `${writer}@${fence.epoch}`)]);
            outcomes.push(`${writer}@${fence.epoch} appended`);
          } catch (error) {
            assert.ok(error instanceof LeaseLostError, String(error));
            outcomes.push(`${writer}@${fence.epoch} refused`);
          }
        }
        await expireLease(schema, 1);
        const next = writers[(round + 1) % 2]!;
        lease = (await factory.leases.acquire(1, next, 60_000))!;
        fences.set(next, lease);
      }
      const log = await (await factory.open(1)).read(1, 100);
      // Every record was written by the node leading at that moment, epochs only growing along the log.
      const epochs = log.map((record) => Number(writerOf(record).split('@')[1]));
      assert.deepEqual(
        epochs,
        [...epochs].sort((x, y) => x - y),
      );
      assert.equal(new Set(epochs).size, epochs.length, 'one batch per epoch: the deposed one wrote none');
      assert.ok(outcomes.filter((o) => o.endsWith('refused')).length >= 5, outcomes.join(', '));
      assert.equal(log.length, outcomes.filter((o) => o.endsWith('appended')).length);
    });
  });

  it('two claimants racing: no batch of the deposed one lands after the takeover', async () => {
    await withFactory(async (factory) => {
      const a = (await factory.leases.acquire(1, 'node-a', 400))!;
      const storeA = await factory.open(1, { fence: a });
      const takeover: { position?: number } = {};
      const aAfterTakeover: string[] = [];
      let stop = false;
      // Node a appends as fast as it can, never renewing; node b takes the partition once a's lease runs out.
      const runA = (async () => {
        while (!stop) {
          const startedAfterTakeover = takeover.position !== undefined;
          try {
            await storeA.append([writtenBy(1, (await storeA.lastPosition()) + 1, 'a')]);
            if (startedAfterTakeover) aAfterTakeover.push('appended');
          } catch (error) {
            if (!(error instanceof LeaseLostError) && !/positions must continue/.test(String(error)))
              throw error;
            if (startedAfterTakeover)
              aAfterTakeover.push(error instanceof LeaseLostError ? 'lost' : 'conflict');
            if (error instanceof LeaseLostError && aAfterTakeover.length >= 10) return;
          }
        }
      })();
      let b;
      while (!(b = await factory.leases.acquire(1, 'node-b', 60_000)))
        await new Promise((resolve) => setTimeout(resolve, 20));
      const storeB = await factory.open(1, { fence: b });
      const takenAt = await storeB.lastPosition();
      takeover.position = takenAt;
      for (let i = 0; i < 20; i++)
        await storeB.append([writtenBy(1, (await storeB.lastPosition()) + 1, 'b')]);
      await runA.finally(() => (stop = true));
      stop = true;

      const log: LoggedRecord[] = await storeB.read(1, 10_000);
      assert.ok(takenAt > 0, 'node a appended before the takeover');
      assert.deepEqual(log.slice(0, takenAt).map(writerOf), Array(takenAt).fill('a'));
      assert.deepEqual(log.slice(takenAt).map(writerOf), Array(20).fill('b'));
      assert.ok(!aAfterTakeover.includes('appended'), aAfterTakeover.join(','));
      assert.ok(aAfterTakeover.includes('lost'));
    });
  });
});

describe('lease keeper', () => {
  it('renews about every renewEveryMs, and releases so that another node takes over at once', async () => {
    await withFactory(async (factory) => {
      const keeper = (await LeaseKeeper.acquire({
        leases: factory.leases,
        partitionId: 1,
        node: 'node-a',
        leaseMs: 900,
        renewEveryMs: 100,
      }))!;
      try {
        const first = keeper.current.expiresAt.getTime();
        // Several renewals later the lease is still held, past its first expiry.
        while (keeper.current.expiresAt.getTime() < first + 1_000)
          await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(keeper.lostError, undefined);
        assert.equal((await factory.leases.current(1))?.expired, false);
        assert.equal(await factory.leases.acquire(1, 'node-b', 1_000), undefined);
      } finally {
        await keeper.release();
      }
      assert.equal((await factory.leases.acquire(1, 'node-b', 1_000))?.epoch, 2);
    });
  });

  it('emits lost when a renewal finds the partition taken, and its store then refuses writes', async () => {
    await withFactory(async (factory, schema) => {
      const keeper = (await LeaseKeeper.acquire({
        leases: factory.leases,
        partitionId: 1,
        node: 'node-a',
        leaseMs: 3_000,
        renewEveryMs: 100,
      }))!;
      const lost = new Promise<LeaseLostError>((resolve) => keeper.once('lost', resolve));
      const store = await factory.open(1, { fence: keeper });
      await store.append([writtenBy(1, 1, 'a')]);
      // node-b takes the partition in the statement that ends node-a's lease: expired first and taken by
      // acquire() after, a renewal of node-a could come in between and find the lease merely expired.
      await takeOver(schema, 1, 'node-b');
      assert.equal((await factory.leases.current(1))?.epoch, 2);
      const error = await lost;
      assert.match(
        error.message,
        /node node-a no longer leads it at epoch 1: node node-b took the partition/,
      );
      assert.equal(keeper.lostError, error);
      assert.equal(await rejection(store.append([writtenBy(1, 2, 'a')])), error);
      await keeper.release();
    });
  });

  it('emits lost when a fenced append is refused by the database', async () => {
    await withFactory(async (factory, schema) => {
      const keeper = (await LeaseKeeper.acquire({
        leases: factory.leases,
        partitionId: 1,
        node: 'node-a',
        leaseMs: 60_000,
        renewEveryMs: 20_000,
      }))!;
      const lost: LeaseLostError[] = [];
      keeper.on('lost', (error) => lost.push(error));
      const store = await factory.open(1, { fence: keeper });
      await expireLease(schema, 1);
      await factory.leases.acquire(1, 'node-b', 60_000);
      const refused = await rejection(store.append([writtenBy(1, 1, 'a')]));
      assert.deepEqual(lost, [refused]);
      await keeper.release();
    });
  });

  it('emits lost by its own clock when no renewal gets through before the lease runs out', async () => {
    const leaseMs = 300;
    // A database that granted the lease and then cannot be reached: every renewal fails.
    const unreachable = {
      acquire: async (partitionId: number, node: string) => ({
        partitionId,
        node,
        epoch: 7,
        expiresAt: new Date(),
      }),
      renew: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      release: async () => false,
      current: async () => undefined,
    } as unknown as PartitionLeases;
    const startedAt = performance.now();
    const keeper = (await LeaseKeeper.acquire({ leases: unreachable, partitionId: 1, node: 'a', leaseMs }))!;
    // The keeper's timer does not hold the process open, and nothing else here does.
    const keepAlive = setInterval(() => undefined, 1_000);
    const error = await new Promise<LeaseLostError>((resolve) => keeper.once('lost', resolve)).finally(() =>
      clearInterval(keepAlive),
    );
    assert.ok(performance.now() - startedAt >= leaseMs, 'not before the lease could have run out');
    assert.match(
      error.message,
      /node a no longer leads it at epoch 7: the lease ran out, by this node’s clock/,
    );
    assert.equal(keeper.lostError, error);
    await keeper.release();
  });

  it('a factory with leadership takes each partition it opens, and a second one is refused naming the holder', async () => {
    const schema = freshSchema();
    const options = { connectionString: POSTGRES_URL, schema };
    const one = await createPostgresStoreFactory({ ...options, leadership: { node: 'node-a' } });
    const two = await createPostgresStoreFactory({ ...options, leadership: { node: 'node-b' } });
    try {
      const store = await one.open(1);
      await assert.rejects(
        two.open(1),
        new RegExp(
          `partition 1 in schema ${schema} is led by node node-a \\(epoch 1\\) until .*another engine`,
        ),
      );
      await store.append([writtenBy(1, 1, 'a')]);
      assert.equal(one.leaders.get(1)?.epoch, 1);
      assert.deepEqual(one.health?.(), { healthy: true });
      await store.close();
      const taken = await two.open(1);
      assert.equal(two.leaders.get(1)?.epoch, 2);
      await taken.append([writtenBy(1, 2, 'b')]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('a factory with leadership', () => {
  it('reports a lost lease through health() and refuses the writes of that partition', async () => {
    const schema = freshSchema();
    const factory = await createPostgresStoreFactory({
      connectionString: POSTGRES_URL,
      schema,
      leadership: { node: 'node-a', leaseMs: 3_000, renewEveryMs: 100 },
    });
    try {
      const store = await factory.open(1);
      await store.append([writtenBy(1, 1, 'a')]);
      const lost = new Promise((resolve) => factory.leaders.get(1)!.once('lost', resolve));
      await expireLease(schema, 1);
      await factory.leases.acquire(1, 'node-b', 60_000);
      await lost;
      assert.deepEqual(factory.health?.(), {
        healthy: false,
        detail:
          'partition 1: node node-a no longer leads it at epoch 1: node node-b took the partition at epoch 2',
      });
      await assert.rejects(store.append([writtenBy(1, 2, 'a')]), LeaseLostError);
      assert.equal(await store.lastPosition(), 1);
    } finally {
      await factory.close();
    }
  });
});

describe('cluster membership', () => {
  it('lists the nodes whose heartbeat is recent', async () => {
    await withFactory(async (factory, schema) => {
      const other = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
      try {
        await factory.membership.join('node-a', '10.0.0.1:26500', 50);
        await other.membership.join('node-b', '10.0.0.2:26500', 50);
        assert.deepEqual(
          (await factory.membership.liveNodes(5_000)).map((n) => [n.node, n.address]),
          [
            ['node-a', '10.0.0.1:26500'],
            ['node-b', '10.0.0.2:26500'],
          ],
        );
        // Heartbeats keep a node live past a window shorter than the time it has been up.
        const joined = (await factory.membership.liveNodes(5_000))[0]!.lastSeen.getTime();
        while ((await factory.membership.liveNodes(5_000))[0]!.lastSeen.getTime() <= joined)
          await new Promise((resolve) => setTimeout(resolve, 20));
        await other.membership.leave();
        assert.deepEqual(
          (await factory.membership.liveNodes(5_000)).map((n) => n.node),
          ['node-a'],
        );
        await factory.membership.leave();
        assert.deepEqual(await factory.membership.liveNodes(5_000), []);
      } finally {
        await other.close();
      }
    });
  });

  it('a node whose heartbeats stopped drops out of the live nodes', async () => {
    await withFactory(async (factory, schema) => {
      await factory.membership.join('node-a', 'a:1', 60_000);
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(
          `UPDATE "${schema}".cluster_node SET last_seen = clock_timestamp() - interval '10 seconds'`,
        );
      } finally {
        await client.end();
      }
      assert.deepEqual(await factory.membership.liveNodes(5_000), []);
      assert.equal((await factory.membership.liveNodes(60_000)).length, 1);
    });
  });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}
