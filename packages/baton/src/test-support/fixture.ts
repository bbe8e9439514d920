import type { ActivatedJob, LoggedRecord } from '@baton-engine/engine';
import type { StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import type { Engine, EngineOptions } from '../engine.js';
import { createEngine } from '../engine.js';
import { ControlledClock } from '../runtime/clock.js';

/** An in-memory engine on a controlled clock, with the records it committed. */
export interface Fixture {
  readonly engine: Engine;
  readonly clock: ControlledClock;
  readonly factory: StoreFactory;
  readonly records: LoggedRecord[];
}

export async function memoryEngine(options: EngineOptions = {}): Promise<Fixture> {
  const clock = new ControlledClock();
  const factory = createMemoryStoreFactory();
  const engine = await createEngine({ store: factory, clock, ...options });
  const records: LoggedRecord[] = [];
  engine.onRecords((batch) => records.push(...batch));
  return { engine, clock, factory, records };
}

/** Activates exactly one job of a type (failing the test when there is none). */
export async function activateOne(engine: Engine, type: string, timeout = 60_000): Promise<ActivatedJob> {
  const [job] = await engine.activateJobs({ type, worker: 'test', timeout, maxJobsToActivate: 1 });
  if (!job) throw new Error(`no activatable job of type '${type}'`);
  return job;
}

/** Polls until the predicate holds (bounded), for effects that arrive with a later batch. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The events of one process instance, as "elementId:INTENT" strings, for readable assertions. */
export function trail(records: readonly LoggedRecord[], processInstanceKey: string): string[] {
  return records
    .filter(
      (r) =>
        r.recordType === 'EVENT' &&
        r.valueType === 'PROCESS_INSTANCE' &&
        r.value.processInstanceKey === processInstanceKey &&
        r.intent !== 'SEQUENCE_FLOW_TAKEN',
    )
    .map((r) => `${r.valueType === 'PROCESS_INSTANCE' ? r.value.elementId : ''}:${r.intent}`);
}

/** True when the process instance has completed (its process element reached ELEMENT_COMPLETED). */
export function completed(records: readonly LoggedRecord[], processInstanceKey: string): boolean {
  return records.some(
    (r) =>
      r.valueType === 'PROCESS_INSTANCE' &&
      r.intent === 'ELEMENT_COMPLETED' &&
      r.key === processInstanceKey &&
      r.value.flowScopeKey === '-1',
  );
}
