import type { ProcessingContext } from '../../processing/processing-context.js';
import type {
  ProcessInstanceEventIntent,
  ProcessInstanceCommandIntent,
} from '../../records/process-instance.js';
import type { LoggedRecord } from '../../records/record.js';
import type { ElementContext } from '../element-context.js';
import { childValue, elementContextOf } from '../element-context.js';
import { joinReady } from './joins.js';

/** Writes a lifecycle event of an element instance. */
export function transition(
  ctx: ProcessingContext,
  el: ElementContext,
  intent: ProcessInstanceEventIntent,
): LoggedRecord {
  return ctx.appendEvent(el.key, { valueType: 'PROCESS_INSTANCE', intent, value: el.value });
}

/** Queues a lifecycle command (complete, terminate …) for an element instance within this batch. */
export function command(
  ctx: ProcessingContext,
  el: Pick<ElementContext, 'key' | 'value'>,
  intent: Exclude<ProcessInstanceCommandIntent, 'CANCEL'>,
): void {
  ctx.appendFollowUpCommand(el.key, { valueType: 'PROCESS_INSTANCE', intent, value: el.value });
}

/** Takes the given outgoing flows: writes SEQUENCE_FLOW_TAKEN and activates each target (a join waits). */
export function takeFlows(ctx: ProcessingContext, el: ElementContext, flowIds: readonly string[]): void {
  const scope = ctx.state.elementInstance(el.value.flowScopeKey);
  const scopeContext = scope && elementContextOf(ctx.state, scope.key, scope.value);
  if (!scopeContext) return;
  for (const flowId of flowIds) {
    const flow = el.process.flows[flowId];
    const target = flow && el.process.elements[flow.targetId];
    if (!flow || !target) continue;
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'PROCESS_INSTANCE',
      intent: 'SEQUENCE_FLOW_TAKEN',
      value: {
        bpmnProcessId: el.value.bpmnProcessId,
        version: el.value.version,
        processDefinitionKey: el.value.processDefinitionKey,
        processInstanceKey: el.value.processInstanceKey,
        elementId: flow.id,
        bpmnElementType: 'SEQUENCE_FLOW',
        flowScopeKey: el.value.flowScopeKey,
        parentProcessInstanceKey: el.value.parentProcessInstanceKey,
        parentElementInstanceKey: el.value.parentElementInstanceKey,
      },
    });
    const isJoin =
      target.type === 'PARALLEL_GATEWAY' ||
      (target.type === 'INCLUSIVE_GATEWAY' && target.incoming.length > 1);
    if (isJoin && !joinReady(ctx, scope.key, target)) continue;
    ctx.appendFollowUpCommand(ctx.nextKey(), {
      valueType: 'PROCESS_INSTANCE',
      intent: 'ACTIVATE_ELEMENT',
      value: childValue(scopeContext, target),
    });
  }
}

/** After COMPLETED: take every outgoing flow, or tell the flow scope that a path ended. */
export function afterCompleted(ctx: ProcessingContext, el: ElementContext): void {
  // After a terminate end event, an element whose completion was already under way ends its path here.
  const ended = ctx.state.elementInstance(el.value.flowScopeKey)?.terminatedByEndEvent === true;
  if (el.element.outgoing.length > 0 && !ended) takeFlows(ctx, el, el.element.outgoing);
  else notifyFlowScope(ctx, el);
}

/** Lets the enclosing container react to a child that ended without taking a flow. */
export function notifyFlowScope(ctx: ProcessingContext, el: ElementContext): void {
  const scope = ctx.state.elementInstance(el.value.flowScopeKey);
  const scopeContext = scope && elementContextOf(ctx.state, scope.key, scope.value);
  if (!scopeContext) return;
  ctx.childEnded(scopeContext);
}

/** The usual end of a termination: TERMINATED, then the flow scope is told. */
export function terminated(ctx: ProcessingContext, el: ElementContext): void {
  transition(ctx, el, 'ELEMENT_TERMINATED');
  notifyFlowScope(ctx, el);
}
