import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore, StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from '../engine.js';
import type { BatonError } from '../errors.js';
import { oneTask } from '../test-support/models.js';
import { partitionOf, stateOf } from '../internal.js';

/**
 * A memory store whose appends the test holds and releases (one durable write at a time, as a disk would),
 * or fails.
 */
function controlledFactory() {
  const inner = createMemoryStoreFactory();
  const held: { records: readonly LoggedRecord[]; release: (error?: Error) => void }[] = [];
  let holding = false;
  let chain = Promise.resolve();
  const factory: StoreFactory = {
    description: 'controlled',
    close: () => inner.close(),
    async open(partitionId) {
      const store = await inner.open(partitionId);
      return Object.assign(Object.create(store) as PartitionStore, {
        append(records: readonly LoggedRecord[]) {
          // Appends run in call order, each after the one before it, like the SQLite writer thread.
          const result = chain.then(async () => {
            if (holding) {
              const error = await new Promise<Error | undefined>((release) =>
                held.push({ records, release }),
              );
              if (error) throw error;
            }
            await store.append(records);
          });
          chain = result.catch(() => {});
          return result;
        },
      });
    },
  };
  return {
    factory,
    inner,
    held,
    hold: (on: boolean) => (holding = on),
    waitForHeld: async (count: number) => {
      while (held.length < count) await new Promise((r) => setImmediate(r));
    },
  };
}

async function replayedState(factory: StoreFactory): Promise<string[]> {
  const store = await factory.open(1);
  const state = new EngineState(1);
  const processor = new StreamProcessor(state);
  for (const record of await store.read(1, 1_000_000)) processor.replay(record);
  return state.toSnapshot();
}

describe('pipelined partition', () => {
  it('processes the next batch while one is written, and answers each only once it is durable', async () => {
    const control = controlledFactory();
    const engine = await createEngine({ store: control.factory, snapshotEveryRecords: 1e9 });
    await engine.deploy(oneTask('p', 'work'));
    control.hold(true);
    let answered = 0;
    const first = engine.createInstance('p').then(() => (answered += 1));
    await control.waitForHeld(1);
    // While the first batch is held, the next one is processed and handed to the store.
    const second = engine.createInstance('p').then(() => (answered += 1));
    // Wait until the second command is processed (its job is in the working state), still unanswered.
    const state = stateOf(engine);
    while (state.counts.jobs < 2) await new Promise((r) => setImmediate(r));
    assert.equal(answered, 0, 'nothing answered before its batch is durable');
    control.held.shift()!.release();
    await first;
    await control.waitForHeld(1);
    assert.equal(answered, 1, 'the second waits for its own batch');
    control.hold(false);
    control.held.shift()!.release();
    await second;
    await engine.flush();
    assert.deepEqual(stateOf(engine).toSnapshot(), await replayedState(control.inner));
    await engine.close();
  });

  it('refuses a batch that could not be written and the one processed after it, then goes on from the log', async () => {
    const control = controlledFactory();
    const engine = await createEngine({ store: control.factory, snapshotEveryRecords: 1e9 });
    await engine.deploy(oneTask('p', 'work'));
    const kept = await engine.createInstance('p');
    control.hold(true);
    const lost = engine.createInstance('p');
    await control.waitForHeld(1);
    const afterLost = engine.createInstance('p');
    await control.waitForHeld(1);
    control.held.shift()!.release(new Error('disk full'));
    await assert.rejects(lost, (e: BatonError) => e.code === 'UNAVAILABLE' && /disk full/.test(e.message));
    // The store refuses the next batch by itself (its positions no longer follow the log).
    await control.waitForHeld(1);
    control.hold(false);
    control.held.shift()!.release();
    await assert.rejects(afterLost, (e: BatonError) => e.code === 'UNAVAILABLE');
    const later = await engine.createInstance('p');
    assert.notEqual(later.processInstanceKey, kept.processInstanceKey);
    await engine.flush();
    const state = stateOf(engine);
    assert.equal(state.counts.jobs, 2, 'only the durable instances have jobs');
    assert.deepEqual(state.toSnapshot(), await replayedState(control.inner));
    await engine.close();
  });

  it('refuses a command whose processing throws (a bug) and keeps what the commands before it wrote', async () => {
    const engine = await createEngine({ store: 'memory' });
    await engine.deploy(oneTask('p', 'work'));
    const partition = partitionOf(engine);
    const before = engine.createInstance('p');
    const broken = partition.submit({
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      value: null as never,
    });
    const after = engine.createInstance('p');
    await assert.rejects(broken, (e: BatonError) => e.code === 'PROCESSING_ERROR');
    await before;
    await after;
    assert.equal(partition.engineState.counts.jobs, 2);
    await engine.close();
  });
});
