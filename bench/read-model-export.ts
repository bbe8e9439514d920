// Benchmark (issue 17): how fast the read model applies the engine's log, on SQLite and on PostgreSQL.
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/read-model-export.ts [--instances N] [--concurrency C]
//     [--backends sqlite,postgres] [--phases apply,live] [--rate R]
// Defaults: N = 5,000 three-task instances, C = 200, both backends, both phases; with --rate, the live load
// starts R instances a second (an open loop) instead of running C lanes as fast as they go.
// PostgreSQL: BATON_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), a fresh schema
// per run, dropped afterwards.
//
// apply: the three-task process runs N instances on an in-memory engine whose exporter keeps the batches it
//   is handed; those batches are then handed, one after the other, to a fresh read model's exporter: records/s
//   and instances/s the read model applies, alone (no engine beside it), and the CPU time this process spent
//   (on PostgreSQL the rest is the server's, and waiting).
// live: the engine (SQLite file, or PostgreSQL) with the read model (same database) as its exporter, N
//   instances in a closed loop of C lanes; the read model's lag (log position − exported position, records,
//   from `engine.stats()`) is sampled every 100 ms: its maximum in the first and in the second half of the
//   load (bounded, or growing), at the end of the load, and how long after the load it takes to reach 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createEngine } from '@baton-engine/baton';
import type { Engine, EngineOptions, ExportBatch, Exporter } from '@baton-engine/baton';
import { createPostgresStoreFactory } from '@baton-engine/store-postgres';
import { READ_MODEL_EXPORTER_ID, ReadModel } from '@baton-engine/read-model';
import type { ReadModelOptions } from '@baton-engine/read-model';
import { threeTasks } from '../packages/baton/src/test-support/models.js';
import { closedLoop, fmt, printTable } from './figures.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const positive = (name: string, fallback: number): number => {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
};
const list = <T extends string>(name: string, allowed: readonly T[]): T[] => {
  const value = option(name);
  if (value === undefined) return [...allowed];
  const items = value.split(',');
  for (const item of items)
    if (!allowed.includes(item as T))
      throw new Error(`--${name}: unknown '${item}' (one or more of ${allowed.join(', ')})`);
  return items as T[];
};

const instances = positive('instances', 5_000);
const concurrency = positive('concurrency', 200);
const backends = list('backends', ['sqlite', 'postgres'] as const);
const phases = list('phases', ['apply', 'live'] as const);
/** Live: instances started per second (an open loop), instead of C lanes as fast as they go. */
const rate = option('rate') === undefined ? undefined : positive('rate', 1);
type Backend = (typeof backends)[number];

const POSTGRES_URL = process.env.BATON_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A place for one run's tables (and, live, the engine's log), removed by `drop`. */
interface Place {
  readonly readModel: ReadModelOptions;
  readonly engine: EngineOptions;
  drop(): Promise<void>;
}

async function place(backend: Backend): Promise<Place> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'baton-rm-export-'));
    const path = join(dir, 'baton.db');
    return {
      readModel: { path },
      // As `baton start` keeps them: the read model in the engine's file.
      engine: { store: 'sqlite', path },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = `bench_rm_${process.pid}_${Date.now()}`;
  return {
    readModel: { postgres: { connectionString: POSTGRES_URL, schema } },
    engine: { store: await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema }) },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** An engine running the three-task process with workers whose handlers resolve at once. */
async function threeTaskEngine(options: EngineOptions): Promise<Engine> {
  const engine = await createEngine(options);
  await engine.deploy(threeTasks());
  for (const type of ['task-a', 'task-b', 'task-c'])
    engine.createWorker({ type, maxJobsActive: concurrency, handler: async () => {} });
  return engine;
}

/**
 * An open loop: `rate` instances started per second whatever the engine's pace (a refused one again a little
 * later), until N are; resolves when every one has ended.
 */
