import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableElement } from '../../model/executable.js';
import type { ElementInstance, ProcessDefinition } from '../../state/types.js';
import { MessageSubscription, Timer } from '../../state/wait-state.js';
import { closeWait } from '../../bpmn/behaviors/event-subscriptions.js';

/**
 * The event in the target that a waited event maps to: as mapped, or, for boundary events and the start
 * events of event sub-processes (which are never active themselves), the element with the same id.
 */
function mappedEvent(
  event: ExecutableElement,
  target: ProcessDefinition,
  mapping: ReadonlyMap<string, string>,
): string | undefined {
  const mapped = mapping.get(event.id);
  if (mapped !== undefined) return mapped;
  return event.type === 'BOUNDARY_EVENT' || event.type === 'START_EVENT'
    ? target.executable.elements[event.id] && event.id
    : undefined;
}

/** Why the waits of an element instance cannot move to the target, or undefined when they can. */
export function waitsProblem(
  ctx: ProcessingContext,
  instance: Readonly<ElementInstance>,
  target: ProcessDefinition,
  mapping: ReadonlyMap<string, string>,
): string | undefined {
  const source = ctx.state.processByKey(instance.value.processDefinitionKey);
  if (!source) return undefined;
  const movedTo = new Set<string>();
  for (const wait of ctx.state.waits.waitsOf(instance.key)) {
    const event = source.executable.elements[wait.targetElementId];
    if (!event) continue;
    const targetId = mappedEvent(event, target, mapping);
    const mapped = targetId === undefined ? undefined : target.executable.elements[targetId];
    if (!mapped)
      return `the element '${instance.value.elementId}' waits for the event '${event.id}', which is not mapped to an event of the target`;
    const a = event.eventDefinition;
    const b = mapped.eventDefinition;
    if (mapped.type !== event.type || a?.kind !== b?.kind)
      return `the event '${event.id}' is mapped to '${mapped.id}', which is not the same kind of event`;
    if (
      a?.kind === 'message' &&
      b?.kind === 'message' &&
      JSON.stringify(a.messageName) !== JSON.stringify(b.messageName)
    )
      return `the event '${event.id}' is mapped to '${mapped.id}', which waits for another message`;
    if (
      a?.kind === 'signal' &&
      b?.kind === 'signal' &&
      JSON.stringify(a.signalName) !== JSON.stringify(b.signalName)
    )
      return `the event '${event.id}' is mapped to '${mapped.id}', which waits for another signal`;
    if (event.type === 'BOUNDARY_EVENT' && mapped.attachedToId !== mapping.get(instance.value.elementId))
      return `the boundary event '${event.id}' is mapped to '${mapped.id}', which is attached to another activity`;
    movedTo.add(mapped.id);
  }
  // The target's element must not wait for more than the instance does: those events would never come.
  const targetElement = target.executable.elements[mapping.get(instance.value.elementId) ?? ''];
  const eventStarts = (targetElement?.eventSubProcessIds ?? []).map(
    (id) => target.executable.elements[id]?.eventStartId ?? '',
  );
  for (const id of [...(targetElement?.boundaryEventIds ?? []), ...eventStarts]) {
    const event = target.executable.elements[id];
    const waited = ['timer', 'message', 'signal'].includes(event?.eventDefinition?.kind ?? '');
    if (waited && !movedTo.has(id)) {
      const what = event!.type === 'BOUNDARY_EVENT' ? 'boundary event' : 'event sub-process start event';
      return `the target element '${targetElement!.id}' has the ${what} '${id}', which nothing in the instance maps to`;
    }
  }
  return undefined;
}

/** Moves the timers and subscriptions of a (checked) element instance to the target's events. */
export function migrateWaits(
  ctx: ProcessingContext,
  instance: Readonly<ElementInstance>,
  target: ProcessDefinition,
  mapping: ReadonlyMap<string, string>,
): void {
  const source = ctx.state.processByKey(instance.value.processDefinitionKey);
  if (!source) return;
  const common = { processDefinitionKey: target.key, bpmnProcessId: target.bpmnProcessId };
  for (const wait of ctx.state.waits.waitsOf(instance.key)) {
    const targetElementId = mappedEvent(source.executable.elements[wait.targetElementId]!, target, mapping)!;
    // Whether catching it interrupts is the target event's to say.
    const interrupting = target.executable.elements[targetElementId]!.interrupting !== false;
    closeWait(ctx, wait);
    if (wait instanceof Timer) {
      ctx.appendEvent(ctx.nextKey(), {
        valueType: 'TIMER',
        intent: 'CREATED',
        value: { ...wait.value, ...common, targetElementId },
      });
    } else if (wait instanceof MessageSubscription) {
      ctx.appendEvent(ctx.nextKey(), {
        valueType: 'MESSAGE_SUBSCRIPTION',
        intent: 'CREATED',
        value: { ...wait.value, ...common, targetElementId, interrupting },
      });
    } else {
      ctx.appendEvent(ctx.nextKey(), {
        valueType: 'SIGNAL_SUBSCRIPTION',
        intent: 'CREATED',
        value: { ...wait.value, ...common, targetElementId, interrupting },
      });
    }
  }
}

/**
 * Why the compensation subscriptions kept in a scope (completed activities that can still be compensated)
 * cannot move to the target, or undefined when they can: each activity must be in the target (as mapped, or
 * by its id) with a compensation handler.
 */
export function compensationProblem(
  ctx: ProcessingContext,
  scopeKey: string,
  target: ProcessDefinition,
  mapping: ReadonlyMap<string, string>,
): string | undefined {
  for (const s of ctx.state.compensationsIn(scopeKey)) {
    const targetId = mapping.get(s.value.elementId) ?? s.value.elementId;
    const handler = target.executable.elements[targetId]?.compensationHandlerId;
    if (!handler) {
      return `the completed activity '${s.value.elementId}' can still be compensated, but the target has no activity '${targetId}' with a compensation handler`;
    }
    if (s.value.throwEventKey !== '-1')
      return `the activity '${s.value.elementId}' is being compensated; migrate after its compensation`;
    const parked = compensationProblem(ctx, s.value.elementInstanceKey, target, mapping);
    if (parked) return parked;
  }
  return undefined;
}

/** Re-creates a scope's compensation subscriptions on the target's activities and handlers (checked before). */
export function migrateCompensations(
  ctx: ProcessingContext,
  scopeKey: string,
  target: ProcessDefinition,
  mapping: ReadonlyMap<string, string>,
): void {
  for (const s of ctx.state.compensationsIn(scopeKey)) {
    const elementId = mapping.get(s.value.elementId) ?? s.value.elementId;
    const handlerId = target.executable.elements[elementId]!.compensationHandlerId!;
    // Kept for a compensation event sub-process under the completed sub-process's key: those move too.
    migrateCompensations(ctx, s.value.elementInstanceKey, target, mapping);
    ctx.appendEvent(s.key, { valueType: 'COMPENSATION_SUBSCRIPTION', intent: 'DELETED', value: s.value });
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'COMPENSATION_SUBSCRIPTION',
      intent: 'CREATED',
      value: {
        ...s.value,
        elementId,
        handlerId,
        processDefinitionKey: target.key,
        bpmnProcessId: target.bpmnProcessId,
      },
    });
  }
}
