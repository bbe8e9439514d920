import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableElement } from '../../model/executable.js';
import type { Result } from '../../expressions/feel.js';
import { failure, feelTypeName, ok } from '../../expressions/feel.js';
import type { ElementContext } from '../element-context.js';
import { evaluateInScope, evaluateString } from './expressions.js';
import { scheduleOf } from './timer-schedule.js';
import { NO_VARIABLES } from '../../records/variable.js';
import { MessageSubscription, Timer } from '../../state/wait-state.js';
import type { Wait } from '../../state/wait-state.js';

/** A subscription to open: which event it triggers and what it waits for, evaluated. */
type Opening =
  | { kind: 'timer'; target: ExecutableElement; dueDate: number; repetitions: number; cycle: string }
  | { kind: 'message'; target: ExecutableElement; messageName: string; correlationKey: string }
  | { kind: 'signal'; target: ExecutableElement; signalName: string };

/**
 * The events an element instance waits for while it is active: itself (a catch event or receive task),
 * its boundary events, the targets of an event-based gateway, and the start events of a container's
 * event sub-processes. Errors and escalations need no subscription: throwing searches for catchers.
 */
function waitedEvents(el: ElementContext): ExecutableElement[] {
  const { element, process } = el;
  const out: ExecutableElement[] = [];
  if (
    (element.type === 'INTERMEDIATE_CATCH_EVENT' && element.eventDefinition?.kind !== 'link') ||
    element.type === 'RECEIVE_TASK'
  ) {
    out.push(element);
  }
  // The boundary events of a multi-instance activity belong to its body, not to each inner instance.
  const innerInstance =
    element.multiInstance !== undefined && el.value.bpmnElementType !== 'MULTI_INSTANCE_BODY';
  if (!innerInstance) for (const id of element.boundaryEventIds ?? []) out.push(process.elements[id]!);
  if (element.type === 'EVENT_BASED_GATEWAY') {
    for (const flowId of element.outgoing) out.push(process.elements[process.flows[flowId]!.targetId]!);
  }
  for (const id of element.eventSubProcessIds ?? []) {
    const start = process.elements[process.elements[id]!.eventStartId ?? ''];
    if (start) out.push(start);
  }
  return out.filter((e) => ['timer', 'message', 'signal'].includes(e.eventDefinition?.kind ?? ''));
}

/** Evaluates what each waited event needs (timer values, message names and correlation keys). */
function evaluateOpenings(ctx: ProcessingContext, el: ElementContext): Result<Opening[]> {
  const openings: Opening[] = [];
  for (const target of waitedEvents(el)) {
    const definition = target.eventDefinition;
    if (definition?.kind === 'timer') {
      const text = evaluateString(ctx, el.key, definition.value);
      if (!text.ok) return text;
      const schedule = scheduleOf(definition, text.value, ctx.timestamp);
      if (!schedule.ok) return failure(`${schedule.message} (timer of '${target.id}')`);
      openings.push({ kind: 'timer', target, ...schedule.value });
    } else if (definition?.kind === 'message') {
      const name = evaluateString(ctx, el.key, definition.messageName);
      if (!name.ok) return name;
      const key = correlationKeyOf(ctx, el.key, definition.correlationKey ?? 'null');
      if (!key.ok) return failure(`${key.message} (message '${name.value}' of '${target.id}')`);
      openings.push({ kind: 'message', target, messageName: name.value, correlationKey: key.value });
    } else if (definition?.kind === 'signal') {
      const name = evaluateString(ctx, el.key, definition.signalName);
      if (!name.ok) return name;
      openings.push({ kind: 'signal', target, signalName: name.value });
    }
  }
  return ok(openings);
}

function correlationKeyOf(ctx: ProcessingContext, scopeKey: string, expression: string): Result<string> {
  const result = evaluateInScope(ctx, scopeKey, expression);
  if (!result.ok) return result;
  if (typeof result.value === 'string') return ok(result.value);
  if (typeof result.value === 'number') return ok(String(result.value));
  return failure(
    `Failed to extract the correlation key for '${expression}': The value must be either a string or a number, but was '${feelTypeName(result.value)}'.`,
  );
}

/** Opens every subscription of an element instance; nothing is written when an evaluation fails. */
export function openSubscriptions(ctx: ProcessingContext, el: ElementContext): Result<void> {
  const openings = evaluateOpenings(ctx, el);
  if (!openings.ok) return openings;
  // Explicit literals, not `{ ...common, … }`: on Node 20 a spread that adds properties gives every result a
  // hidden class of its own (microseconds, and hundreds of bytes per waiting subscription kept in the state).
  const elementInstanceKey = el.key;
  const { processInstanceKey, processDefinitionKey, bpmnProcessId } = el.value;
  for (const opening of openings.value) {
    const targetElementId = opening.target.id;
    const interrupting = opening.target.interrupting !== false;
    if (opening.kind === 'timer') {
      const { dueDate, repetitions, cycle } = opening;
      ctx.appendEvent(ctx.nextKey(), {
        valueType: 'TIMER',
        intent: 'CREATED',
        value: {
          elementInstanceKey,
          processInstanceKey,
          processDefinitionKey,
          bpmnProcessId,
          targetElementId,
          dueDate,
          repetitions,
          cycle,
        },
      });
    } else if (opening.kind === 'message') {
      ctx.appendEvent(ctx.nextKey(), {
        valueType: 'MESSAGE_SUBSCRIPTION',
        intent: 'CREATED',
        value: {
          elementInstanceKey,
          processInstanceKey,
          processDefinitionKey,
          bpmnProcessId,
          targetElementId,
          messageName: opening.messageName,
          correlationKey: opening.correlationKey,
          interrupting,
          messageKey: '-1',
          variables: NO_VARIABLES,
        },
      });
    } else {
      ctx.appendEvent(ctx.nextKey(), {
        valueType: 'SIGNAL_SUBSCRIPTION',
        intent: 'CREATED',
        value: {
          elementInstanceKey,
          processInstanceKey,
          processDefinitionKey,
          bpmnProcessId,
          targetElementId,
          signalName: opening.signalName,
          interrupting,
        },
      });
    }
  }
  return ok(undefined);
}

/** Closes every timer and subscription an element instance owns (it completed, was terminated or triggered). */
export function closeSubscriptions(ctx: ProcessingContext, ownerKey: string): void {
  for (const wait of ctx.state.waits.waitsOf(ownerKey)) closeWait(ctx, wait);
}

/** Writes the event that closes one timer (CANCELED) or subscription (DELETED). */
export function closeWait(ctx: ProcessingContext, wait: Wait): void {
  if (wait instanceof Timer)
    ctx.appendEvent(wait.key, { valueType: 'TIMER', intent: 'CANCELED', value: wait.value });
  else if (wait instanceof MessageSubscription)
    ctx.appendEvent(wait.key, { valueType: 'MESSAGE_SUBSCRIPTION', intent: 'DELETED', value: wait.value });
  else ctx.appendEvent(wait.key, { valueType: 'SIGNAL_SUBSCRIPTION', intent: 'DELETED', value: wait.value });
}
