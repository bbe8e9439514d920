import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore, Snapshot, StoreFactory } from './partition-store.js';

/** A fresh, empty store location, and a way to open it again as a restarted process would. */
export interface ContractSubject {
  readonly factory: StoreFactory;
  /** Opens a new factory on the same location as `factory`; called only after that factory is closed. */
  readonly reopen: () => Promise<StoreFactory>;
}

/**
 * Registers, with `node:test`, the cases every `PartitionStore` implementation must pass (the contract
 * written on `PartitionStore`). Call it at the top level of the implementation's test file.
 *
 * `makeFactory` is called once per case and must return an empty location; the suite closes every store and
 * factory it opened, while removing the location (a temporary file …) is the caller's job.
 */
export function runPartitionStoreContract(name: string, makeFactory: () => Promise<ContractSubject>): void {
  describe(`PartitionStore contract: ${name}`, () => {
    const scenario = (title: string, body: (harness: Harness) => Promise<void>): void => {
      it(title, async () => {
        const harness = new Harness(await makeFactory());
        try {
          await body(harness);
        } finally {
          await harness.dispose();
        }
      });
    };

    scenario('an empty partition has lastPosition 0, no records and no snapshot', async (h) => {
      const store = await h.open(1);
      assert.equal(store.partitionId, 1);
      assert.equal(await store.lastPosition(), 0);
      assert.deepEqual(await store.read(1, 100), []);
      assert.equal(await loaded(store), undefined);
    });

    scenario('appends batches and reads them back in position order', async (h) => {
      const store = await h.open(1);
      await store.append(records(1, 1, 3));
      await store.append(records(1, 4, 3));
      assert.equal(await store.lastPosition(), 6);
      assert.deepEqual(await store.read(1, 100), records(1, 1, 6));
    });

    scenario('read returns at most limit records', async (h) => {
      const store = await h.open(1);
      await store.append(records(1, 1, 5));
      assert.deepEqual(await store.read(1, 2), records(1, 1, 2));
      assert.deepEqual(await store.read(1, 0), []);
    });

    scenario('read starts at the given position', async (h) => {
      const store = await h.open(1);
      await store.append(records(1, 1, 6));
      assert.deepEqual(await store.read(4, 2), records(1, 4, 2));
      assert.deepEqual(await store.read(4, 100), records(1, 4, 3));
      assert.deepEqual(await store.read(0, 100), records(1, 1, 6));
      assert.deepEqual(await store.read(7, 100), []);
    });

    scenario('an empty batch changes nothing', async (h) => {
      const store = await h.open(1);
      await store.append([]);
      assert.equal(await store.lastPosition(), 0);
      await store.append(records(1, 1, 2));
      await store.append([]);
      assert.equal(await store.lastPosition(), 2);
    });

    const refusals: [string, number[]][] = [
      ['leaves a gap', [5, 6]],
      ['overlaps the log', [3, 4]],
      ['restarts at position 1', [1, 2]],
      ['is out of order inside the batch', [4, 6, 5]],
      ['repeats a position inside the batch', [4, 4]],
    ];
    for (const [problem, positions] of refusals) {
      scenario(`refuses, writing nothing, a batch that ${problem}`, async (h) => {
        const store = await h.open(1);
        await store.append(records(1, 1, 3));
        await assert.rejects(store.append(positions.map((p) => record(1, p))), Error);
        assert.equal(await store.lastPosition(), 3);
        assert.deepEqual(await store.read(1, 100), records(1, 1, 3));
        await store.append(records(1, 4, 1));
        assert.deepEqual(await store.read(1, 100), records(1, 1, 4));
      });
    }

    scenario('refuses a first batch that does not start at position 1', async (h) => {
      const store = await h.open(1);
      await assert.rejects(store.append(records(1, 2, 2)), Error);
      assert.equal(await store.lastPosition(), 0);
      assert.deepEqual(await store.read(1, 100), []);
    });

    scenario('refuses, writing nothing, a batch holding a record of another partition', async (h) => {
      const one = await h.open(1);
      const two = await h.open(2);
      await one.append(records(1, 1, 3));
      await assert.rejects(one.append([record(1, 4), record(2, 5)]), Error);
      await assert.rejects(one.append([record(2, 4)]), Error);
      assert.equal(await one.lastPosition(), 3);
      assert.deepEqual(await one.read(1, 100), records(1, 1, 3));
      assert.equal(await two.lastPosition(), 0);
      assert.deepEqual(await two.read(1, 100), []);
    });

    scenario('keeps records and snapshot across close and reopen', async (h) => {
      const store = await h.open(1);
      await store.append(records(1, 1, 3));
      await store.append(records(1, 4, 2));
      await store.saveSnapshot({ position: 4, chunks: ['{"state":"at 4"}'] });
      await h.restart();
      const reopened = await h.open(1);
      assert.equal(await reopened.lastPosition(), 5);
      assert.deepEqual(await reopened.read(1, 100), records(1, 1, 5));
      assert.deepEqual(await loaded(reopened), { position: 4, chunks: ['{"state":"at 4"}'] });
      await reopened.append(records(1, 6, 1));
      assert.equal(await reopened.lastPosition(), 6);
    });

    scenario('a saved snapshot replaces the previous one', async (h) => {
      const store = await h.open(1);
      await store.saveSnapshot({ position: 10, chunks: ['first', 'of', 'three'] });
      assert.deepEqual(await loaded(store), { position: 10, chunks: ['first', 'of', 'three'] });
      await store.saveSnapshot({ position: 20, chunks: ['second ✓'] });
      assert.deepEqual(await loaded(store), { position: 20, chunks: ['second ✓'] });
      await h.restart();
      assert.deepEqual(await loaded(await h.open(1)), { position: 20, chunks: ['second ✓'] });
    });

    scenario('saves a snapshot whose chunks are produced one by one', async (h) => {
      const store = await h.open(1);
      const big = 'x'.repeat(300_000);
      function* produce() {
        for (let i = 0; i < 120; i++) yield `${i}:${i % 10 === 0 ? big : 'small'}`;
      }
      await store.saveSnapshot({ position: 7, chunks: produce() });
      const expected = [...produce()];
      assert.deepEqual(await loaded(store), { position: 7, chunks: expected });
      await h.restart();
      assert.deepEqual(await loaded(await h.open(1)), { position: 7, chunks: expected });
    });

    scenario('keeps the previous snapshot when producing the next one fails part way', async (h) => {
      const store = await h.open(1);
      await store.saveSnapshot({ position: 10, chunks: ['kept', 'whole'] });
      function* failing() {
        for (let i = 0; i < 60; i++) yield 'y'.repeat(500_000);
        throw new Error('state serialization failed');
      }
      await assert.rejects(store.saveSnapshot({ position: 20, chunks: failing() }), /serialization failed/);
      const notText = ['fine', 42] as unknown as string[];
      await assert.rejects(store.saveSnapshot({ position: 30, chunks: notText }), /chunk 1 is number/);
      assert.deepEqual(await loaded(store), { position: 10, chunks: ['kept', 'whole'] });
      await h.restart();
      const reopened = await h.open(1);
      assert.deepEqual(await loaded(reopened), { position: 10, chunks: ['kept', 'whole'] });
      await reopened.saveSnapshot({ position: 40, chunks: ['next'] });
      assert.deepEqual(await loaded(reopened), { position: 40, chunks: ['next'] });
    });

    scenario('compact deletes records up to the position and keeps lastPosition', async (h) => {
      const store = await h.open(1);
      await store.append(records(1, 1, 10));
      await store.compact(4);
      assert.equal(await store.lastPosition(), 10);
      assert.deepEqual(await store.read(1, 100), records(1, 5, 6));
      assert.deepEqual(await store.read(3, 2), records(1, 5, 2));
      await store.compact(2);
      assert.deepEqual(await store.read(1, 100), records(1, 5, 6));
      await store.append(records(1, 11, 1));
      await h.restart();
      const reopened = await h.open(1);
      assert.equal(await reopened.lastPosition(), 11);
      assert.deepEqual(await reopened.read(1, 100), records(1, 5, 7));
    });

    scenario('compact past the last position empties the log and keeps lastPosition', async (h) => {
      const store = await h.open(1);
      await store.append(records(1, 1, 10));
      await store.compact(100);
      assert.deepEqual(await store.read(1, 100), []);
      assert.equal(await store.lastPosition(), 10);
      await h.restart();
      const reopened = await h.open(1);
      assert.equal(await reopened.lastPosition(), 10);
      await assert.rejects(reopened.append(records(1, 1, 1)), Error);
      await reopened.append(records(1, 11, 1));
      assert.deepEqual(await reopened.read(1, 100), records(1, 11, 1));
    });

    scenario(
      'saves exporter positions per partition, replacing them, across compaction and reopen',
      async (h) => {
        const one = await h.open(1);
        const two = await h.open(2);
        assert.deepEqual(await one.exporterPositions(), new Map());
        await one.append(records(1, 1, 10));
        await one.saveExporterPosition('read-model', 4);
        await one.saveExporterPosition('bus', 10);
        await one.saveExporterPosition('read-model', 7);
        await two.saveExporterPosition('read-model', 0);
        await one.compact(7);
        assert.deepEqual(
          await one.exporterPositions(),
          new Map([
            ['read-model', 7],
            ['bus', 10],
          ]),
        );
        assert.deepEqual(await two.exporterPositions(), new Map([['read-model', 0]]));
        assert.equal(await one.lastPosition(), 10);
        assert.deepEqual(await one.read(1, 100), records(1, 8, 3));
        await h.restart();
        const reopened = await h.open(1);
        assert.deepEqual(
          await reopened.exporterPositions(),
          new Map([
            ['read-model', 7],
            ['bus', 10],
          ]),
        );
        // A position may go down: an exporter rebuilt from scratch starts over.
        await reopened.saveExporterPosition('bus', 2);
        assert.equal((await reopened.exporterPositions()).get('bus'), 2);
        assert.deepEqual(await (await h.open(2)).exporterPositions(), new Map([['read-model', 0]]));
      },
    );

    scenario('refuses an exporter position without an id or with a position that is none', async (h) => {
      const store = await h.open(1);
      await assert.rejects(store.saveExporterPosition('', 1), /exporterId/);
      for (const bad of [-1, 1.5, Number.NaN]) {
        await assert.rejects(
          store.saveExporterPosition('read-model', bad),
          /position of exporter 'read-model'/,
        );
      }
      assert.deepEqual(await store.exporterPositions(), new Map());
    });

    scenario('partitions of one factory are independent', async (h) => {
      const one = await h.open(1);
      const two = await h.open(2);
      await one.append(records(1, 1, 3));
      await two.append(records(2, 1, 5));
      await one.saveSnapshot({ position: 3, chunks: ['one'] });
      await two.compact(2);
      assert.equal(await one.lastPosition(), 3);
      assert.equal(await two.lastPosition(), 5);
      assert.deepEqual(await one.read(1, 100), records(1, 1, 3));
      assert.deepEqual(await two.read(1, 100), records(2, 3, 3));
      assert.deepEqual(await loaded(one), { position: 3, chunks: ['one'] });
      assert.equal(await loaded(two), undefined);
      assert.equal(await (await h.open(3)).lastPosition(), 0);
    });

    scenario('a batch of 5,000 records round-trips', async (h) => {
      const store = await h.open(1);
      const batch = records(1, 1, 5_000);
      await store.append(batch);
      assert.equal(await store.lastPosition(), 5_000);
      assert.deepEqual(await store.read(1, 10_000), batch);
    });

    scenario('20,000 records appended in batches of 100 read back in pages', async (h) => {
      const store = await h.open(1);
      const all = records(1, 1, 20_000);
      for (let i = 0; i < all.length; i += 100) await store.append(all.slice(i, i + 100));
      assert.equal(await store.lastPosition(), 20_000);
      const read: LoggedRecord[] = [];
      for (
        let page = await store.read(1, 1_000);
        page.length > 0;
        page = await store.read(read.length + 1, 1_000)
      ) {
        read.push(...page);
      }
      assert.deepEqual(read, all);
    });

    scenario('unicode and nested values round-trip exactly', async (h) => {
      const store = await h.open(1);
      const written = [record(1, 1, awkwardValue), rejection(1, 2)];
      await store.append(written);
      assert.deepEqual(await store.read(1, 10), written);
      await h.restart();
      assert.deepEqual(await (await h.open(1)).read(1, 10), written);
    });
  });
}

