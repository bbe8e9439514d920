import { useMemo } from 'react';
import { calledPerElement } from '../api/called-instances';
import type { CalledInstance } from '../api/called-instances';
import type { InstanceDetails } from '../api/types';

/**
 * The child instances of an instance, per call activity that started them (most recent first), from the
 * instance details alone: each child names the element instance that called it.
 */
export function useCalledInstances(
  details: InstanceDetails | undefined,
): ReadonlyMap<string, CalledInstance[]> {
  return useMemo(
    () => (details ? calledPerElement(details) : new Map<string, CalledInstance[]>()),
    [details],
  );
}
