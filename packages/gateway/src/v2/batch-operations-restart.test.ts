import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine, LoggedRecord } from '@baton-engine/baton';
import { ReadModel } from '@baton-engine/read-model';
import { readModelItemSource } from './batch-item-source.js';
import { batchEnded } from './batch-test-support.js';

const INSTANCES = 40;

/** Every committed record of an engine, from now on. */
function recording(engine: Engine): LoggedRecord[] {
  const records: LoggedRecord[] = [];
  engine.onRecords((batch) => records.push(...batch));
  return records;
}

describe('a batch operation across a restart', () => {
  it('goes on from the log after the engine is closed mid-way: it completes and no item is acted on twice', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-batch-restart-'));
    const open = async () => {
      const engine = await createEngine({ store: 'sqlite', path: join(dir, 'baton.db') });
      const readModel = await ReadModel.attach(engine, { path: join(dir, 'read-model.db') });
      return { engine, readModel };
    };

    const first = await open();
    let closing: Promise<void> | undefined;
    t.after(async () => {
      await closing;
      await first.engine.close();
      first.readModel.close();
    });
    await first.engine.deploy(createProcess('restart').startEvent().userTask('wait').endEvent().done());
    for (let i = 0; i < INSTANCES; i++) await first.engine.createInstance('restart');
    await first.engine.flush();
    const before = recording(first.engine);
    // Closed as soon as the first outcomes are recorded: the next window is on its way.
    first.engine.onRecords((records) => {
      if (
        !closing &&
        records.some((r) => r.valueType === 'BATCH_OPERATION' && r.intent === 'OUTCOMES_RECORDED')
      )
        closing = first.engine.close();
    });
    first.engine.runBatchOperations(readModelItemSource(first.readModel));
    const { batchOperationKey } = await first.engine.createBatchOperation({
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      filter: { processDefinitionId: 'restart' },
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the engine was not closed mid-batch')), 20_000);
      const check = setInterval(() => {
        if (!closing) return;
        clearInterval(check);
        clearTimeout(timer);
        closing.then(resolve, reject);
      }, 5);
    });
    first.readModel.close();
    const halfway = first.engine.batchOperation(batchOperationKey)!;
    assert.equal(halfway.state, 'ACTIVE');
    assert.equal(halfway.items.size, INSTANCES);
    assert.ok(halfway.pending > 0 && halfway.pending < INSTANCES, `pending ${halfway.pending}`);

    const second = await open();
    t.after(async () => {
      await second.engine.close();
      second.readModel.close();
    });
    // Registered last, so run last: the files go once both engines are closed.
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const after = recording(second.engine);
    second.engine.runBatchOperations(readModelItemSource(second.readModel));
    await batchEnded(second.engine, batchOperationKey);
    const done = second.engine.batchOperation(batchOperationKey)!;
    assert.equal(done.state, 'COMPLETED');
    assert.deepEqual([done.completed, done.failed, done.items.size], [INSTANCES, 0, INSTANCES]);

    const all = [...before, ...after];
    const executed = all
      .filter(
        (r) => r.valueType === 'BATCH_OPERATION' && r.recordType === 'EVENT' && r.intent === 'EXECUTING',
      )
      .flatMap((r) => (r.value as { itemKeys: string[] }).itemKeys);
    assert.equal(
      new Set(executed).size,
      executed.length,
      'no item is sent again once EXECUTING was recorded',
    );
    assert.equal(executed.length, INSTANCES);
    const terminated = all.filter(
      (r) =>
        r.valueType === 'PROCESS_INSTANCE' &&
        r.recordType === 'EVENT' &&
        r.intent === 'ELEMENT_TERMINATED' &&
        (r.value as { bpmnElementType: string }).bpmnElementType === 'PROCESS',
    );
    assert.equal(terminated.length, INSTANCES);
    assert.equal(new Set(terminated.map((r) => r.key)).size, INSTANCES, 'each instance cancelled once');
  });
});
