import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatonError, ExportBatch } from '@baton-engine/baton';
import { createEngine, createProcess } from '@baton-engine/baton';
import { READ_MODEL_EXPORTER_ID, ReadModel } from './read-model.js';
import { createSqliteStoreFactory } from '@baton-engine/store-sqlite';
import { BACKENDS } from './test-support/backends.js';
import { settle, until } from './test-support/settle.js';

const order = createProcess('order')
  .startEvent('placed')
  .serviceTask('pay', { type: 'pay' })
  .serviceTask('ship', { type: 'ship' })
  .endEvent('done')
  .done();

async function withDir(run: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-read-model-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// One contract: every case runs on each database the read model keeps its tables in (the engine's log
// stays in SQLite either way).
for (const backend of BACKENDS)
  describe(`read model on ${backend.name}`, () => {
    it('projects definitions, instances, element history, variables, jobs and incidents', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path });
        const model = await ReadModel.attach(engine, backend.tables(path));
        await engine.deploy(order);
        const done = await engine.createInstance('order', { orderId: 'A', total: 10 });
        const failing = await engine.createInstance('order', { orderId: 'B', total: 20 });
        const canceled = await engine.createInstance('order', { orderId: 'C' });
        const jobs = await engine.activateJobs({
          type: 'pay',
          worker: 'w',
          timeout: 60_000,
          maxJobsToActivate: 3,
        });
        const byInstance = new Map(jobs.map((j) => [j.processInstanceKey, j]));
        await engine.completeJob(byInstance.get(done.processInstanceKey)!.key, { paid: true });
        await engine.failJob(byInstance.get(failing.processInstanceKey)!.key, {
          retries: 0,
          errorMessage: 'card declined',
        });
        await engine.cancelInstance(canceled.processInstanceKey);
        const ship = await engine.activateJobs({
          type: 'ship',
          worker: 'w',
          timeout: 60_000,
          maxJobsToActivate: 1,
        });
        await engine.completeJob(ship[0]!.key);
        await engine.flush();
        await settle(engine);

        const [definition] = (await model.processDefinitions()) as { key: string; bpmnProcessId: string }[];
        assert.equal(definition?.bpmnProcessId, 'order');
        assert.match(await model.processDefinitionXml(definition!.key), /<bpmn:serviceTask id="pay"/);
        assert.equal((await model.searchInstances({ state: 'COMPLETED' })).total, 1);
        assert.equal((await model.searchInstances({ state: 'TERMINATED' })).total, 1);
        assert.equal(
          (await model.searchInstances({ hasIncident: true })).items[0]?.key,
          failing.processInstanceKey,
        );
        assert.equal(
          (await model.searchInstances({ variableName: 'orderId', variableValue: 'B' })).items[0]?.key,
          failing.processInstanceKey,
        );

        const detail = await model.instance(done.processInstanceKey);
        assert.deepEqual(
          detail.elements.map((e) => (e as { elementId: string }).elementId),
          ['placed', 'pay', 'ship', 'done'],
        );
        assert.ok(detail.takenFlows.length >= 3, 'the taken path');
        assert.deepEqual(detail.variables.map((v) => [v.name, v.value]).sort(), [
          ['orderId', 'A'],
          ['paid', true],
          ['total', 10],
        ]);

        const [incident] = (await model.searchIncidents()).items;
        assert.equal(incident?.elementId, 'pay');
        assert.equal(incident?.errorMessage, 'card declined');
        const counts = await model.elementCounts(definition!.key);
        const pay = counts.find((c) => c.elementId === 'pay')!;
        assert.deepEqual(
          {
            active: pay.active,
            completed: pay.completed,
            terminated: pay.terminated,
            incidents: pay.incidents,
          },
          { active: 1, completed: 1, terminated: 1, incidents: 1 },
        );
        await model.close();
        await engine.close();
      }));

    it('lists the instances a call activity started, newest first, with the call activity instance', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path });
        const model = await ReadModel.attach(engine, backend.tables(path));
        const child = createProcess('child')
          .startEvent('s')
          .serviceTask('work', { type: 'work' })
          .endEvent('e');
        const parent = createProcess('parent')
          .startEvent('s')
          .callActivity('call', { processId: 'child', multiInstance: { inputCollection: '= [1, 2]' } })
          .endEvent('e');
        await engine.deploy([child.done(), parent.done()]);
        const instance = await engine.createInstance('parent');
        await engine.flush();
        await settle(engine);
        const detail = await model.instance(instance.processInstanceKey);
        const children = detail.children as {
          key: string;
          bpmnProcessId: string;
          state: string;
          parentElementInstanceKey: string;
          startTime: number;
        }[];
        assert.equal(children.length, 2);
        const callInstances = new Set(
          (detail.elements as { key: string; elementId: string; elementType: string }[])
            .filter((e) => e.elementId === 'call' && e.elementType === 'CALL_ACTIVITY')
            .map((e) => e.key),
        );
        for (const c of children) {
          assert.equal(c.bpmnProcessId, 'child');
          assert.equal(c.state, 'ACTIVE');
          assert.ok(
            callInstances.has(c.parentElementInstanceKey),
            'the call activity instance that started it',
          );
        }
        assert.ok(
          children[0]!.startTime >= children[1]!.startTime &&
            BigInt(children[0]!.key) > BigInt(children[1]!.key),
        );
        await model.close();
        await engine.close();
      }));

    it('resumes after a restart exactly where it stopped, catching up on what it missed', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const tables = backend.tables(path);
        let engine = await createEngine({ path, snapshotEveryRecords: 50 });
        let model = await ReadModel.attach(engine, tables);
        await engine.deploy(order);
        for (let i = 0; i < 10; i++) await engine.createInstance('order', { i });
        await engine.flush();
        await settle(engine);
        await model.close(); // the read model stops; the engine goes on, and must keep the log it has not read
        for (let i = 10; i < 30; i++) await engine.createInstance('order', { i });
        await engine.close();

        engine = await createEngine({ path });
        model = await ReadModel.attach(engine, tables);
        assert.equal((await model.searchInstances()).total, 30, 'caught up, without duplicates');
        await engine.createInstance('order', { i: 30 });
        await engine.flush();
        await settle(engine);
        assert.equal((await model.searchInstances({ pageSize: 10, page: 4 })).items.length, 1);
        await model.close();
        await engine.close();
      }));

    it('as an exporter of createEngine, applies nothing twice when the engine saved its position late (a crash)', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const tables = backend.tables(path);
        let model = await ReadModel.open(tables);
        let engine = await createEngine({ path, exporters: [model.exporter] });
        await engine.deploy(order);
        for (let i = 0; i < 5; i++) await engine.createInstance('order', { i });
        await engine.close();
        await model.close();
        // As if the process died before the engine saved the model's last position: the tables are ahead.
        const factory = createSqliteStoreFactory({ path });
        const store = await factory.open(1);
        await store.saveExporterPosition(READ_MODEL_EXPORTER_ID, 3);
        await store.close();
        await factory.close();

        model = await ReadModel.open(tables);
        engine = await createEngine({ path, exporters: [model.exporter] });
        await engine.createInstance('order', { i: 5 });
        await engine.flush();
        await settle(engine);
        assert.deepEqual((await model.dashboard()).instances, { active: 6, completed: 0, terminated: 0 });
        assert.equal((await model.searchInstances()).total, 6);
        assert.equal(engine.stats().partitions[0]!.exporters[0]!.lag, 0);
        await engine.close();
        await model.close();
      }));

    it('keeps per-element and per-process counters in step with the rows', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path });
        const model = await ReadModel.attach(engine, backend.tables(path));
        const deployment = await engine.deploy(order);
        const instances = [];
        for (let i = 0; i < 6; i++) instances.push(await engine.createInstance('order', { i }));
        const jobs = await engine.activateJobs({
          type: 'pay',
          worker: 't',
          timeout: 60_000,
          maxJobsToActivate: 4,
        });
        for (const job of jobs) await engine.completeJob(job.key, {});
        await engine.cancelInstance(instances[5]!.processInstanceKey);
        await engine.flush();
        await settle(engine);
        const counts = Object.fromEntries(
          (await model.elementCounts(deployment.processes[0]!.processDefinitionKey)).map((c) => [
            c.elementId,
            [c.active, c.completed, c.terminated],
          ]),
        );
        assert.deepEqual(counts, { placed: [0, 6, 0], pay: [1, 4, 1], ship: [4, 0, 0] });
        const dashboard = await model.dashboard();
        assert.deepEqual(dashboard.instances, { active: 5, completed: 0, terminated: 1 });
        assert.deepEqual(dashboard.processes, [
          { bpmnProcessId: 'order', active: 5, completed: 0, terminated: 1, incidents: 0 },
        ]);
        await model.close();
        await engine.close();
      }));

    it('survives tables that refuse a batch: the engine goes on, the model catches up when they accept again', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path });
        const errors: unknown[] = [];
        const tables = backend.tables(path);
        const model = await ReadModel.attach(engine, { ...tables, onError: (error) => errors.push(error) });
        await engine.deploy(order);
        await engine.createInstance('order', { i: 0 });
        await engine.flush();
        await settle(engine);
        await backend.exec(tables, 'ALTER TABLE rm_process_instance RENAME TO rm_process_instance_away');
        const late = await engine.createInstance('order', { i: 1 }); // committed although the model fails
        await engine.flush();
        await until('the failure reported', () => errors.length > 0);
        assert.equal(errors.length, 1, 'the failure is reported once');
        assert.ok(model.failure);
        await backend.exec(tables, 'ALTER TABLE rm_process_instance_away RENAME TO rm_process_instance');
        const deadline = Date.now() + 10_000;
        while (model.failure && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.equal(model.failure, undefined, 'recovered');
        assert.equal((await model.instance(late.processInstanceKey)).instance !== undefined, true);
        assert.equal((await model.searchInstances()).total, 2, 'nothing missed, nothing twice');
        await model.close();
        await engine.close();
      }));

    it('applies a batch whole or not at all, and once: a statement refused at its end leaves nothing of it', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path, exporterRetry: { initialDelayMs: 50, maxDelayMs: 200 } });
        // Every committed batch, to hand the model all of them again at the end (a deposed leader's).
        const log: ExportBatch[] = [];
        await engine.addExporter({
          id: 'recorder',
          open: () => undefined,
          export: (batch) => void log.push({ partitionId: batch.partitionId, records: [...batch.records] }),
          close: () => undefined,
        });
        const errors: unknown[] = [];
        const tables = backend.tables(path);
        const model = await ReadModel.attach(engine, { ...tables, onError: (error) => errors.push(error) });
        await engine.deploy(order);
        for (let i = 0; i < 3; i++) await engine.createInstance('order', { i });
        await engine.flush();
        await settle(engine);
        /** What the batch touches, each table's rows and counters. */
        const state = async () => ({
          position: await backend.query(tables, 'SELECT partition_id, position FROM rm_exporter_position'),
          instances: await backend.query(tables, 'SELECT key, state FROM rm_process_instance ORDER BY key'),
          elements: await backend.query(tables, 'SELECT key, state FROM rm_element_instance ORDER BY key'),
          variables: await backend.query(
            tables,
            'SELECT scope_key, name, value FROM rm_variable ORDER BY 1, 2',
          ),
          jobs: await backend.query(tables, 'SELECT key, state FROM rm_job ORDER BY key'),
          audit: await backend.query(tables, 'SELECT COUNT(*) AS n FROM rm_audit'),
          processStats: await backend.query(tables, 'SELECT * FROM rm_process_stats ORDER BY 1'),
          elementStats: await backend.query(tables, 'SELECT * FROM rm_element_stats ORDER BY 1, 2'),
        });
        const before = await state();
        // The audit trail's rows are the batch's last statements: everything else of it runs before.
        await backend.exec(
          tables,
          backend.name === 'sqlite'
            ? `CREATE TRIGGER refuse BEFORE INSERT ON rm_audit BEGIN SELECT RAISE(ABORT, 'refused'); END`
            : `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
               CREATE TRIGGER refuse BEFORE INSERT ON rm_audit FOR EACH STATEMENT EXECUTE FUNCTION refuse()`,
        );
        for (let i = 3; i < 6; i++) await engine.createInstance('order', { i, text: `it's \\ "${i}" ☃` });
        const jobs = await engine.activateJobs({
          type: 'pay',
          worker: 't',
          timeout: 60_000,
          maxJobsToActivate: 6,
        });
        for (const job of jobs.slice(0, 4)) await engine.completeJob(job.key, { paid: `€${job.key}` });
        await engine.flush();
        await until('the refusal reported', () => errors.length > 0);
        assert.match(String(errors[0]), /refused/);
        assert.deepEqual(await state(), before, 'nothing of the refused batches is in the tables');
        await backend.exec(tables, 'DROP TRIGGER refuse' + (backend.name === 'sqlite' ? '' : ' ON rm_audit'));
        await until('taken again', () => model.failure === undefined);
        await settle(engine);
        const after = await state();
        assert.equal(after.instances.length, 6);
        assert.equal(after.jobs.length, 10, '6 pay jobs, 4 ship jobs');
        /** Counters from the rows: a statement applied twice (or half a batch) puts them out of step. */
        const counted = async () => ({
          processStats: await backend.query(
            tables,
            `SELECT bpmn_process_id, SUM(CASE WHEN end_time IS NULL THEN 1 ELSE 0 END) AS active,
               SUM(CASE WHEN state = 'COMPLETED' THEN 1 ELSE 0 END) AS completed,
               SUM(CASE WHEN state = 'TERMINATED' THEN 1 ELSE 0 END) AS terminated
             FROM rm_process_instance GROUP BY bpmn_process_id ORDER BY 1`,
          ),
          elementStats: await backend.query(
            tables,
            `SELECT process_definition_key, element_id, SUM(CASE WHEN end_time IS NULL THEN 1 ELSE 0 END) AS active,
               SUM(CASE WHEN state = 'ELEMENT_COMPLETED' THEN 1 ELSE 0 END) AS completed,
               SUM(CASE WHEN state = 'ELEMENT_TERMINATED' THEN 1 ELSE 0 END) AS terminated
             FROM rm_element_instance GROUP BY process_definition_key, element_id ORDER BY 1, 2`,
          ),
        });
        const numbers = (rows: Record<string, unknown>[]) =>
          rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));
        const expected = await counted();
        assert.deepEqual(numbers(after.processStats), numbers(expected.processStats));
        assert.deepEqual(numbers(after.elementStats), numbers(expected.elementStats));
        assert.deepEqual(
          numbers(expected.elementStats).find((c) => c.element_id === 'pay'),
          {
            process_definition_key: String(expected.elementStats[0]!.process_definition_key),
            element_id: 'pay',
            active: '2',
            completed: '4',
            terminated: '0',
          },
        );
        const records = log.flatMap((b) => b.records);
        const audited = records.filter(
          (r) => r.recordType === 'EVENT' && ['PROCESS_INSTANCE', 'JOB', 'INCIDENT'].includes(r.valueType),
        ).length;
        assert.equal(Number(after.audit[0]!.n), audited, 'one audit row per event');
        const values = await backend.query(
          tables,
          "SELECT value FROM rm_variable WHERE name = 'text' ORDER BY value",
        );
        assert.deepEqual(
          values.map((v) => JSON.parse(String(v.value)) as string),
          [3, 4, 5].map((i) => `it's \\ "${i}" ☃`),
        );
        // Every batch handed again, as a deposed leader would: nothing is applied twice.
        for (const batch of log) await model.exporter.export(batch);
        assert.deepEqual(await state(), after);
        await model.close();
        await engine.close();
      }));

    it('follows a migration: instances, incidents, jobs and counters move to the target definition', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path });
        const model = await ReadModel.attach(engine, backend.tables(path));
        const version = (taskId: string) =>
          createProcess('order')
            .startEvent('s')
            .serviceTask(taskId, { type: 'pay', retries: 1 })
            .endEvent('e')
            .done();
        const v1 = (await engine.deploy(version('pay'))).processes[0]!.processDefinitionKey;
        const v2 = (await engine.deploy(version('pay2'))).processes[0]!.processDefinitionKey;
        const instance = await engine.createInstance('order', {}, { version: 1 });
        const [job] = await engine.activateJobs({
          type: 'pay',
          worker: 'w',
          timeout: 60_000,
          maxJobsToActivate: 1,
        });
        await engine.failJob(job!.key, { retries: 0, errorMessage: 'declined' });
        await engine.migrateInstance(instance.processInstanceKey, v2, { pay: 'pay2' });
        await engine.flush();
        await settle(engine);
        const open = async (key: string) =>
          (await model.elementCounts(key))
            .filter((c) => c.active > 0 || c.incidents > 0)
            .map((c) => [c.elementId, c.active, c.incidents]);
        assert.deepEqual(await open(v1), []);
        assert.deepEqual(await open(v2), [['pay2', 1, 1]]);
        const detail = await model.instance(instance.processInstanceKey);
        assert.equal((detail.instance as { version: number }).version, 2);
        assert.equal((detail.incidents[0] as { elementId: string }).elementId, 'pay2');
        assert.equal((detail.jobs[0] as { elementId: string }).elementId, 'pay2');
        await model.close();
        await engine.close();
      }));

    it('pages through thousands of instances and refuses malformed parameters', () =>
      withDir(async (dir) => {
        const path = join(dir, 'baton.db');
        const engine = await createEngine({ path, synchronous: 'NORMAL' });
        const model = await ReadModel.attach(engine, backend.tables(path));
        await engine.deploy(order);
        for (let i = 0; i < 20; i++)
          await Promise.all(
            Array.from({ length: 100 }, (_, j) => engine.createInstance('order', { n: i * 100 + j })),
          );
        await engine.flush();
        await settle(engine);
        const started = Date.now();
        const page = await model.searchInstances({
          bpmnProcessId: 'order',
          state: 'ACTIVE',
          page: 20,
          pageSize: 50,
        });
        assert.ok(Date.now() - started < 1000);
        assert.equal(page.total, 2000);
        assert.equal(page.items.length, 50);
        for (const bad of [
          { page: 0 },
          { pageSize: 5000 },
          { state: 'RUNNING' },
          { sort: 'name' },
          { version: 1.5 },
        ]) {
          await assert.rejects(
            () => model.searchInstances(bad as never),
            (e: BatonError) => e.code === 'INVALID_ARGUMENT',
          );
        }
        await assert.rejects(
          () => model.instance('2251799813685999'),
          (e: BatonError) => e.code === 'NOT_FOUND',
        );
        await model.close();
        await engine.close();
      }));
  });
