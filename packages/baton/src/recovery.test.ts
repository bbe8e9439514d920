import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { LoggedRecord } from '@baton-engine/engine';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from './engine.js';
import { activateOne, completed, waitFor } from './test-support/fixture.js';
import { exclusiveChoice, oneTask, parallelForkJoin, threeTasks } from './test-support/models.js';
import { ControlledClock } from './runtime/clock.js';
import { stateOf } from './internal.js';

/** A mixed workload: completions, failures with back-off, incidents, cancellations, parallel joins. */
async function workload(engine: Awaited<ReturnType<typeof createEngine>>, clock: ControlledClock) {
  await engine.deploy([threeTasks(), exclusiveChoice(), parallelForkJoin(), oneTask('p', 'work')]);
  const keys: string[] = [];
  for (let i = 0; i < 20; i++)
    keys.push((await engine.createInstance('three-tasks', { i })).processInstanceKey);
  for (let i = 0; i < 10; i++) await engine.createInstance('choice', { amount: i * 30 });
  for (let i = 0; i < 5; i++) await engine.createInstance('fork-join');
  for (let i = 0; i < 5; i++) await engine.createInstance('p');
  const a = await engine.activateJobs({
    type: 'task-a',
    worker: 'w',
    timeout: 30_000,
    maxJobsToActivate: 15,
  });
  for (const job of a.slice(0, 10)) await engine.completeJob(job.key, { done: 'a' });
  for (const job of a.slice(10, 12)) await engine.failJob(job.key, { retries: 0, errorMessage: 'boom' });
  for (const job of a.slice(12)) await engine.failJob(job.key, { retries: 2, retryBackoff: 5_000 });
  const left = await engine.activateJobs({
    type: 'left',
    worker: 'w',
    timeout: 30_000,
    maxJobsToActivate: 5,
  });
  for (const job of left) await engine.completeJob(job.key);
  await engine.cancelInstance(keys[19]!);
  clock.advance(6_000);
  await engine.flush();
}

async function readLog(
  factory: ReturnType<typeof createMemoryStoreFactory>,
  partitionId: number,
): Promise<LoggedRecord[]> {
  const store = await factory.open(partitionId);
  return store.read(1, 1_000_000);
}

describe('recovery', () => {
  it('replaying the log gives exactly the state that processing produced', async () => {
    const clock = new ControlledClock();
    const factory = createMemoryStoreFactory();
    const engine = await createEngine({ store: factory, clock, snapshotEveryRecords: 1e9 });
    await workload(engine, clock);
    const live = stateOf(engine).toSnapshot();
    const log = await readLog(factory, 1);
    assert.ok(log.length > 500, `a substantial log (${log.length} records)`);
    const replayed = new EngineState(1);
    const processor = new StreamProcessor(replayed);
    for (const record of log) processor.replay(record);
    assert.deepEqual(replayed.toSnapshot(), live);
    await engine.close();
  });

  it('a snapshot plus the log after it restores the same state, after compaction', async () => {
    const clock = new ControlledClock();
    const factory = createMemoryStoreFactory();
    const engine = await createEngine({ store: factory, clock, snapshotEveryRecords: 200 });
    await workload(engine, clock);
    await engine.flush();
    const live = stateOf(engine).toSnapshot();
    const store = await factory.open(1);
    const snapshot = await store.loadSnapshot();
    assert.ok(snapshot && snapshot.position > 0, 'a snapshot was taken');
    const [oldest] = await store.read(1, 1);
    assert.ok(oldest && oldest.position > 1, 'the log before the snapshot was compacted');
    const restored = EngineState.fromSnapshot(1, snapshot.chunks);
    const processor = new StreamProcessor(restored);
    for (const record of await store.read(snapshot.position + 1, 1_000_000)) processor.replay(record);
    assert.deepEqual(restored.toSnapshot(), live);
    await engine.close();
  });

  it('survives a restart on SQLite: waiting jobs and incidents are there, keys are not reused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-recovery-'));
    const path = join(dir, 'engine.db');
    try {
      const clock = new ControlledClock();
      let engine = await createEngine({ path, clock });
      await workload(engine, clock);
      const before = stateOf(engine).toSnapshot();
      const lastKey = stateOf(engine).keys.current;
      await engine.close();

      engine = await createEngine({ path, clock, snapshotEveryRecords: 1e9 });
      const state = stateOf(engine);
      assert.deepEqual(state.toSnapshot(), before);
      assert.equal([...state.openIncidents()].length, 2);
      const job = await activateOne(engine, 'task-b');
      await engine.completeJob(job.key);
      const fresh = await engine.createInstance('p');
      assert.ok(
        Number(BigInt(fresh.processInstanceKey) & ((1n << 51n) - 1n)) > lastKey,
        'keys continue after the old ones',
      );
      const records: LoggedRecord[] = [];
      engine.onRecords((batch) => records.push(...batch));
      for (const type of ['task-b', 'task-c']) engine.createWorker({ type, handler: () => ({}) });
      await waitFor(
        () => completed(records, job.processInstanceKey),
        'the recovered instance to complete',
        5_000,
      );
      await engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
