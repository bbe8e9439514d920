import type { InstanceDetails } from './types';

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
 * multi-instance call activity starts several). Each child names the element instance that started it
 * (`parentElementInstanceKey`, in the instance details); children whose caller is not among the instance's
 * element instances are left out.
 */
export function calledPerElement(
  details: Pick<InstanceDetails, 'children' | 'elements'>,
): Map<string, CalledInstance[]> {
  const position = new Map(details.elements.map((e, index) => [e.key, { elementId: e.elementId, index }]));
  const found: { instance: CalledInstance; index: number }[] = [];
  for (const child of details.children) {
    const caller = position.get(child.parentElementInstanceKey ?? '');
    if (caller)
      found.push({
        instance: {
          key: child.key,
          bpmnProcessId: child.bpmnProcessId,
          state: child.state,
          elementId: caller.elementId,
        },
        index: caller.index,
      });
  }
  // The most recently started calling element instance first; the children come newest first, and the sort
  // is stable, so several children of one element instance keep that order.
  found.sort((a, b) => b.index - a.index);
  const perElement = new Map<string, CalledInstance[]>();
  for (const { instance } of found) {
    const list = perElement.get(instance.elementId) ?? [];
    list.push(instance);
    perElement.set(instance.elementId, list);
  }
  return perElement;
}
