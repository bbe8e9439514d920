import type { ProcessingContext } from '../../processing/processing-context.js';
import type { CompensationSubscription } from '../../state/types.js';
import type { ElementContext } from '../element-context.js';
import { childValue, elementContextOf } from '../element-context.js';
import { command, transition } from './transitions.js';
import { setLocalVariables } from './variables.js';

function write(
  ctx: ProcessingContext,
  s: CompensationSubscription,
  intent: 'TRIGGERED' | 'COMPENSATING' | 'COMPLETED' | 'DELETED',
  changes = {},
) {
  ctx.appendEvent(s.key, {
    valueType: 'COMPENSATION_SUBSCRIPTION',
    intent,
    value: { ...s.value, ...changes },
  });
}

/** An activity with a compensation handler completed: remember it, with the variables it saw. */
export function subscribeCompensation(ctx: ProcessingContext, el: ElementContext): void {
  const handlerId = el.element.compensationHandlerId;
  if (!handlerId) return;
  ctx.appendEvent(ctx.nextKey(), {
    valueType: 'COMPENSATION_SUBSCRIPTION',
    intent: 'CREATED',
    value: {
      elementInstanceKey: el.key,
      elementId: el.element.id,
      flowScopeKey: el.value.flowScopeKey,
      processInstanceKey: el.value.processInstanceKey,
      processDefinitionKey: el.value.processDefinitionKey,
      bpmnProcessId: el.value.bpmnProcessId,
      handlerId,
      variables: ctx.state.visibleVariables(el.key),
      throwEventKey: '-1',
      handlerInstanceKey: '-1',
    },
  });
}

/**
 * A compensation throw or end event: every completed activity of its scope with a handler (or only the named
 * one) is compensated, newest first, one after the other. Returns false when there was nothing to compensate.
 */
export function throwCompensation(ctx: ProcessingContext, thrower: ElementContext): boolean {
  const definition = thrower.element.eventDefinition;
  const activityRef = definition?.kind === 'compensation' ? definition.activityRef : undefined;
  const toCompensate = ctx.state
    .compensationsIn(thrower.value.flowScopeKey)
    .filter(
      (s) =>
        s.value.throwEventKey === '-1' && (activityRef === undefined || s.value.elementId === activityRef),
    )
    .reverse();
  if (toCompensate.length === 0) return false;
  toCompensate.forEach((s) => write(ctx, s, 'TRIGGERED', { throwEventKey: thrower.key }));
  startNextHandler(ctx, thrower.value.flowScopeKey, thrower.key);
  return true;
}

/** Starts the handler of the newest triggered subscription of a throw; false when none is left. */
function startNextHandler(ctx: ProcessingContext, scopeKey: string, throwEventKey: string): boolean {
  const next = ctx.state
    .compensationsIn(scopeKey)
    .filter((s) => s.value.throwEventKey === throwEventKey && s.value.handlerInstanceKey === '-1')
    .pop();
  const scope = ctx.state.elementInstance(scopeKey);
  const scopeContext = scope && elementContextOf(ctx.state, scope.key, scope.value);
  const handler = next && scopeContext?.process.elements[next.value.handlerId];
  if (!next || !scopeContext || !handler) return false;
  const el: ElementContext = {
    key: ctx.nextKey(),
    value: childValue(scopeContext, handler),
    element: handler,
    process: scopeContext.process,
  };
  write(ctx, next, 'COMPENSATING', { handlerInstanceKey: el.key });
  transition(ctx, el, 'ELEMENT_ACTIVATING');
  setLocalVariables(ctx, el, el.key, next.value.variables);
  // A compensation event sub-process runs in place of its sub-process: what completed inside that
  // sub-process becomes compensable from within the handler (a compensation throw event there).
  if (handler.type === 'EVENT_SUB_PROCESS') moveSubscriptions(ctx, next.value.elementInstanceKey, el.key);
  command(ctx, el, 'ACTIVATE_ELEMENT');
  return true;
}

/** A compensation handler completed: the next one starts, or the waiting throw event completes. */
export function compensationHandlerCompleted(ctx: ProcessingContext, handler: ElementContext): void {
  const subscription = ctx.state
    .compensationsIn(handler.value.flowScopeKey)
    .find((s) => s.value.handlerInstanceKey === handler.key);
  if (!subscription) return;
  write(ctx, subscription, 'COMPLETED');
  if (startNextHandler(ctx, subscription.value.flowScopeKey, subscription.value.throwEventKey)) return;
  const thrower = ctx.state.elementInstance(subscription.value.throwEventKey);
  if (thrower?.state === 'ELEMENT_ACTIVATED') command(ctx, thrower, 'COMPLETE_ELEMENT');
}

/**
 * A scope ends. When an embedded sub-process completes, what completed inside it stays compensable from its
 * parent scope — or, when the sub-process has a compensation event sub-process, from that handler once it
 * runs (kept under the sub-process's key until then). Otherwise (a process completes, a scope is terminated)
 * its subscriptions are dropped.
 */
export function endCompensationScope(
  ctx: ProcessingContext,
  scope: ElementContext,
  completed: boolean,
): void {
  const embedded = ['SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'];
  if (completed && embedded.includes(scope.element.type)) {
    const handler = scope.process.elements[scope.element.compensationHandlerId ?? ''];
    const target = handler?.type === 'EVENT_SUB_PROCESS' ? scope.key : scope.value.flowScopeKey;
    moveSubscriptions(ctx, scope.key, target);
    return;
  }
  deleteSubscriptions(ctx, scope.key);
}

/**
 * A multi-instance body ends: what its inner instances completed stays compensable from the body's flow scope
 * when it completed, and is dropped when it was terminated.
 */
export function endMultiInstanceCompensations(
  ctx: ProcessingContext,
  body: ElementContext,
  completed: boolean,
): void {
  if (completed) moveSubscriptions(ctx, body.key, body.value.flowScopeKey);
  else deleteSubscriptions(ctx, body.key);
}

/** Re-creates the subscriptions of one scope under another (new keys; the old ones are DELETED). */
function moveSubscriptions(ctx: ProcessingContext, fromScopeKey: string, toScopeKey: string): void {
  for (const s of ctx.state.compensationsIn(fromScopeKey)) {
    write(ctx, s, 'DELETED');
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'COMPENSATION_SUBSCRIPTION',
      intent: 'CREATED',
      value: { ...s.value, flowScopeKey: toScopeKey, throwEventKey: '-1', handlerInstanceKey: '-1' },
    });
  }
}

/** Drops a scope's subscriptions, and those kept for the compensation event sub-processes among them. */
function deleteSubscriptions(ctx: ProcessingContext, scopeKey: string): void {
  for (const s of ctx.state.compensationsIn(scopeKey)) {
    write(ctx, s, 'DELETED');
    if (s.value.elementInstanceKey !== scopeKey) deleteSubscriptions(ctx, s.value.elementInstanceKey);
  }
}
