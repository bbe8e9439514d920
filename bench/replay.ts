// Benchmark (issue 2): recovery by pure log replay. Writes the log of N three-task instances to an SQLite file
// (no snapshot is kept, so a restart must replay every record), then restarts the engine on it in fresh child
// processes (a cold JIT, as after a crash) and times createEngine(): open, read, JSON.parse, apply. A second
// row times only reading and parsing the same log through the store, to split SQLite+JSON from state appliers.
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/replay.ts [--instances N] [--concurrency C] [--runs R]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { PartitionStore, StoreFactory } from '@baton-engine/store';
import { createSqliteStoreFactory } from '@baton-engine/store-sqlite';
import { createEngine } from '@baton-engine/baton';
import { threeTasks } from '../packages/baton/src/test-support/models.js';
import { median, fmt, printTable } from './figures.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const numberOption = (name: string, fallback: number): number => {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
};

type Kind = 'recover' | 'read';
interface ReplayResult {
  readonly kind: Kind;
  readonly records: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly peakRssMb: number;
}

const NO_SNAPSHOTS = 1e15;
const childPath = option('child-replay');
if (childPath) {
  const result = await replay(childPath, option('kind') as Kind);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  // The recovered engine is not closed (closing would write a snapshot into the shared file): just exit.
  process.exit(0);
} else {
  await orchestrate();
}

async function orchestrate(): Promise<void> {
  const instances = numberOption('instances', 10_000);
  const concurrency = numberOption('concurrency', 200);
  const runs = numberOption('runs', 5);
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-replay-'));
  const path = join(dir, 'replay.db');
  try {
    const started = performance.now();
    const records = await writeLog(path, instances, concurrency);
    const size = statSync(path).size + walSize(path);
    console.log(
      `replay: log of ${instances} three-task instances = ${records} records, ` +
        `${(size / 1e6).toFixed(0)} MB SQLite (written in ${((performance.now() - started) / 1000).toFixed(1)} s); ` +
        `${runs} runs, each a fresh process; node ${process.version}`,
    );
    const results: Record<Kind, ReplayResult[]> = { recover: [], read: [] };
    for (let run = 1; run <= runs; run++) {
      for (const kind of ['recover', 'read'] as const) {
        const result = await spawnReplay(path, kind);
        results[kind].push(result);
        console.log(
          `  run ${run}/${runs} ${kind.padEnd(8)} ${result.records} records in ${result.seconds.toFixed(2)} s = ` +
            `${fmt(result.perSecond)} records/s, peak RSS ${fmt(result.peakRssMb)} MB`,
        );
      }
    }
    console.log(`\nMedians of ${runs} runs:`);
    const header = ['replay', 'records', 'seconds', 'records/s', 'peak RSS MB'];
    const rows = (['recover', 'read'] as const).map((kind) => {
      const list = results[kind];
      return [
        kind === 'recover'
          ? 'full recovery (createEngine: read + parse + apply)'
          : 'read + JSON.parse only (store.read)',
        String(list[0]!.records),
        median(list.map((r) => r.seconds)).toFixed(2),
        fmt(median(list.map((r) => r.perSecond))),
        fmt(median(list.map((r) => r.peakRssMb))),
      ];
    });
    printTable(header, rows);
    const recovery = median(results.recover.map((r) => r.perSecond));
    console.log(
      `\nTarget (issue 2): replay ≥ 200,000 records/s → ${fmt(recovery)} (${recovery >= 200_000 ? 'met' : 'not met'})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the workload against SQLite with snapshots switched off, so the whole log stays and must be replayed. */
async function writeLog(path: string, instances: number, concurrency: number): Promise<number> {
  const engine = await createEngine({
    store: withoutSnapshots(createSqliteStoreFactory({ path, synchronous: 'NORMAL' })),
    snapshotEveryRecords: NO_SNAPSHOTS,
  });
  await engine.deploy(threeTasks());
  for (const type of ['task-a', 'task-b', 'task-c']) {
    engine.createWorker({ type, maxJobsActive: concurrency, handler: async () => {} });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < instances) await engine.createInstanceWithResult('three-tasks');
    }),
  );
  await engine.close();
  const check = createSqliteStoreFactory({ path });
  const store = await check.open(1);
  const last = await store.lastPosition();
  if (await store.loadSnapshot()) throw new Error('expected no snapshot');
  await check.close();
  return last;
}

/** The store, except that snapshots are never saved and the log is never compacted. */
function withoutSnapshots(inner: StoreFactory): StoreFactory {
  return {
    description: inner.description,
    async open(partitionId: number): Promise<PartitionStore> {
      const store = await inner.open(partitionId);
      return {
        partitionId: store.partitionId,
        append: (records) => store.append(records),
        read: (from, limit) => store.read(from, limit),
        lastPosition: () => store.lastPosition(),
        saveSnapshot: async () => {},
        loadSnapshot: () => store.loadSnapshot(),
        compact: async () => {},
        close: () => store.close(),
      };
    },
    close: () => inner.close(),
  };
}

async function replay(path: string, kind: Kind): Promise<ReplayResult> {
  let records: number;
  const started = performance.now();
  if (kind === 'recover') {
    const engine = await createEngine({ path, snapshotEveryRecords: NO_SNAPSHOTS });
    records = engine.stats().partitions[0]!.lastPosition;
    return result(kind, records, (performance.now() - started) / 1000);
  }
  const factory = createSqliteStoreFactory({ path });
  const store = await factory.open(1);
  records = 0;
  for (let from = 1; ;) {
    const batch = await store.read(from, 10_000);
    if (batch.length === 0) break;
    records += batch.length;
    from = batch[batch.length - 1]!.position + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  await factory.close();
  return result(kind, records, seconds);
}

function result(kind: Kind, records: number, seconds: number): ReplayResult {
  return {
    kind,
    records,
    seconds,
    perSecond: records / seconds,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
  };
}

function spawnReplay(path: string, kind: Kind): Promise<ReplayResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [...process.execArgv, script, '--child-replay', path, '--kind', kind],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`replay (${kind}) failed (exit ${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as ReplayResult);
    });
  });
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
