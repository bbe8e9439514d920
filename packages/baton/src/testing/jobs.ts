import type { JobState } from '@baton-engine/engine';
import { partitionOfKey } from '@baton-engine/engine';
import type { Engine } from '../engine.js';
import { partitionsOf } from '../internal.js';

/** A job as it stands now, for inspection in tests. */
export interface TestJob {
  readonly key: string;
  readonly type: string;
  /** `ACTIVATABLE`, `ACTIVATED` (a worker has it), `FAILED` (with retries: activatable again), `BACKOFF`, `ERROR_THROWN`. */
  readonly state: JobState;
  readonly retries: number;
  /** The worker that activated it last, "" when none did. */
  readonly worker: string;
  /** Epoch ms when an activated job times out; -1 otherwise. */
  readonly deadline: number;
  /** Epoch ms when a job in back-off becomes activatable; -1 otherwise. */
  readonly recurringTime: number;
  readonly errorMessage: string;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly bpmnProcessId: string;
}

/** The jobs among `keys` that still exist, read from their partitions' state, in key order. */
export function liveJobs(engine: Engine, keys: Iterable<string>): TestJob[] {
  const jobs: TestJob[] = [];
  for (const key of keys) {
    const partition = partitionsOf(engine)[partitionOfKey(key) - 1];
    const job = partition?.engineState.job(key);
    if (!job) continue;
    const v = job.value;
    jobs.push({
      key,
      type: v.type,
      state: job.state,
      retries: v.retries,
      worker: v.worker,
      deadline: v.deadline,
      recurringTime: v.recurringTime,
      errorMessage: v.errorMessage,
      customHeaders: v.customHeaders,
      elementId: v.elementId,
      elementInstanceKey: v.elementInstanceKey,
      processInstanceKey: v.processInstanceKey,
      bpmnProcessId: v.bpmnProcessId,
    });
  }
  return jobs.sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : 1));
}

/** How many jobs of each type a worker could activate right now, over all partitions. */
export function activatableCounts(engine: Engine, types: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of types) {
    let count = 0;
    for (const partition of partitionsOf(engine)) {
      for (const _ of partition.engineState.activatableJobs(type)) count++;
    }
    if (count > 0) counts.set(type, count);
  }
  return counts;
}
