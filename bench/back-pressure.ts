// Benchmark (issue 14 item 7): a burst of createInstance calls on one SQLite partition (synchronous FULL),
// with back-pressure on latency (the default, `aimd`) and with only the fixed 10,000-command queue
// (`backPressure: false`, the behaviour before). Prints admitted and refused counts, the latency of the
// admitted commands (submission to answer), how long refusals took, and the longest event-loop stall (what a
// Topology or health request waits at worst). Runs are interleaved; the table shows medians.
// Run: node --conditions=baton-src --import tsx bench/back-pressure.ts [--bursts 20000,50000] [--runs 3]
//        [--slice 1000] [--modes adaptive,queue] [--initial-limit N] [--target MS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EngineOptions } from '@baton-engine/baton';
import { BatonError, createEngine } from '@baton-engine/baton';
import { oneTask } from '../packages/baton/src/test-support/models.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const bursts = arg('bursts', '20000,50000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
// Commands submitted per macrotask: a gateway receives a burst over many ticks, not in one.
const slice = Number(arg('slice', '1000'));
const modes = arg('modes', 'adaptive,queue').split(',') as Mode[];
// Back-pressure options of the adaptive runs (the engine's defaults unless given).
const initialLimit = args.includes('--initial-limit') ? Number(arg('initial-limit', '')) : undefined;
const targetLatencyMs = args.includes('--target') ? Number(arg('target', '')) : undefined;

type Mode = 'adaptive' | 'queue';
const OPTIONS: Record<Mode, Partial<EngineOptions>> = {
  adaptive: {
    backPressure: {
      ...(initialLimit === undefined ? {} : { initialLimit }),
      ...(targetLatencyMs === undefined ? {} : { targetLatencyMs }),
    },
  },
  queue: { backPressure: false },
};

interface Result {
  admitted: number;
  refused: number;
  p50: number;
  p99: number;
  max: number;
  refusedMaxMs: number;
  stallMs: number;
  seconds: number;
  finalLimit: number | undefined;
}

async function run(mode: Mode, burst: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-bp-'));
  try {
    const engine = await createEngine({ path: join(dir, 'bp.db'), ...OPTIONS[mode] });
    await engine.deploy(oneTask('p', 'work'));
    // Warm-up: JIT and the SQLite writer.
    for (let i = 0; i < 5; i++)
      await Promise.all(Array.from({ length: 200 }, () => engine.createInstance('p')));
    const latencies: number[] = [];
    const refusals: number[] = [];
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const outcomes: Promise<void>[] = [];
    for (let sent = 0; sent < burst; sent += slice) {
      for (let i = sent; i < Math.min(burst, sent + slice); i++) {
        const t0 = performance.now();
        outcomes.push(
          engine.createInstance('p').then(
            () => void latencies.push(performance.now() - t0),
            (error: unknown) => {
              if (!(error instanceof BatonError) || error.code !== 'RESOURCE_EXHAUSTED') throw error;
              refusals.push(performance.now() - t0);
            },
          ),
        );
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(outcomes);
    const seconds = (performance.now() - started) / 1000;
    loop.disable();
    const finalLimit = engine.health().partitions[0]!.backPressure.limit;
    await engine.close();
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      admitted: latencies.length,
      refused: refusals.length,
      p50: at(0.5),
      p99: at(0.99),
      max: latencies[latencies.length - 1] ?? 0,
      refusedMaxMs: Math.max(0, ...refusals),
      stallMs: loop.max / 1e6,
      seconds,
      finalLimit,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = new Map<string, Result[]>();
for (let r = 0; r < runs; r++) {
  for (const burst of bursts) {
    for (const mode of modes) {
      const result = await run(mode, burst);
      const key = `${burst} ${mode}`;
      results.set(key, [...(results.get(key) ?? []), result]);
      console.error(
        `run ${r + 1} ${key}: ${JSON.stringify(result, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
      );
    }
  }
}
const header = [
  'burst',
  'back-pressure',
  'admitted',
  'refused',
  'p50 ms',
  'p99 ms',
  'max ms',
  'refused within ms',
  'max stall ms',
  'burst s',
];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
for (const [key, list] of results) {
  const [burst, mode] = key.split(' ');
  const m = (pick: (r: Result) => number) => Math.round(median(list.map(pick))).toLocaleString('en-US');
  const label =
    mode === 'adaptive'
      ? `adaptive (aimd, ${targetLatencyMs ?? 200} ms, from ${initialLimit ?? 500})`
      : 'queue only (10,000)';
  console.log(
    `| ${Number(burst).toLocaleString('en-US')} | ${label} | ${m((r) => r.admitted)} | ${m((r) => r.refused)} | ${m((r) => r.p50)} | ${m((r) => r.p99)} | ${m((r) => r.max)} | ${m((r) => r.refusedMaxMs)} | ${m((r) => r.stallMs)} | ${median(list.map((r) => r.seconds)).toFixed(1)} |`,
  );
}
