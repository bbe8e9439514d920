import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Exporter, ExporterContext, LoggedRecord } from '@baton-engine/baton';
import { ReadModel } from './read-model.js';
import type { ReadModelChange } from './changes.js';
import { BACKENDS } from './test-support/backends.js';

/**
 * The read model on PostgreSQL as a cluster uses it: several nodes' models on one schema, each partition fed
 * by whichever node leads it. A partition's records are applied once and in order whoever applies them, and a
 * deposed leader's late batch neither applies twice nor moves the tables back.
 */
describe('read model on postgres: one set of tables for every node', () => {
  const postgres = BACKENDS.find((b) => b.name === 'postgres')!;
  /** Partition 1's committed log of a small run: 5 instances, 2 of them completed. */
  let log: LoggedRecord[] = [];

  before(async () => {
    const engine = await createEngine({ store: 'memory' });
    const records: LoggedRecord[] = [];
    await engine.addExporter({
      id: 'collect',
      open: () => undefined,
      export: ({ records: batch }) => void records.push(...batch),
      close: () => undefined,
    });
    await engine.deploy(
      createProcess('order').startEvent('s').serviceTask('pay', { type: 'pay' }).endEvent('e').done(),
    );
    for (let i = 0; i < 5; i++) await engine.createInstance('order', { i });
    const jobs = await engine.activateJobs({
      type: 'pay',
      worker: 'w',
      timeout: 60_000,
      maxJobsToActivate: 2,
    });
    for (const job of jobs) await engine.completeJob(job.key, {});
    await engine.flush();
    const deadline = Date.now() + 30_000;
    while (
      !records.some(
        (r) =>
          r.valueType === 'PROCESS_INSTANCE' &&
          r.intent === 'ELEMENT_COMPLETED' &&
          r.value.bpmnElementType === 'PROCESS' &&
          r.key === jobs[1]!.processInstanceKey,
      )
    ) {
      if (Date.now() > deadline) throw new Error('the collecting exporter did not see the run within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await engine.close();
    log = records.filter((r) => r.partitionId === 1);
  });

  const models: ReadModel[] = [];
  after(async () => {
    for (const model of models) await model.close();
  });

  /** A node's model on `tables`, with its exporter opened on partition 1 as the engine opens it. */
  async function node(tables: ReturnType<typeof postgres.tables>) {
    const model = await ReadModel.open(tables);
    models.push(model);
    const acknowledged: number[] = [];
    const context: ExporterContext = {
      partitionId: 1,
      lastExportedPosition: 0,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      updatePosition: (position) => void acknowledged.push(position),
    };
    await model.exporter.open(context);
    const exporter: Exporter = model.exporter;
    return {
      model,
      acknowledged,
      /** Exports the records from position `from` to `to` (inclusive). */
      export: (from: number, to: number) =>
        exporter.export({
          partitionId: 1,
          records: log.filter((r) => r.position >= from && r.position <= to),
        }),
    };
  }

  it('resumes where another node stopped; a deposed leader’s late batch applies nothing twice', async () => {
    const tables = postgres.tables('');
    const end = log[log.length - 1]!.position;
    const half = Math.floor(end / 2);
    const a = await node(tables);
    await a.export(1, half);
    assert.deepEqual(a.acknowledged, [0, half]);

    // The partition moves to b: it starts after what the tables hold, not after what its engine saved.
    const b = await node(tables);
    assert.deepEqual(b.acknowledged, [half]);
    await b.export(half + 1, end);

    // a did not notice it lost the partition: its late batch is skipped whole, and acknowledged.
    await a.export(half + 1, end);
    assert.equal(a.acknowledged.at(-1), end);

    const all = await b.model.searchInstances();
    assert.equal(all.total, 5, 'each instance once');
    assert.equal((await b.model.searchInstances({ state: 'COMPLETED' })).total, 2);
    const dashboard = await a.model.dashboard();
    assert.deepEqual(dashboard.instances, { active: 3, completed: 2, terminated: 0 }, 'counters once');
  });

  it('refuses a batch that would leave a gap after the tables’ position, naming it', async () => {
    const tables = postgres.tables('');
    const a = await node(tables);
    await a.export(1, 5);
    await assert.rejects(
      async () => a.export(8, 10),
      /starts at position 8, but the tables hold the records up to 5/,
    );
    await a.export(6, 10);
    assert.equal(a.acknowledged.at(-1), 10);
  });

  it('applies a batch once when two nodes export it at the same moment', async () => {
    const tables = postgres.tables('');
    const end = log[log.length - 1]!.position;
    const a = await node(tables);
    const b = await node(tables);
    await Promise.all([a.export(1, end), b.export(1, end)]);
    const instances = await a.model.searchInstances();
    assert.equal(instances.total, 5);
    assert.deepEqual((await b.model.dashboard()).instances, { active: 3, completed: 2, terminated: 0 });
    const history = await a.model.instance(String(instances.items[0]!.key));
    assert.equal(new Set(history.elements.map((e) => e.key)).size, history.elements.length);
  });

  it('tells every node what another node applied (LISTEN/NOTIFY), and a node its own changes once', async () => {
    const tables = postgres.tables('');
    const a = await node(tables);
    const b = await node(tables);
    const seenByA: ReadModelChange[] = [];
    const seenByB: ReadModelChange[] = [];
    a.model.onUpdate((change) => seenByA.push(change));
    b.model.onUpdate((change) => seenByB.push(change));
    const end = log[log.length - 1]!.position;
    await a.export(1, end);
    const instances = new Set(
      log.filter((r) => r.valueType === 'PROCESS_INSTANCE').map((r) => r.value.processInstanceKey),
    );
    const deadline = Date.now() + 30_000;
    while (seenByB.length === 0) {
      if (Date.now() > deadline) throw new Error('node b heard of no change within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(seenByA.length, 1, 'its own change, once');
    assert.deepEqual(seenByB, seenByA, 'the other node hears the same change');
    assert.deepEqual(new Set(seenByB[0]!.processInstanceKeys), instances);
    assert.equal(seenByB[0]!.processDefinitions, true);
  });

  it('listens again when its connection is lost', async () => {
    const tables = postgres.tables('');
    const a = await node(tables);
    const b = await node(tables);
    const seenByB: ReadModelChange[] = [];
    b.model.onUpdate((change) => seenByB.push(change));
    const terminated = await postgres.query(
      tables,
      `SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE application_name = 'baton read model ${tables.postgres!.schema}'`,
    );
    assert.equal(terminated.length, 2, 'both models listen');
    // Announced until b hears one: its listening connection is back.
    const deadline = Date.now() + 30_000;
    for (let position = 1; seenByB.length === 0; position++) {
      if (Date.now() > deadline) throw new Error('node b did not listen again within 30 s');
      await a.export(position, position);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(seenByB[0]!.partitionId, 1);
  });
});
