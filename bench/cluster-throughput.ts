// Benchmark (issue 17): the three-task process over Zeebe gRPC on a Baton cluster on PostgreSQL with 1, 2 and
// 3 nodes (each `baton start --cluster` in a process of its own), beside one `baton start` on SQLite. Server
// CPU per instance (every node's), PostgreSQL commits per second and per instance (pg_stat_database's
// xact_commit delta) and each partition's mean append time (from the nodes' /metrics).
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/cluster-throughput.ts [--nodes 1,2,3] [--partitions 3]
//     [--instances 5000] [--concurrency 120] [--runs 3] [--warmup W] [--no-sqlite] [--json]
// PostgreSQL: BATON_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), a fresh schema
// per run, dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { threeTasks } from '../packages/baton/src/test-support/models.js';
import type { BatonProcess, Zeebe } from './cluster-support.js';
import {
  commits,
  connect,
  evenlyLed,
  integerOption,
  option,
  POSTGRES_URL,
  sdkClient,
  startBaton,
  waitForLeaders,
  withSchema,
} from './cluster-support.js';
import { closedLoop, fmt, median, percentile, printTable, processCpuUs } from './figures.js';

const args = process.argv.slice(2);
const nodeCounts = (option(args, 'nodes') ?? '1,2,3').split(',').map((n) => {
  const count = Number(n);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--nodes: counts ≥ 1, got ${n}`);
  return count;
});
const partitions = integerOption(args, 'partitions', 3);
const instances = integerOption(args, 'instances', 5_000);
const concurrency = integerOption(args, 'concurrency', 120);
const runs = integerOption(args, 'runs', 3);
const warmup = integerOption(args, 'warmup', Math.floor(instances / 10), 0);
const withSqlite = !args.includes('--no-sqlite');

type Config = { label: string; nodes: number; store: 'sqlite' | 'postgres' };
const configs: Config[] = [
  ...(withSqlite ? [{ label: 'SQLite, 1 node', nodes: 1, store: 'sqlite' } as const] : []),
  ...nodeCounts.map(
    (n) => ({ label: `PostgreSQL, ${n} node${n > 1 ? 's' : ''}`, nodes: n, store: 'postgres' }) as const,
  ),
];

interface RunResult {
  perSecond: number;
  p50: number;
  p99: number;
  /** Every server process's CPU time over the measured instances, per instance. */
  serverCpuUsPerInstance: number;
  /** pg_stat_database xact_commit delta over the measured instances (every client of the database). */
  commitsPerSecond?: number;
  commitsPerInstance?: number;
  /** Mean append time per partition (ms), from baton_cluster_append_seconds. */
  appendMs?: number;
}

console.log(
  `cluster-throughput: three-task instances over gRPC (@camunda8/sdk, createProcessInstanceWithResult, one ` +
    `createWorker per type and node), ${instances} per run after ${warmup} warm-up, concurrency ` +
    `${concurrency}, ${partitions} partitions, ${runs} runs interleaved; node ${process.version}, ` +
    `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
const results = new Map<string, RunResult[]>(configs.map((c) => [c.label, []]));
for (let run = 1; run <= runs; run++) {
  for (const config of configs) {
    const result = await measure(config);
    results.get(config.label)!.push(result);
    console.log(
      `  run ${run}/${runs} ${config.label.padEnd(20)} ${fmt(result.perSecond, 0).padStart(6)} inst/s  ` +
        `p50 ${fmt(result.p50, 1)} ms  p99 ${fmt(result.p99, 1)} ms  server CPU ` +
        `${fmt(result.serverCpuUsPerInstance, 0)} µs/inst` +
        (result.commitsPerSecond === undefined
          ? ''
          : `  PG ${fmt(result.commitsPerSecond, 0)} commits/s (${fmt(result.commitsPerInstance!, 1)}/inst), ` +
            `append ${fmt(result.appendMs!, 2)} ms`),
    );
  }
}

const rows = configs.map((config) => {
  const list = results.get(config.label)!;
  const m = (f: (r: RunResult) => number | undefined) => {
    const values = list.map(f).filter((v): v is number => v !== undefined);
    return values.length ? median(values) : undefined;
  };
  return {
    config,
    perSecond: m((r) => r.perSecond)!,
    p50: m((r) => r.p50)!,
    p99: m((r) => r.p99)!,
    cpu: m((r) => r.serverCpuUsPerInstance)!,
    commits: m((r) => r.commitsPerSecond),
    perInstance: m((r) => r.commitsPerInstance),
    appendMs: m((r) => r.appendMs),
  };
});
console.log(
  `\nMedians of ${runs} runs (${instances} instances, concurrency ${concurrency}, ${partitions} partitions):`,
);
printTable(
  [
    'configuration',
    'instances/s',
    'per partition',
    'p50 ms',
    'p99 ms',
    'server CPU µs/inst',
    'PG commits/s',
    'commits/inst',
    'append ms',
  ],
  rows.map((r) => [
    r.config.label,
    fmt(r.perSecond, 0),
    r.config.store === 'postgres' ? fmt(r.perSecond / partitions, 0) : '—',
    fmt(r.p50, 1),
    fmt(r.p99, 1),
    fmt(r.cpu, 0),
    r.commits === undefined ? '—' : fmt(r.commits, 0),
    r.perInstance === undefined ? '—' : fmt(r.perInstance, 1),
    r.appendMs === undefined ? '—' : fmt(r.appendMs, 2),
  ]),
);
console.log(
  '\nEvery node, the SDK client and PostgreSQL share this machine: nodes add no cores here. Server CPU is the' +
    '\nsum over the node processes; PG commits are the whole database’s (other clients included); append ms' +
    '\nis the mean of baton_cluster_append_seconds over every partition (a fenced INSERT … RETURNING).',
);
if (args.includes('--json'))
  console.log(
    JSON.stringify({ instances, concurrency, partitions, runs, results: Object.fromEntries(results) }),
  );
process.exit(0);

async function measure(config: Config): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-cluster-'));
  const schema = `bench_cluster_${process.pid}_${Date.now()}`;
  const url = withSchema(POSTGRES_URL, schema);
  const nodes: BatonProcess[] = [];
  const pgClient = config.store === 'postgres' ? await connect(POSTGRES_URL) : undefined;
  const clients: Zeebe[] = [];
  const workers: { close(): Promise<unknown> }[] = [];
  try {
    for (let i = 1; i <= config.nodes; i++) {
      const name = `n${i}`;
      const store =
        config.store === 'sqlite'
          ? ['--partitions', String(partitions)]
          : ['--cluster', url, '--node-id', name, ...(i === 1 ? ['--partitions', String(partitions)] : [])];
      nodes.push(await startBaton(name, join(dir, `${name}.db`), store));
      if (pgClient) {
        const names = nodes.map((n) => n.name);
        await waitForLeaders(
          pgClient,
          schema,
          `${partitions} partitions over ${names.join(',')}`,
          evenlyLed(partitions, names),
        );
      }
    }
    for (const node of nodes) {
      const zeebe = sdkClient(node.grpcPort, 10);
      clients.push(zeebe);
    }
    await clients[0]!.deployResource({ process: Buffer.from(threeTasks()), name: 'three-tasks.bpmn' });
    for (const zeebe of clients)
      for (const type of ['task-a', 'task-b', 'task-c'])
        workers.push(
          zeebe.createWorker({
            taskType: type,
            maxJobsToActivate: Math.ceil(concurrency / clients.length),
            pollInterval: 10,
            timeout: 60_000,
            taskHandler: (job) => job.complete(),
          }),
        );
    // Instances through every node in turn; each awaits its result on the node that created it.
    let turn = 0;
    const startOne = () =>
      clients[turn++ % clients.length]!.createProcessInstanceWithResult({
        bpmnProcessId: 'three-tasks',
        variables: {},
      });
    if (warmup > 0) await closedLoop(warmup, concurrency, startOne);
    const cpuBefore = nodes.reduce((n, node) => n + processCpuUs(node.process.pid!), 0);
    const commitsBefore = pgClient && (await commits(pgClient));
    const appendsBefore = pgClient && (await appendTotals(nodes));
    const { seconds, latencies } = await closedLoop(instances, concurrency, startOne);
    const cpu = nodes.reduce((n, node) => n + processCpuUs(node.process.pid!), 0) - cpuBefore;
    latencies.sort();
    const result: RunResult = {
      perSecond: instances / seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      serverCpuUsPerInstance: cpu / instances,
    };
    if (pgClient) {
      // Backends report their counts to pg_stat_database about once a second while busy.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const delta = (await commits(pgClient)) - commitsBefore!;
      const appends = await appendTotals(nodes);
      return {
        ...result,
        commitsPerSecond: delta / seconds,
        commitsPerInstance: delta / instances,
        appendMs:
          ((appends.sum - appendsBefore!.sum) / Math.max(1, appends.count - appendsBefore!.count)) * 1_000,
      };
    }
    return result;
  } finally {
    for (const worker of workers) await worker.close().catch(() => undefined);
    for (const zeebe of clients) await zeebe.close().catch(() => undefined);
    for (const node of nodes) await node.stop();
    if (pgClient) {
      await pgClient.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await pgClient.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sum and count of baton_cluster_append_seconds over every node and partition. */
async function appendTotals(nodes: BatonProcess[]): Promise<{ sum: number; count: number }> {
  let sum = 0;
  let count = 0;
  for (const node of nodes) {
    const text = await (await fetch(`http://127.0.0.1:${node.httpPort}/metrics`)).text();
    for (const line of text.split('\n')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (line.startsWith('baton_cluster_append_seconds_sum{')) sum += value;
      if (line.startsWith('baton_cluster_append_seconds_count{')) count += value;
    }
  }
  return { sum, count };
}
