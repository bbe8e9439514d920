// Deployment of large models (issue 14, item 2): a chain of N service tasks and a parallel fork of N
// branches, deployed through an engine (how long, and the longest the engine's thread was held meanwhile),
// then parsed and compiled directly (parse, compile with validation, validation alone).
//   node --conditions=baton-src --import tsx bench/large-models.ts [--sizes 1000,5000,20000]
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { compileProcess } from '../packages/engine/src/model/compile-process.js';
import { validateProcess } from '../packages/engine/src/model/validate-process.js';
import type { ModdleElement } from '../packages/engine/src/model/moddle-element.js';
import { createEngine } from '../packages/baton/src/index.js';
import { parallelFork, taskChain } from '../packages/baton/src/test-support/large-models.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const sizes = (arg('sizes') ?? '1000,5000,20000').split(',').map(Number);
const ms = (from: number) => Math.round(performance.now() - from);
const models = (['chain', 'fork'] as const).flatMap((kind) =>
  sizes.map((n) => {
    const processId = `${kind}-${n}`;
    return {
      kind,
      n,
      processId,
      xml: kind === 'chain' ? taskChain(n, { processId }) : parallelFork(n, { processId }),
      elements: kind === 'chain' ? 2 * n + 3 : 3 * n + 6,
    };
  }),
);

// 1. Through one engine (limit raised so that every size deploys), its deployment thread started by a
// first deployment: the rows measure deploying, not starting a thread (from the TypeScript sources that
// takes a second or two). A timer every 5 ms measures how long the engine's thread was held at most.
const engine = await createEngine({
  store: 'memory',
  deploymentLimits: { maxFlowElementsPerResource: 1_000_000 },
});
await engine.deploy({ name: 'warm-up.bpmn', xml: taskChain(1_000, { processId: 'warm-up' }) });
const deployed = new Map<string, { deploy: number; stall: number }>();
for (const model of models) {
  let stall = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  await engine.deploy({ name: `${model.processId}.bpmn`, xml: model.xml });
  const deploy = ms(started);
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(tick);
  deployed.set(model.processId, { deploy, stall: Math.round(stall) });
  console.error(model.processId, deployed.get(model.processId));
}
await engine.close();

// 2. The steps on their own, on this thread.
const moddle = new BpmnModdle({ zeebe });
const rows: string[] = [
  '| model | N | XML | flow elements | parse | compile (with validation) | of which validation | deploy (engine) | longest stall of the engine thread |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const model of models) {
  let started = performance.now();
  const parsed = await moddle.fromXML(model.xml, 'bpmn:Definitions');
  const parse = ms(started);
  const process = ((parsed.rootElement as unknown as ModdleElement).rootElements as ModdleElement[])[0]!;
  started = performance.now();
  const compiled = compileProcess(process);
  const compile = ms(started);
  let validation = '—';
  if (compiled.ok) {
    started = performance.now();
    validateProcess(compiled.value.bpmnProcessId, compiled.value.elements, compiled.value.flows, []);
    validation = `${ms(started)} ms`;
  }
  const { deploy, stall } = deployed.get(model.processId)!;
  rows.push(
    `| ${model.kind} | ${model.n} | ${(model.xml.length / 1e6).toFixed(2)} MB | ${model.elements} | ${parse} ms | ${compile} ms | ${validation} | ${deploy} ms | ${stall} ms |`,
  );
}
console.log(rows.join('\n'));
