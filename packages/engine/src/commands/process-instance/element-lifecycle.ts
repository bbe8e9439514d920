import type { CommandProcessor } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { processorOf } from '../../bpmn/element-processors.js';
import { transition } from '../../bpmn/behaviors/transitions.js';
import { raiseIncident } from '../../bpmn/behaviors/incidents.js';

/**
 * Follow-up commands caused by one client command before activation raises an incident instead: a loop
 * without a wait state stops within about a second (100,000 held the partition for 9 s and doubled RSS).
 */
export const MAX_FOLLOW_UPS_PER_COMMAND = 10_000;

type PiCommand = LoggedRecordOf<'PROCESS_INSTANCE'>;

/**
 * ACTIVATE_ELEMENT: creates the element instance (ACTIVATING) and runs the element's onActivate hook. For an
 * instance already ACTIVATING (an incident was resolved), the hook runs again.
 */
export const processActivateElement: CommandProcessor = (command, ctx) => {
  const { key, value } = command as PiCommand;
  const existing = ctx.state.elementInstance(key);
  if (existing && existing.state !== 'ELEMENT_ACTIVATING') return;
  const el = elementContextOf(ctx.state, key, value);
  if (!el) return;
  if (!existing) {
    const scope = ctx.state.elementInstance(value.flowScopeKey);
    if (value.flowScopeKey !== '-1' && scope?.state !== 'ELEMENT_ACTIVATED') return; // the scope is ending
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
export const processCompleteElement: CommandProcessor = (command, ctx) => {
  const instance = ctx.state.elementInstance(command.key);
  if (!instance || (instance.state !== 'ELEMENT_ACTIVATED' && instance.state !== 'ELEMENT_COMPLETING'))
    return;
  const el = elementContextOf(ctx.state, instance.key, instance.value);
  if (!el) return;
  if (instance.state === 'ELEMENT_ACTIVATED') transition(ctx, el, 'ELEMENT_COMPLETING');
  processorOf(el.value.bpmnElementType).onComplete(ctx, el);
};

/** TERMINATE_ELEMENT: TERMINATING, then the element's onTerminate hook. */
export const processTerminateElement: CommandProcessor = (command, ctx) => {
  const instance = ctx.state.elementInstance(command.key);
  if (!instance || instance.state === 'ELEMENT_TERMINATING') return;
  const el = elementContextOf(ctx.state, instance.key, instance.value);
  if (!el) return;
  transition(ctx, el, 'ELEMENT_TERMINATING');
  processorOf(el.value.bpmnElementType).onTerminate(ctx, el);
};
