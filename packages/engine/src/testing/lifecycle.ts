import type { RecordStream } from './record-stream.js';

/** The events of an element instance that activates and completes, in order. */
export const COMPLETED_LIFECYCLE = [
  'ELEMENT_ACTIVATING',
  'ELEMENT_ACTIVATED',
  'ELEMENT_COMPLETING',
  'ELEMENT_COMPLETED',
] as const;

/** The events of an element instance that is activated and then terminated, in order. */
export const TERMINATED_LIFECYCLE = [
  'ELEMENT_ACTIVATING',
  'ELEMENT_ACTIVATED',
  'ELEMENT_TERMINATING',
  'ELEMENT_TERMINATED',
] as const;

/** `['task:ELEMENT_ACTIVATING', … 'task:ELEMENT_COMPLETED']`: an element's whole lifecycle as trail entries. */
export function lifecycleOf(elementId: string, intents: readonly string[] = COMPLETED_LIFECYCLE): string[] {
  return intents.map((intent) => `${elementId}:${intent}`);
}

export interface LifecycleAssertionOptions {
  /** Expected entries must appear in this order, others may come between them (default: the trail is exactly them). */
  readonly subsequence?: boolean;
  /** Keep `SEQUENCE_FLOW_TAKEN` entries in the trail (default: left out). */
  readonly sequenceFlows?: boolean;
}

/**
 * Asserts the element lifecycle of one process instance: its process instance events as `elementId:INTENT`
 * in log order, exactly as expected (or containing the expected ones in order, with `subsequence`). The error
 * shows the whole actual trail.
 */
export function assertLifecycle(
  records: RecordStream,
  processInstanceKey: string,
  expected: readonly string[],
  options: LifecycleAssertionOptions = {},
): void {
  const trail = records
    .processInstance()
    .withProcessInstanceKey(processInstanceKey)
    .trail()
    .filter((entry) => options.sequenceFlows || !entry.endsWith(':SEQUENCE_FLOW_TAKEN'));
  if (options.subsequence) {
    let next = 0;
    for (const entry of trail) if (entry === expected[next]) next += 1;
    if (next === expected.length) return;
    throw new Error(
      `Expected the lifecycle of instance ${processInstanceKey} to contain, in order:\n  ${expected.join('\n  ')}\n` +
        `but '${expected[next]}' was missing (after ${next} found); the trail is:\n  ${trail.join('\n  ')}`,
    );
  }
  const differs = trail.length !== expected.length || trail.some((entry, i) => entry !== expected[i]);
  if (!differs) return;
  const at = trail.findIndex((entry, i) => entry !== expected[i]);
  const index = at === -1 ? Math.min(trail.length, expected.length) : at;
  throw new Error(
    `Expected the lifecycle of instance ${processInstanceKey} to be:\n  ${expected.join('\n  ')}\n` +
      `but it differs at entry ${index} (expected '${expected[index] ?? '(end)'}', found '${trail[index] ?? '(end)'}'); the trail is:\n  ${trail.join('\n  ')}`,
  );
}
