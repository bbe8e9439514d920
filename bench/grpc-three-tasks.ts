// Benchmark (issue 6): start → 3 service tasks → end, driven over the Zeebe gRPC protocol on loopback by the
// official `@camunda8/sdk` client and its job workers, against `baton start` (SQLite, durable) in a process
// of its own; beside it the in-process figure of bench/three-tasks.ts (same model, same store settings).
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/grpc-three-tasks.ts [--instances N] [--concurrency C]
//     [--runs R] [--warmup W] [--workers poll,stream] [--poll-interval MS] [--server src|dist] [--json]
// Defaults: N = 10,000 instances per run after a warm-up of N/10, C = 200, R = 3, workers poll and stream,
// poll interval 10 ms, server from the TypeScript sources (`dist`: packages/cli/bin/baton.js, needs a build).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import { threeTasks } from '../packages/baton/src/test-support/models.js';
import { closedLoop, percentile, median, fmt, printTable, processCpuUs } from './figures.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const numberOption = (name: string, fallback: number): number => {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
};

/** `in-process`: bench/three-tasks.ts's Baton SQLite FULL child; `grpc-*`: this file's gRPC child. */
type Mode = 'in-process' | 'grpc-poll' | 'grpc-stream';
type WorkerKind = 'poll' | 'stream';

const LABELS: Record<Mode, string> = {
  'in-process': 'in-process (createWorker, createInstanceWithResult)',
  'grpc-poll': 'gRPC, SDK createWorker (ActivateJobs long poll)',
  'grpc-stream': 'gRPC, SDK streamJobs (StreamActivatedJobs)',
};

/** What one run measured. CPU figures are per instance, over the measured part only (gRPC runs). */
interface RunResult {
  readonly mode: Mode;
  readonly instances: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly peakRssMb: number;
  readonly serverCpuUsPerInstance?: number;
  readonly clientCpuUsPerInstance?: number;
}

const instances = numberOption('instances', 10_000);
const concurrency = numberOption('concurrency', 200);
const runs = numberOption('runs', 3);
const warmup = option('warmup') === undefined ? Math.floor(instances / 10) : numberOption('warmup', 0);
const pollInterval = numberOption('poll-interval', 10);
const server = option('server') ?? 'src';
if (server !== 'src' && server !== 'dist') throw new Error(`--server is src or dist, not ${server}`);
if (instances < 1 || concurrency < 1 || runs < 1) {
  throw new Error('--instances, --concurrency and --runs must be at least 1');
}

const child = option('child') as WorkerKind | undefined;
if (child) {
  if (child !== 'poll' && child !== 'stream') throw new Error(`unknown child ${child}`);
  const result = await measureGrpc(child);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  // The SDK keeps timers and channels around after close(); the figures are out, so leave.
  process.exit(0);
} else {
  await orchestrate();
}

// ---------------------------------------------------------------------------------------------------------
// Parent: per run, the in-process child and one gRPC child per worker kind, interleaved; then the medians.

