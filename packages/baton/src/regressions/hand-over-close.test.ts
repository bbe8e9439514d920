import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine.js';
import { keyOnPartitionTwo, plain, startedByMessage } from '../test-support/hand-over-models.js';
import { partitionOf, stateOf } from '../internal.js';

const works = async (engine: Engine) =>
  (await engine.activateJobs({ type: 'work', worker: 't', timeout: 1, maxJobsToActivate: 10 })).length;
/** Waits until partition 1 has taken a hand-over from partition 2 (bounded), then until nothing is queued. */
async function handedOver(engine: Engine): Promise<void> {
  const one = stateOf(engine);
  const end = Date.now() + 10_000;
  while (one.handOverPosition(2) === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  await engine.flush();
}

describe('hand-over during engine.close()', () => {
  it('control: without the second command on partition 2, the restart hands it over', async () => {
    const factory = createMemoryStoreFactory();
    const options = { store: factory, partitions: 2, maxCommandsPerBatch: 1 } as const;
    let engine = await createEngine(options);
    await engine.deploy({ name: 'placed.bpmn', xml: startedByMessage });
    const published = engine.publishMessage('order-placed', keyOnPartitionTwo);
    const closing = engine.close();
    await published;
    await closing;
    engine = await createEngine(options);
    await handedOver(engine);
    const count = await works(engine);
    await engine.close();
    assert.equal(count, 1);
  });

  it('an acknowledged message reaches partition 1 after a restart', async () => {
    const factory = createMemoryStoreFactory();
    const options = { store: factory, partitions: 2, maxCommandsPerBatch: 1 } as const;
    let engine = await createEngine(options);
    await engine.deploy({ name: 'placed.bpmn', xml: startedByMessage });
    await engine.deploy({ name: 'plain.bpmn', xml: plain });
    const two = partitionOf(engine, 2);
    // A message homed on partition 2, then another command on partition 2, then close at once.
    const published = engine.publishMessage('order-placed', keyOnPartitionTwo);
    const other = two
      .submit({
        valueType: 'PROCESS_INSTANCE_CREATION',
        intent: 'CREATE',
        value: {
          bpmnProcessId: 'plain',
          version: -1,
          processDefinitionKey: '-1',
          variables: {},
          processInstanceKey: '-1',
          awaitResult: false,
          fetchVariables: [],
        },
      })
      .catch((e) => e);
    const closing = engine.close();
    const ack = await published.then(
      () => 'acknowledged',
      (e) => `refused: ${e.message}`,
    );
    await other;
    await closing;
    engine = await createEngine(options);
    await handedOver(engine);
    const count = await works(engine);
    await engine.close();
    assert.deepEqual({ ack, count }, { ack: 'acknowledged', count: 1 });
  });
});
