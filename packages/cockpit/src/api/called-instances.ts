import { api } from './client';
import type { InstanceDetails } from './types';
import { isKey } from './types';

/**
 * Which element instance of its parent (the call activity) started each child instance. The instance details
 * list a parent's children without it, so it is read from each child's own details
 * (`instance.parentElementInstanceKey`). It never changes: each child is asked once per page load.
 */
const callers = new Map<string, string | null>();

/** At most this many children (the newest) are asked about; older ones stay in the list of child instances. */
export const MAX_RESOLVED_CHILDREN = 100;
const PARALLEL = 4;

/** Compares keys as the integers they are, newest (largest) first. */
export function newestFirst(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x > y ? -1 : 1;
}

/** The calling element instance key per child key, for the newest {@link MAX_RESOLVED_CHILDREN} children. */
export async function callersOf(
  childKeys: readonly string[],
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, string>> {
  const wanted = [...childKeys].sort(newestFirst).slice(0, MAX_RESOLVED_CHILDREN);
  const missing = wanted.filter((key) => !callers.has(key));
  const ask = async () => {
    for (let key = missing.shift(); key !== undefined; key = missing.shift()) {
      try {
        const { instance } = await api.get<InstanceDetails>(
          `/v1/process-instances/${key}`,
          undefined,
          signal,
        );
        callers.set(key, isKey(instance.parentElementInstanceKey) ? instance.parentElementInstanceKey : null);
      } catch (error) {
        // A child that cannot be read now is left out (and asked again next time); only an abort stops all.
        if (signal?.aborted) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, missing.length) }, ask));
  return knownCallers(wanted);
}

/** The callers already known (no request): what to show while {@link callersOf} asks about new children. */
export function knownCallers(childKeys: readonly string[]): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  for (const key of childKeys) {
    const caller = callers.get(key);
    if (caller) found.set(key, caller);
  }
  return found;
}

/** A child instance, placed on the call activity that started it. */
export interface CalledInstance {
  readonly key: string;
  readonly bpmnProcessId: string;
  readonly state: string;
  /** The call activity's element id in the parent. */
  readonly elementId: string;
}

/**
 * Per call activity (element id): the child instances it started, the most recent call first (a loop or a
 * multi-instance call activity starts several). Children whose caller is unknown are left out.
 */
export function calledPerElement(
  details: Pick<InstanceDetails, 'children' | 'elements'>,
  callerOf: ReadonlyMap<string, string>,
): Map<string, CalledInstance[]> {
  const position = new Map(details.elements.map((e, index) => [e.key, { elementId: e.elementId, index }]));
  const found: { instance: CalledInstance; index: number }[] = [];
  for (const child of details.children) {
    const caller = position.get(callerOf.get(child.key) ?? '');
    if (caller) found.push({ instance: { ...child, elementId: caller.elementId }, index: caller.index });
  }
  found.sort((a, b) => b.index - a.index || newestFirst(a.instance.key, b.instance.key));
  const perElement = new Map<string, CalledInstance[]>();
  for (const { instance } of found) {
    const list = perElement.get(instance.elementId) ?? [];
    list.push(instance);
    perElement.set(instance.elementId, list);
  }
  return perElement;
}
