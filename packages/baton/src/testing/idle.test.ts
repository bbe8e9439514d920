import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../engine.js';
import { ControlledClock } from '../runtime/clock.js';
import { registerPartitions } from '../runtime/engine-internals.js';
import type { PartitionRuntime } from '../runtime/partition.js';
import { waitUntilIdle } from './idle.js';

/** Just enough of an engine to drive `waitUntilIdle`: one partition whose next due date is given. */
function fakeEngine(
  clock: ControlledClock,
  nextDue: () => number | undefined,
  flush: () => Promise<void> = async () => undefined,
): Engine {
  const partition = { queuedCommands: 0, engineState: { nextDueDate: nextDue } };
  const engine = { clock, flush } as unknown as Engine;
  registerPartitions(engine, [partition as unknown as PartitionRuntime]);
  return engine;
}

describe('waitUntilIdle', () => {
  it('returns when nothing is queued, due or committed any more', async () => {
    const clock = new ControlledClock();
    let flushes = 0;
    let committed = 0;
    // Each of the first three flushes commits something (a worker answering, say); then all is quiet.
    const engine = fakeEngine(
      clock,
      () => undefined,
      async () => {
        if (flushes++ < 3) committed++;
      },
    );
    await waitUntilIdle(engine, () => committed);
    assert.equal(committed, 3);
    assert.equal(flushes, 4, 'one more round sees nothing new');
  });

  it('reports work that stays due without being processed, instead of waiting forever', async () => {
    const clock = new ControlledClock();
    const engine = fakeEngine(clock, () => clock.now() - 5);
    await assert.rejects(
      waitUntilIdle(engine, () => 0),
      /The engine did not become idle: work due at 2029-12-31T23:59:59.995Z \(clock at 2030-01-01T00:00:00.000Z\) is not processed/,
    );
  });
});
