import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoggedRecord } from '@baton-engine/engine';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from '../engine.js';
import { ControlledClock } from '../runtime/clock.js';
import type { PartitionRuntime } from '../runtime/partition.js';
import { catchEvent, chain, end, model, start } from '../test-support/event-models.js';
import { keyOnPartitionTwo } from '../test-support/hand-over-models.js';
import { partitionOf } from '../internal.js';

const waitsForPaid = model('waiter', [
  start('s'),
  catchEvent('paid', { message: 'paid', key: '=orderId' }),
  end('e'),
  ...chain('s', 'paid', 'e'),
]);

/** Partition 1 swallows hand-overs (the process dies before it takes them). */
function swallow(partition: PartitionRuntime) {
  const submit = partition.submit.bind(partition);
  partition.submit = ((body, key, onCommitted) =>
    (body.value as { handOver?: unknown }).handOver !== undefined
      ? new Promise<LoggedRecord>(() => undefined)
      : submit(body, key, onCommitted)) as PartitionRuntime['submit'];
}

describe('message time to live across a late hand-over', () => {
  it('a message that expired on its home partition does not correlate on partition 1 after a restart', async () => {
    const factory = createMemoryStoreFactory();
    const clock = new ControlledClock();
    const options = { store: factory, partitions: 2, clock } as const;
    let engine = await createEngine(options);
    await engine.deploy({ name: 'waiter.bpmn', xml: waitsForPaid });
    swallow(partitionOf(engine));
    await engine.publishMessage('paid', keyOnPartitionTwo, {}, { timeToLive: 60_000 }); // lives one minute
    await engine.close();

    clock.advance(24 * 3_600_000); // a day later
    engine = await createEngine(options);
    const one = partitionOf(engine);
    // Partition 1 takes the hand-over now (bounded wait on the position it records).
    const end = Date.now() + 10_000;
    while (one.engineState.handOverPosition(2) === 0 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 5));
    assert.ok(one.engineState.handOverPosition(2) > 0, 'partition 1 took the hand-over');
    const records: LoggedRecord[] = [];
    engine.onRecords((batch) => records.push(...batch));
    const created = await one.submit({
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      value: {
        bpmnProcessId: 'waiter',
        version: -1,
        processDefinitionKey: '-1',
        variables: { orderId: keyOnPartitionTwo },
        processInstanceKey: '-1',
        awaitResult: false,
        fetchVariables: [],
      },
    });
    await engine.flush(); // a buffered message would have correlated within the creation's batch
    const buffered = [...one.engineState.waits.messages.values()].map((m) => ({
      deadline: m.value.deadline,
      now: clock.now(),
    }));
    const correlated = records.some(
      (r) => r.valueType === 'MESSAGE_SUBSCRIPTION' && r.intent === 'CORRELATED',
    );
    await engine.close();
    assert.ok(created);
    assert.deepEqual({ correlated, buffered }, { correlated: false, buffered: [] });
  });
});
