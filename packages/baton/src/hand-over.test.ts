import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedRecord } from '@baton-engine/engine';
import { createEngine } from './engine.js';
import type { Engine } from './engine.js';
import { BatonError } from './errors.js';
import type { PartitionRuntime } from './runtime/partition.js';
import { keyOnPartitionTwo, startedByMessage } from './test-support/hand-over-models.js';
import { partitionOf, stateOf } from './internal.js';

/** Makes partition 1 lose (or swallow) the hand-overs it is sent, until `restore` is called. */
function sabotage(partition: PartitionRuntime, how: 'refuse' | 'swallow', times = Infinity) {
  const submit = partition.submit.bind(partition);
  let left = times;
  partition.submit = ((body, key, onCommitted) => {
    const handOver = (body.value as { handOver?: unknown }).handOver !== undefined;
    if (!handOver || left <= 0) return submit(body, key, onCommitted);
    left -= 1;
    return how === 'refuse'
      ? Promise.reject(new BatonError('RESOURCE_EXHAUSTED', 'partition 1 is full (test)'))
      : new Promise<LoggedRecord>(() => undefined);
  }) as PartitionRuntime['submit'];
}

/** Instances of `placed` on partition 1, each waiting in its job (in the working state, so restarts keep it). */
function instancesStarted(engine: Engine): number {
  return stateOf(engine).counts.jobs;
}

/** Waits until partition 1 has an instance (or `ms` passed), then a little longer for any duplicate. */
async function settledCount(engine: Engine, ms = 5_000): Promise<number> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && instancesStarted(engine) === 0) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  return instancesStarted(engine);
}

describe('hand-over of messages and signals between partitions', () => {
  it('repeats a hand-over the target lost, and the target takes it exactly once', async () => {
    const engine = await createEngine({ store: 'memory', partitions: 2 });
    await engine.deploy({ name: 'placed.bpmn', xml: startedByMessage });
    sabotage(partitionOf(engine), 'refuse', 1);
    const published = await engine.publishMessage('order-placed', keyOnPartitionTwo);
    assert.equal(Number(BigInt(published.key) >> 51n), 2, 'the message lives on partition 2');
    assert.equal(await settledCount(engine), 1, 'started once, by the repeated hand-over');
    await engine.close();
  });

  it('hands over after a restart what a crash kept from the target, and never twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-hand-over-'));
    const path = join(dir, 'baton.db');
    try {
      let engine = await createEngine({ path, partitions: 2 });
      await engine.deploy({ name: 'placed.bpmn', xml: startedByMessage });
      sabotage(partitionOf(engine), 'swallow');
      await engine.publishMessage('order-placed', keyOnPartitionTwo); // acknowledged: durable on partition 2
      await engine.broadcastSignal('ping');
      await engine.close(); // as if the process died before partition 1 got the hand-over
      assert.equal(await countAfterRestart(), 1, 'handed over on start');
      assert.equal(await countAfterRestart(), 1, 'not again on the next start');

      async function countAfterRestart(): Promise<number> {
        engine = await createEngine({ path, partitions: 2 });
        const count = await settledCount(engine);
        await engine.close();
        return count;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
