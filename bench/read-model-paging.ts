// Benchmark (issue 7): searches over the read model with 100,000 process instances in it.
// Target: a page of 50 from 100,000 instances in under 100 ms.
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/read-model-paging.ts [--instances N] [--repeats R]
// Fills an in-memory engine through its public API (a third of the instances complete at once, the others wait
// for a message), lets the read model (a SQLite file in a temp directory) follow it, then times each query R
// times (default 21) and prints the median and the worst.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, createProcess } from '@baton-engine/baton';
import { ReadModel } from '@baton-engine/read-model';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const instances = option('instances', 100_000);
const repeats = option('repeats', 21);

const dir = mkdtempSync(join(tmpdir(), 'baton-rm-bench-'));
// 500 lanes at once: no back-pressure, which would refuse some of them (this measures paging, not admission).
const engine = await createEngine({ store: 'memory', backPressure: false });
const readModel = await ReadModel.attach(engine, { path: join(dir, 'read-model.db') });
const xml = await createProcess('order')
  .startEvent()
  .exclusiveGateway('express')
  .condition('= tier = "gold"')
  .endEvent('done')
  .moveToLastGateway()
  .defaultFlow()
  .intermediateCatchEvent('paid', { message: { name: 'paid', correlationKey: '= orderId' } })
  .endEvent('shipped')
  .toXml();
await engine.deploy({ name: 'order.bpmn', xml });

const fillStart = performance.now();
const concurrency = 500;
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < instances) {
      const n = next++;
      await engine.createInstance('order', { orderId: `A-${n}`, tier: n % 3 === 0 ? 'gold' : 'std', n });
    }
  }),
);
await engine.flush();
const fillSeconds = (performance.now() - fillStart) / 1000;

const definitionKey = String(((await readModel.processDefinitions())[0] as { key: string }).key);
const queries: [string, () => Promise<unknown>][] = [
  ['page 1 of 50, newest first', () => readModel.searchInstances({ pageSize: 50 })],
  ['page 1 of 50, ACTIVE only', () => readModel.searchInstances({ state: 'ACTIVE', pageSize: 50 })],
  ['page 1,000 of 50 (deep offset)', () => readModel.searchInstances({ page: 1000, pageSize: 50 })],
  [
    'by process id + COMPLETED, oldest first',
    () =>
      readModel.searchInstances({ bpmnProcessId: 'order', state: 'COMPLETED', order: 'asc', pageSize: 50 }),
  ],
  [
    'by variable orderId = "A-77777"',
    () => readModel.searchInstances({ variableName: 'orderId', variableValue: 'A-77777', pageSize: 50 }),
  ],
  [
    'one instance with its history',
    async () =>
      readModel.instance(
        String(((await readModel.searchInstances({ pageSize: 1 })).items[0] as { key: string }).key),
      ),
  ],
  ['element statistics of the definition', () => readModel.elementCounts(definitionKey)],
  ['dashboard', () => readModel.dashboard()],
];

console.log(
  `read model with ${instances.toLocaleString('en')} instances (filled in ${fillSeconds.toFixed(1)} s)`,
);
console.log('| query | median ms | worst ms |');
console.log('| --- | ---: | ---: |');
for (const [name, query] of queries) {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await query();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `| ${name} | ${times[Math.floor(times.length / 2)]!.toFixed(2)} | ${times[times.length - 1]!.toFixed(2)} |`,
  );
}
await engine.close();
await readModel.close();
rmSync(dir, { recursive: true, force: true });