async function orchestrate(): Promise<void> {
  const kinds = (option('workers')?.split(',') ?? ['poll', 'stream']) as WorkerKind[];
  for (const kind of kinds)
    if (kind !== 'poll' && kind !== 'stream') throw new Error(`unknown workers ${kind}`);
  const modes: Mode[] = ['in-process', ...kinds.map((k): Mode => `grpc-${k}`)];
  console.log(
    `grpc-three-tasks: ${instances} instances per run (after a warm-up of ${warmup}), concurrency ` +
      `${concurrency}, ${runs} runs, interleaved; SQLite synchronous=FULL; server from ${server}; ` +
      `SDK poll interval ${pollInterval} ms; node ${process.version}, ${cpus().length} CPUs ` +
      `(${cpus()[0]?.model.trim() ?? 'unknown'})`,
  );
  const results = new Map<Mode, RunResult[]>(modes.map((m) => [m, []]));
  for (let run = 1; run <= runs; run++) {
    for (const mode of modes) {
      const load = loadavg()[0]!;
      const result = mode === 'in-process' ? await spawnInProcess() : await spawnGrpc(mode);
      results.get(mode)!.push(result);
      const cpu =
        result.serverCpuUsPerInstance === undefined
          ? ''
          : `  CPU/instance server ${fmt(result.serverCpuUsPerInstance, 0)} µs, ` +
            `client ${fmt(result.clientCpuUsPerInstance!, 0)} µs`;
      console.log(
        `  run ${run}/${runs} ${mode.padEnd(12)} ${fmt(result.perSecond, 0).padStart(7)} inst/s  ` +
          `p50 ${fmt(result.p50, 1)} ms  p99 ${fmt(result.p99, 1)} ms  peak RSS ${fmt(result.peakRssMb, 0)} MB${cpu}` +
          `  (load average ${fmt(load, 1)} → ${fmt(loadavg()[0]!, 1)})`,
      );
    }
  }

  const medians = modes.map((mode) => {
    const list = results.get(mode)!;
    const cpu = (pick: (r: RunResult) => number | undefined) => {
      const values = list.map(pick).filter((v): v is number => v !== undefined);
      return values.length ? median(values) : undefined;
    };
    return {
      mode,
      perSecond: median(list.map((r) => r.perSecond)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      peakRssMb: median(list.map((r) => r.peakRssMb)),
      serverCpuUsPerInstance: cpu((r) => r.serverCpuUsPerInstance),
      clientCpuUsPerInstance: cpu((r) => r.clientCpuUsPerInstance),
    };
  });
  const inProcess = medians[0]!.perSecond;
  const header = [
    'driven by',
    'instances/s',
    'p50 ms',
    'p99 ms',
    'vs in-process',
    'engine RSS MB',
    'CPU µs/inst',
  ];
  const rows = medians.map((m) => [
    LABELS[m.mode],
    fmt(m.perSecond, 0),
    fmt(m.p50, 1),
    fmt(m.p99, 1),
    `${fmt(m.perSecond / inProcess, 2)}×`,
    fmt(m.peakRssMb, 0),
    m.serverCpuUsPerInstance === undefined
      ? '—'
      : `${fmt(m.serverCpuUsPerInstance, 0)} + ${fmt(m.clientCpuUsPerInstance!, 0)}`,
  ]);
  console.log(`\nMedians of ${runs} runs (${instances} instances each, concurrency ${concurrency}):`);
  printTable(header, rows);
  console.log(
    '\nin-process: bench/three-tasks.ts --child baton-sqlite (createEngine SQLite FULL, createWorker per type,' +
      '\ncreateInstanceWithResult). gRPC: `baton start` (SQLite FULL, read model attached) in its own process;' +
      '\nthis process runs the @camunda8/sdk client: createProcessInstanceWithResult per instance and, per job' +
      '\ntype, createWorker (maxJobsToActivate = concurrency) or streamJobs; handlers complete at once.' +
      '\nCPU µs/inst: server + client process CPU time over the measured instances (2 cores in all).',
  );
  if (args.includes('--json')) {
    console.log(
      JSON.stringify({ instances, concurrency, runs, medians, results: Object.fromEntries(results) }),
    );
  }
}

/** The in-process figure: bench/three-tasks.ts's own child, Baton SQLite FULL. */
function spawnInProcess(): Promise<RunResult> {
  const script = fileURLToPath(new URL('./three-tasks.ts', import.meta.url));
  return spawnChild(script, [
    '--child',
    'baton-sqlite',
    '--instances',
    String(instances),
    '--concurrency',
    String(concurrency),
    '--warmup',
    String(warmup),
  ]).then((r) => ({ ...r, mode: 'in-process' }));
}

function spawnGrpc(mode: Exclude<Mode, 'in-process'>): Promise<RunResult> {
  const kind = mode === 'grpc-poll' ? 'poll' : 'stream';
  return spawnChild(fileURLToPath(import.meta.url), [
    '--child',
    kind,
    '--instances',
    String(instances),
    '--concurrency',
    String(concurrency),
    '--warmup',
    String(warmup),
    '--poll-interval',
    String(pollInterval),
    '--server',
    server,
  ]);
}

function spawnChild(script: string, childArgs: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, script, ...childArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${script} ${childArgs[1]} failed (exit ${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as RunResult);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// gRPC child: `baton start` as a grandchild, the SDK client and workers here.

interface BatonServer {
  readonly process: ChildProcess;
  readonly grpcPort: number;
  stop(): Promise<number | null>;
}

async function startServer(db: string): Promise<BatonServer> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const entry =
    server === 'dist'
      ? [join(root, 'packages/cli/bin/baton.js')]
      : ['--conditions=baton-src', '--import', 'tsx', join(root, 'packages/cli/src/main.ts')];
  // For profiling: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (Node refuses these in NODE_OPTIONS).
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(
    process.execPath,
    [
      ...nodeArgs,
      ...entry,
      'start',
      '--insecure-no-auth',
      '--grpc-port',
      '0',
      '--http-port',
      '0',
      '--db',
      db,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
  );
  let output = '';
  const grpcPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baton start did not become ready:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /BATON READY grpc=(\d+) http=(\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton start exited with ${code}:\n${output}`));
    });
  });
  // Keep draining its log so that the pipe never fills up.
  proc.stdout!.removeAllListeners('data').resume();
  proc.stderr!.removeAllListeners('data').resume();
  return {
    process: proc,
    grpcPort,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.removeAllListeners('exit');
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}

/** Peak resident set of a process in MB, from /proc (Linux). */
function processPeakRssMb(pid: number): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return hwm ? (Number(hwm[1]) * 1024) / 1e6 : NaN;
}

async function measureGrpc(kind: WorkerKind): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-grpc-'));
  const baton = await startServer(join(dir, 'bench.db'));
  const zeebe = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://localhost:${baton.grpcPort}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: {
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      ZEEBE_GRPC_CLIENT_RETRY: false,
      ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: pollInterval,
    },
  } as never).getZeebeGrpcApiClient();
  const closers: (() => unknown)[] = [];
  try {
    await zeebe.deployResource({ process: Buffer.from(threeTasks()), name: 'three-tasks.bpmn' });
    for (const type of ['task-a', 'task-b', 'task-c']) {
      if (kind === 'poll') {
        const worker = zeebe.createWorker({
          taskType: type,
          maxJobsToActivate: concurrency,
          pollInterval,
          timeout: 60_000,
          taskHandler: (job) => job.complete(),
        });
        closers.push(() => worker.close());
      } else {
        const worker = await zeebe.streamJobs({
          type,
          worker: `bench-${type}`,
          timeout: 60_000,
          tenantIds: ['<default>'],
          taskHandler: (job) => job.complete(),
        });
        closers.push(() => worker.close());
      }
    }
    const startOne = () =>
      zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'three-tasks',
        variables: {},
        requestTimeout: 120_000,
      });
    if (warmup > 0) await closedLoop(warmup, concurrency, startOne);
    const serverCpu = processCpuUs(baton.process.pid!);
    const clientCpu = process.cpuUsage();
    const { seconds, latencies } = await closedLoop(instances, concurrency, startOne);
    const serverCpuUs = processCpuUs(baton.process.pid!) - serverCpu;
    const clientCpuUsed = process.cpuUsage(clientCpu);
    const peakRssMb = processPeakRssMb(baton.process.pid!);
    latencies.sort();
    return {
      mode: `grpc-${kind}`,
      instances,
      seconds,
      perSecond: instances / seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      peakRssMb,
      serverCpuUsPerInstance: serverCpuUs / instances,
      clientCpuUsPerInstance: (clientCpuUsed.user + clientCpuUsed.system) / instances,
    };
  } finally {
    await Promise.all(closers.map((close) => close()));
    await zeebe.close();
    const code = await baton.stop();
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) console.error(`baton start exited with ${code}`);
  }
}