async function openLoop(perSecond: number, startOne: () => Promise<unknown>): Promise<{ seconds: number }> {
  const started = performance.now();
  const running: Promise<unknown>[] = [];
  while (running.length < instances) {
    const due = Math.min(instances, Math.floor(((performance.now() - started) / 1000) * perSecond));
    while (running.length < due) running.push(admitted(startOne));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(running);
  return { seconds: (performance.now() - started) / 1000 };
}

/** `startOne`, tried again 20 ms later while the engine refuses it (back-pressure), as a client does. */
async function admitted<T>(startOne: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await startOne();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'RESOURCE_EXHAUSTED') throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The batches an in-memory engine exports for N three-task instances. */
async function recordedBatches(): Promise<ExportBatch[]> {
  const batches: ExportBatch[] = [];
  const recorder: Exporter = {
    id: 'recorder',
    open: () => undefined,
    export: (batch) => {
      batches.push({ partitionId: batch.partitionId, records: [...batch.records] });
    },
    close: () => undefined,
  };
  const engine = await threeTaskEngine({ store: 'memory', exporters: [recorder] });
  await closedLoop(instances, concurrency, () => engine.createInstanceWithResult('three-tasks'));
  await engine.flush();
  await engine.close();
  return batches;
}

async function apply(backend: Backend, batches: readonly ExportBatch[]): Promise<string[]> {
  const where = await place(backend);
  const model = await ReadModel.open(where.readModel);
  try {
    for (const partitionId of new Set(batches.map((b) => b.partitionId)))
      await model.exporter.open({
        partitionId,
        lastExportedPosition: 0,
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        updatePosition: () => undefined,
      });
    const records = batches.reduce((n, b) => n + b.records.length, 0);
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const batch of batches) await model.exporter.export(batch);
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const completed = (await model.searchInstances({ state: 'COMPLETED', pageSize: 1 })).total;
    if (completed !== instances)
      throw new Error(`${backend}: the read model shows ${completed} completed instances, not ${instances}`);
    return [
      backend,
      fmt(batches.length),
      fmt(records / batches.length, 1),
      fmt(seconds, 2),
      fmt((user + system) / 1e6, 2),
      fmt(records / seconds),
      fmt(instances / seconds),
    ];
  } finally {
    await model.close();
    await where.drop();
  }
}

async function live(backend: Backend): Promise<string[]> {
  const where = await place(backend);
  const model = await ReadModel.open(where.readModel);
  // The read model's exporter, counting the batches the engine hands it.
  let batches = 0;
  let exported = 0;
  const counted: Exporter = {
    ...model.exporter,
    export: (batch) => {
      batches++;
      exported += batch.records.length;
      return model.exporter.export(batch);
    },
  };
  const engine = await threeTaskEngine({ ...where.engine, exporters: [counted] });
  try {
    const lag = () =>
      engine
        .stats()
        .partitions.reduce(
          (sum, p) => sum + (p.exporters.find((e) => e.exporterId === READ_MODEL_EXPORTER_ID)?.lag ?? 0),
          0,
        );
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(lag()), 100);
    const startOne = () => engine.createInstanceWithResult('three-tasks');
    const load =
      rate === undefined
        ? await closedLoop(instances, concurrency, startOne)
        : await openLoop(rate, startOne);
    await engine.flush();
    clearInterval(sampler);
    const lagAtEnd = lag();
    samples.push(lagAtEnd);
    // Bounded or growing: the largest lag of the load's first half beside its second half's.
    const half = Math.ceil(samples.length / 2);
    const maxOf = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);
    const drained = performance.now();
    // Caught up: every record acknowledged (the sampling above is how an operator sees it too).
    const deadline = drained + 600_000;
    while (lag() > 0) {
      if (performance.now() > deadline)
        throw new Error(`${backend}: the read model did not catch up in 10 min`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const catchUp = (performance.now() - drained) / 1000;
    return [
      backend,
      fmt(instances / load.seconds),
      fmt(maxOf(samples.slice(0, half))),
      fmt(maxOf(samples.slice(half))),
      fmt(lagAtEnd),
      fmt(catchUp, 2),
      fmt(exported / batches, 1),
    ];
  } finally {
    await engine.close();
    await model.close();
    await where.drop();
  }
}

console.log(`read model export: ${fmt(instances)} three-task instances, ${concurrency} lanes`);
if (phases.includes('apply')) {
  const batches = await recordedBatches();
  const rows: string[][] = [];
  for (const backend of backends) rows.push(await apply(backend, batches));
  console.log('\napply (recorded batches handed to the read model alone)');
  printTable(
    ['database', 'batches', 'records/batch', 's', 'this process CPU s', 'records/s', 'instances/s'],
    rows,
  );
}
if (phases.includes('live')) {
  const rows: string[][] = [];
  for (const backend of backends) rows.push(await live(backend));
  console.log('\nlive (engine and read model on the same database; lag in records)');
  printTable(
    [
      'database',
      'engine instances/s',
      'max lag, 1st half',
      'max lag, 2nd half',
      'lag at end of load',
      'catch-up s',
      'records/batch',
    ],
    rows,
  );
}
