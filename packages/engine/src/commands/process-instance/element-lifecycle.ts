import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import type { LifecycleCommand, LifecycleState } from '../../bpmn/element-lifecycle.js';
import { commandApplies, lifecycleRejection } from '../../bpmn/element-lifecycle.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { processorOf } from '../../bpmn/element-kinds.js';
import { transition } from '../../bpmn/behaviors/transitions.js';
import { raiseIncident } from '../../bpmn/behaviors/incidents.js';

/**
 * Follow-up commands caused by one client command before activation raises an incident instead: a loop
 * without a wait state stops within about a second (100,000 held the partition for 9 s and doubled RSS).
 */
export const MAX_FOLLOW_UPS_PER_COMMAND = 10_000;

/** Refuses a lifecycle command whose transition the element lifecycle does not allow (see `element-lifecycle.ts`). */
function rejectIllegal(
  ctx: ProcessingContext,
  command: LifecycleCommand,
  key: string,
  elementId: string,
  from: LifecycleState,
): void {
  const rejection = lifecycleRejection(command, key, elementId, from);
  ctx.reject(rejection.type, rejection.reason);
}

/**
 * ACTIVATE_ELEMENT: creates the element instance (ACTIVATING) and runs the element's onActivate hook. For an
 * instance already ACTIVATING (an incident was resolved), the hook runs again.
 */
export const processActivateElement: CommandProcessor<'PROCESS_INSTANCE:ACTIVATE_ELEMENT'> = (
  command,
  ctx,
) => {
  const { key, value } = command;
  const existing = ctx.state.elementInstance(key);
  const from = existing?.state ?? 'NONE';
  if (!commandApplies('ACTIVATE_ELEMENT', from)) {
    rejectIllegal(ctx, 'ACTIVATE_ELEMENT', key, value.elementId, from);
    return;
  }
  const el = elementContextOf(ctx.state, key, value);
  if (!el) {
    ctx.reject(
      'NOT_FOUND',
      `Expected process definition '${value.processDefinitionKey}' of element '${value.elementId}' to be deployed, but it is not`,
    );
    return;
  }
  if (!existing) {
    const scope = ctx.state.elementInstance(value.flowScopeKey);
    if (value.flowScopeKey !== '-1' && scope?.state !== 'ELEMENT_ACTIVATED') {
      // The scope is ending (terminated meanwhile): nothing starts in it any more.
      ctx.reject(
        'INVALID_STATE',
        `Expected the flow scope '${value.flowScopeKey}' of '${value.elementId}' to be ELEMENT_ACTIVATED to activate an element in it, but it is ${scope?.state ?? 'gone'}`,
      );
      return;
    }
    transition(ctx, el, 'ELEMENT_ACTIVATING');
    if (ctx.followUpCount > MAX_FOLLOW_UPS_PER_COMMAND) {
      raiseIncident(
        ctx,
        el,
        'PROCESSING_LIMIT_EXCEEDED',
        `More than ${MAX_FOLLOW_UPS_PER_COMMAND} elements were activated in one step; the model may loop without a wait state at '${value.elementId}'. Resolve the incident to continue.`,
      );
      return;
    }
  }
  processorOf(el.value.bpmnElementType).onActivate(ctx, el);
};

/** COMPLETE_ELEMENT: COMPLETING, then the element's onComplete hook (again after a resolved incident). */
export const processCompleteElement: CommandProcessor<'PROCESS_INSTANCE:COMPLETE_ELEMENT'> = (
  command,
  ctx,
) => {
  const instance = ctx.state.elementInstance(command.key);
  const from = instance?.state ?? 'NONE';
  if (!instance || !commandApplies('COMPLETE_ELEMENT', from)) {
    rejectIllegal(ctx, 'COMPLETE_ELEMENT', command.key, command.value.elementId, from);
    return;
  }
  const el = elementContextOf(ctx.state, instance.key, instance.value);
  if (!el) return;
  if (instance.state === 'ELEMENT_ACTIVATED') transition(ctx, el, 'ELEMENT_COMPLETING');
  processorOf(el.value.bpmnElementType).onComplete(ctx, el);
};

/** TERMINATE_ELEMENT: TERMINATING, then the element's onTerminate hook. */
export const processTerminateElement: CommandProcessor<'PROCESS_INSTANCE:TERMINATE_ELEMENT'> = (
  command,
  ctx,
) => {
  const instance = ctx.state.elementInstance(command.key);
  const from = instance?.state ?? 'NONE';
  if (!instance || !commandApplies('TERMINATE_ELEMENT', from)) {
    rejectIllegal(ctx, 'TERMINATE_ELEMENT', command.key, command.value.elementId, from);
    return;
  }
  const el = elementContextOf(ctx.state, instance.key, instance.value);
  if (!el) return;
  transition(ctx, el, 'ELEMENT_TERMINATING');
  processorOf(el.value.bpmnElementType).onTerminate(ctx, el);
};
