import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableElement } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { childValue, elementContextOf } from '../element-context.js';
import { command, transition } from './transitions.js';
import { mergeCompletionVariables, propagateVariables, setLocalVariables } from './variables.js';
import { closeSubscriptions } from './event-subscriptions.js';

type Variables = Record<string, unknown>;

/**
 * An awaited event happened for the element instance `ownerKey`: continue at `targetElementId`, which is
 * the owner itself (catch event, receive task), a boundary event of it, a target of an event-based gateway,
 * or the start event of one of its event sub-processes. Returns false when the owner no longer waits.
 */
export function triggerEvent(
  ctx: ProcessingContext,
  ownerKey: string,
  targetElementId: string,
  variables: Variables,
): boolean {
  const instance = ctx.state.elementInstance(ownerKey);
  if (!instance || instance.state !== 'ELEMENT_ACTIVATED') return false;
  const owner = elementContextOf(ctx.state, instance.key, instance.value);
  const target = owner?.process.elements[targetElementId];
  if (!owner || !target) return false;

  if (target.id === owner.element.id) {
    closeSubscriptions(ctx, owner.key);
    mergeCompletionVariables(ctx, owner, variables);
    command(ctx, owner, 'COMPLETE_ELEMENT');
    return true;
  }
  if (owner.element.type === 'EVENT_BASED_GATEWAY') {
    closeSubscriptions(ctx, owner.key);
    transition(ctx, owner, 'ELEMENT_COMPLETING');
    transition(ctx, owner, 'ELEMENT_COMPLETED');
    const flowId = owner.element.outgoing.find((id) => owner.process.flows[id]?.targetId === target.id)!;
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'PROCESS_INSTANCE',
      intent: 'SEQUENCE_FLOW_TAKEN',
      value: { ...owner.value, elementId: flowId, bpmnElementType: 'SEQUENCE_FLOW' },
    });
    const scope = flowScopeOf(ctx, owner);
    if (scope) activateTriggered(ctx, scope, target, variables);
    return true;
  }
  if (target.type === 'BOUNDARY_EVENT') {
    const scope = flowScopeOf(ctx, owner);
    if (!scope) return false;
    if (target.interrupting !== false) {
      closeSubscriptions(ctx, owner.key);
      command(ctx, owner, 'TERMINATE_ELEMENT');
    }
    activateTriggered(ctx, scope, target, variables);
    return true;
  }
  const eventSubProcess = owner.process.elements[target.flowScopeId];
  if (target.type === 'START_EVENT' && eventSubProcess?.type === 'EVENT_SUB_PROCESS') {
    if (target.interrupting !== false) {
      closeSubscriptions(ctx, owner.key);
      for (const child of ctx.state.childrenOf(owner.key)) {
        if (child.state !== 'ELEMENT_TERMINATING') command(ctx, child, 'TERMINATE_ELEMENT');
      }
    }
    const key = ctx.nextKey();
    const el: ElementContext = {
      key,
      value: childValue(owner, eventSubProcess),
      element: eventSubProcess,
      process: owner.process,
    };
    transition(ctx, el, 'ELEMENT_ACTIVATING');
    if (target.outputMappings.length > 0) setLocalVariables(ctx, el, key, variables);
    else propagateVariables(ctx, el, owner.key, variables);
    command(ctx, el, 'ACTIVATE_ELEMENT');
    return true;
  }
  return false;
}

/** Activates an event that was triggered (boundary, gateway target) and lets it complete with the variables. */
function activateTriggered(
  ctx: ProcessingContext,
  scope: ElementContext,
  target: ExecutableElement,
  variables: Variables,
): void {
  const el: ElementContext = {
    key: ctx.nextKey(),
    value: childValue(scope, target),
    element: target,
    process: scope.process,
  };
  transition(ctx, el, 'ELEMENT_ACTIVATING');
  transition(ctx, el, 'ELEMENT_ACTIVATED');
  mergeCompletionVariables(ctx, el, variables);
  command(ctx, el, 'COMPLETE_ELEMENT');
}

function flowScopeOf(ctx: ProcessingContext, el: ElementContext): ElementContext | undefined {
  const scope = ctx.state.elementInstance(el.value.flowScopeKey);
  return scope && elementContextOf(ctx.state, scope.key, scope.value);
}
