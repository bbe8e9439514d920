import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore, StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine.js';
import { keyOnPartitionTwo, plain, startedByMessage } from '../test-support/hand-over-models.js';
import { partitionOf, stateOf } from '../internal.js';

/** Memory stores; partition 1 fails one append that carries a handed-over message (a disk hiccup). */
function flakyFactory(): { factory: StoreFactory; failures: () => number } {
  const inner = createMemoryStoreFactory();
  let failOnce = true;
  let failures = 0;
  return {
    failures: () => failures,
    factory: {
      description: 'flaky-memory',
      close: () => inner.close(),
      async open(id: number): Promise<PartitionStore> {
        const store = await inner.open(id);
        return new Proxy(store, {
          get(target, prop, receiver) {
            if (prop === 'append' && id === 1)
              return async (records: readonly LoggedRecord[]) => {
                const handOver = records.some(
                  (r) =>
                    r.valueType === 'MESSAGE' &&
                    r.recordType === 'EVENT' &&
                    (r.value as { handOver?: unknown }).handOver,
                );
                if (handOver && failOnce) {
                  failOnce = false;
                  failures += 1;
                  throw new Error('disk I/O error (test)');
                }
                return target.append(records);
              };
            const v = Reflect.get(target, prop, receiver);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        });
      },
    },
  };
}

const jobsOnOne = async (engine: Engine) =>
  (await engine.activateJobs({ type: 'work', worker: 't', timeout: 1, maxJobsToActivate: 10 })).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hand-over lost on a transient append failure of the target', () => {
  it('is repeated (the target must start the instance once)', async () => {
    const { factory, failures } = flakyFactory();
    let engine = await createEngine({ store: factory, partitions: 2 });
    await engine.deploy({ name: 'placed.bpmn', xml: startedByMessage });
    await engine.deploy({ name: 'plain.bpmn', xml: plain });
    await engine.publishMessage('order-placed', keyOnPartitionTwo); // acknowledged: durable on partition 2
    // The link repeats the hand-over (RESYNC_MS) until partition 1 takes it.
    const taken = Date.now() + 10_000;
    while (stateOf(engine).handOverPosition(2) === 0 && Date.now() < taken) await sleep(5);
    await engine.flush();
    assert.equal(failures(), 1, 'the target failed to write the hand-over once');
    const liveCount = await jobsOnOne(engine);

    // Anything else committed on the source lets the link believe everything was handed over …
    // (not a message or signal: an instance started on partition 2)
    for (let i = 0; i < 2; i++) await engine.createInstance('plain');
    await sleep(100);
    const source = partitionOf(engine, 2);
    // … so a snapshot compacts the source log past the message the target never took.
    await source.takeSnapshot();
    await sleep(100);
    await engine.close();
    engine = await createEngine({ store: factory, partitions: 2 });
    // A window for a wrong second hand-over after the restart (nothing to wait for when all is well).
    await sleep(1_000);
    const afterRestart = await jobsOnOne(engine);
    await engine.close();
    assert.deepEqual({ liveCount, afterRestart }, { liveCount: 1, afterRestart: 1 });
  });
});
