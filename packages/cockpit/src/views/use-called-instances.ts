import { useMemo } from 'react';
import { calledPerElement, callersOf, knownCallers, newestFirst } from '../api/called-instances';
import type { CalledInstance } from '../api/called-instances';
import type { InstanceDetails } from '../api/types';
import { useResource } from '../live';

/**
 * The child instances of an instance, per call activity that started them (most recent first). Each new child
 * is asked once which element instance called it; until it answers, the children already known are shown.
 */
export function useCalledInstances(
  details: InstanceDetails | undefined,
): ReadonlyMap<string, CalledInstance[]> {
  const childKeys = (details?.children.map((c) => c.key) ?? []).sort(newestFirst).join(',');
  const callers = useResource(
    `called:${details?.instance.key ?? ''}:${childKeys}`,
    (signal) => callersOf(childKeys ? childKeys.split(',') : [], signal),
    () => false,
  );
  const loaded = callers.data;
  const callerOf = useMemo(
    () => loaded ?? knownCallers(childKeys ? childKeys.split(',') : []),
    [loaded, childKeys],
  );
  return useMemo(
    () => (details ? calledPerElement(details, callerOf) : new Map<string, CalledInstance[]>()),
    [details, callerOf],
  );
}