/** Opens stores for one case and closes all of them, whatever the case did. */
class Harness {
  factory: StoreFactory;
  private readonly reopen: () => Promise<StoreFactory>;
  private readonly stores: PartitionStore[] = [];

  constructor(subject: ContractSubject) {
    this.factory = subject.factory;
    this.reopen = subject.reopen;
  }

  async open(partitionId: number): Promise<PartitionStore> {
    const store = await this.factory.open(partitionId);
    this.stores.push(store);
    return store;
  }

  /** Closes every store and the factory, then opens the location again, as a restarted process would. */
  async restart(): Promise<void> {
    await this.closeAll();
    this.factory = await this.reopen();
  }

  async dispose(): Promise<void> {
    await this.closeAll();
  }

  private async closeAll(): Promise<void> {
    for (const store of this.stores.splice(0)) await store.close();
    await this.factory.close();
  }
}

/** The latest snapshot with its chunks read (a store may hand them out one at a time). */
async function loaded(store: PartitionStore): Promise<{ position: number; chunks: string[] } | undefined> {
  const snapshot: Snapshot | undefined = await store.loadSnapshot();
  return snapshot && { position: snapshot.position, chunks: [...snapshot.chunks] };
}

const awkwardValue = {
  text: 'Grüße, 世界 👩‍👩‍👧 e\u0301 "quoted" \\ back\nslash\ttab \u2028 \u0000 lone \ud83d surrogate',
  '键 with spaces': ['ü', { ß: null }],
  numbers: [0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
  flags: [true, false, null],
  deep: { a: { b: { c: { d: [[[]], {}, ''] } } } },
  big: 'x'.repeat(256 * 1024),
};

function record(partitionId: number, position: number, value: unknown = position): LoggedRecord {
  return {
    partitionId,
    position,
    key: String(2 ** 51 * partitionId + position),
    recordType: 'EVENT',
    sourcePosition: position - 1,
    timestamp: 1_700_000_000_000 + position,
    valueType: 'VARIABLE',
    intent: 'CREATED',
    value: {
      name: `v${position}`,
      value,
      scopeKey: '2251799813685249',
      processInstanceKey: '2251799813685249',
      processDefinitionKey: '2251799813685248',
      bpmnProcessId: 'order-fulfilment',
    },
  };
}

function rejection(partitionId: number, position: number): LoggedRecord {
  return {
    ...record(partitionId, position),
    key: '-1',
    recordType: 'COMMAND_REJECTION',
    valueType: 'VARIABLE_DOCUMENT',
    intent: 'UPDATE',
    value: { scopeKey: '42', updateSemantics: 'LOCAL', variables: { naïve: { ключ: ['значение', 1] } } },
    rejectionType: 'NOT_FOUND',
    rejectionReason:
      "Expected to update variables for element with key '42', but no such element was found ⚠️",
  };
}

function records(partitionId: number, from: number, count: number): LoggedRecord[] {
  return Array.from({ length: count }, (_, i) => record(partitionId, from + i));
}
