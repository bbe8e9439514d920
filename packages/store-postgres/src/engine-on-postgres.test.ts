import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { createPostgresStoreFactory } from './postgres-store.js';
import { POSTGRES_URL, dropSchemas, freshSchema, requirePostgres } from './test-support/postgres.js';

before(requirePostgres);
after(dropSchemas);

const order = createProcess('pg-order')
  .startEvent('received')
  .serviceTask('charge', { type: 'pg-charge' })
  .serviceTask('ship', { type: 'pg-ship' })
  .endEvent('shipped')
  .done();

describe('an engine on the PostgreSQL store', () => {
  it('runs a process to completion, and after a close and reopen goes on where it stopped', async () => {
    const schema = freshSchema();
    const open = async () =>
      createEngine({
        store: await createPostgresStoreFactory({
          connectionString: POSTGRES_URL,
          schema,
          leadership: { node: 'engine-test' },
        }),
        partitions: 2,
        snapshotEveryRecords: 50,
      });
    let engine: Engine = await open();
    try {
      assert.match(engine.storage, new RegExp(`^postgres:127\\.0\\.0\\.1:5432/postgres/${schema}$`));
      await engine.deploy(order);
      // One instance run to its end by hand (no worker yet: a worker would also take the jobs left below).
      const ended = new Set<string>();
      engine.onRecords((records) => {
        for (const r of records)
          if (
            r.valueType === 'PROCESS_INSTANCE' &&
            r.intent === 'ELEMENT_COMPLETED' &&
            r.value.bpmnElementType === 'PROCESS'
          )
            ended.add(r.key);
      });
      const first = await engine.createInstance('pg-order', { amount: 42 });
      for (const type of ['pg-charge', 'pg-ship']) {
        const [job] = await engine.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1 });
        assert.equal(job?.processInstanceKey, first.processInstanceKey);
        await engine.completeJob(job.key, { [type]: 'done' });
      }
      await engine.flush();
      assert.deepEqual([...ended], [first.processInstanceKey]);

      // Instances left waiting at the first task, some of them charged, then the engine closes.
      const waiting = [];
      for (let i = 0; i < 12; i++)
        waiting.push((await engine.createInstance('pg-order', { amount: i })).processInstanceKey);
      const jobs = await engine.activateJobs({
        type: 'pg-charge',
        worker: 'w',
        timeout: 60_000,
        maxJobsToActivate: 4,
      });
      for (const job of jobs) await engine.completeJob(job.key, { charged: true });
      await engine.close();

      engine = await open();
      assert.equal(engine.health().healthy, true, JSON.stringify(engine.health()));
      const finished = new Set<string>();
      engine.createWorker({ type: 'pg-charge', handler: () => ({ charged: true }) });
      engine.createWorker({
        type: 'pg-ship',
        handler: (job) => {
          finished.add(job.processInstanceKey);
          return { shipped: true };
        },
      });
      // Every instance that waited before the restart reaches its end after it.
      for (const deadline = Date.now() + 60_000; finished.size < waiting.length;) {
        assert.ok(
          Date.now() < deadline,
          `${finished.size} of ${waiting.length} ended: ${JSON.stringify(engine.health())}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual([...finished].sort(), [...waiting].sort());
      const again = await engine.createInstanceWithResult('pg-order', { amount: 7 });
      assert.equal(again.variables.shipped, true);
    } finally {
      await engine.close();
    }
  });
});
