// Benchmark (issue 4): N instances waiting on a message or a timer on one SQLite node.
// Prints working-state bytes per waiting instance, restart time (snapshot + replay), and the throughput of
// correlating messages to them. Run: node --conditions=baton-src --import tsx --expose-gc bench/waiting-instances.ts [--instances N]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@baton-engine/baton';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const total = arg('instances', 100_000);
const concurrency = arg('concurrency', 2_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
<bpmn:message id="m" name="go"><bpmn:extensionElements><zeebe:subscription correlationKey="=id"/></bpmn:extensionElements></bpmn:message>
<bpmn:process id="waiting" isExecutable="true">
  <bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="g"/>
  <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="timer"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P14D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
  <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/><bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="msg"/>
  <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="timer"/><bpmn:sequenceFlow id="f3" sourceRef="msg" targetRef="e1"/>
  <bpmn:sequenceFlow id="f4" sourceRef="timer" targetRef="e2"/>
</bpmn:process></bpmn:definitions>`;

const dir = mkdtempSync(join(tmpdir(), 'baton-bench-wait-'));
const path = join(dir, 'wait.db');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
try {
  // Thousands at once: no back-pressure, which would refuse some of them (this measures memory, not admission).
  let engine = await createEngine({
    path,
    synchronous: 'NORMAL',
    snapshotEveryRecords: 1e12,
    backPressure: false,
  });
  await engine.deploy(xml);
  const before = heap();
  let started = Date.now();
  for (let offset = 0; offset < total; offset += concurrency) {
    const n = Math.min(concurrency, total - offset);
    await Promise.all(
      Array.from({ length: n }, (_, i) => engine.createInstance('waiting', { id: `k${offset + i}` })),
    );
  }
  const createSeconds = (Date.now() - started) / 1000;
  const perInstance = (heap() - before) / total;
  started = Date.now();
  await engine.close(); // takes the snapshot
  const closeSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  engine = await createEngine({ path, snapshotEveryRecords: 1e12, backPressure: false });
  const restartSeconds = (Date.now() - started) / 1000;
  // The same instances restored from the snapshot, against the same baseline (an engine with the process).
  const restoredPerInstance = (heap() - before) / total;
  // Each waiting instance is two element instances: the process and its event-based gateway.
  const waiting = engine.stats().partitions[0]!.elementInstances / 2;
  const sample = Math.min(total, 20_000);
  started = Date.now();
  for (let offset = 0; offset < sample; offset += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, i) => engine.publishMessage('go', `k${offset + i}`)));
  }
  const correlateSeconds = (Date.now() - started) / 1000;
  await engine.flush();
  const stillWaiting = engine.stats().partitions[0]!.elementInstances / 2;
  await engine.close();
  const row = (k: string, v: string) => console.log(`${k.padEnd(44)} ${v}`);
  row('waiting instances', `${total} (after restart: ${waiting}, after correlating: ${stillWaiting})`);
  row('creation', `${(total / createSeconds).toFixed(0)} instances/s (${createSeconds.toFixed(1)} s)`);
  row('working state per waiting instance', `${perInstance.toFixed(0)} bytes of JS heap`);
  row('  the same after the restart', `${restoredPerInstance.toFixed(0)} bytes of JS heap`);
  row('close (snapshot)', `${closeSeconds.toFixed(1)} s; file ${(statSync(path).size / 1e6).toFixed(0)} MB`);
  row('restart (snapshot + replay)', `${restartSeconds.toFixed(1)} s`);
  row('message correlation', `${(sample / correlateSeconds).toFixed(0)} messages/s (${sample} messages)`);
  row('peak RSS of the run', `${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
