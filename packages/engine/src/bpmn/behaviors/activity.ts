import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ElementContext } from '../element-context.js';
import { afterCompleted, command, terminated, transition } from './transitions.js';
import { applyInputMappings, applyOutputMappings } from './variables.js';
import { raiseIncident, resolveIncidentOf } from './incidents.js';
import { cancelJobOf } from './jobs.js';
import { closeSubscriptions, openSubscriptions } from './event-subscriptions.js';
import { correlateBufferedMessages } from './message-correlation.js';
import { collectInnerResult, innerCompleted } from './multi-instance.js';
import { compensationHandlerCompleted, subscribeCompensation } from './compensation.js';
import { isInnerInstance } from '../element-context.js';

/**
 * Input mappings, then the subscriptions the element waits on (itself, its boundary events); an incident on
 * failure. Returns false when the step must stop.
 */
export function activityActivated(ctx: ProcessingContext, el: ElementContext): boolean {
  if (!inputMappingsApplied(ctx, el)) return false;
  const opened = openSubscriptions(ctx, el);
  if (!opened.ok) raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', opened.message);
  return opened.ok;
}

/** ACTIVATED, then a message buffered before the element waited correlates now. */
export function activatedAndWaiting(ctx: ProcessingContext, el: ElementContext): void {
  transition(ctx, el, 'ELEMENT_ACTIVATED');
  correlateBufferedMessages(ctx, el);
}

/** Input mappings, raising an IO_MAPPING_ERROR incident on failure. Returns false when the step must stop. */
export function inputMappingsApplied(ctx: ProcessingContext, el: ElementContext): boolean {
  const result = applyInputMappings(ctx, el);
  if (!result.ok) raiseIncident(ctx, el, 'IO_MAPPING_ERROR', result.message);
  return result.ok;
}

/** ACTIVATED, then straight on to completion: for elements that do not wait. */
export function activateAndComplete(ctx: ProcessingContext, el: ElementContext): void {
  transition(ctx, el, 'ELEMENT_ACTIVATED');
  command(ctx, el, 'COMPLETE_ELEMENT');
}

/** The common completion: output mappings (incident on failure), COMPLETED, outgoing flows. */
export function completeFlowNode(ctx: ProcessingContext, el: ElementContext): void {
  const result = applyOutputMappings(ctx, el);
  if (!result.ok) {
    raiseIncident(ctx, el, 'IO_MAPPING_ERROR', result.message);
    return;
  }
  finishCompletion(ctx, el);
}

/**
 * COMPLETED and onwards. An inner instance of a multi-instance activity first hands its result to the body
 * (while its variables still exist), and then lets the body decide instead of taking flows.
 */
export function finishCompletion(
  ctx: ProcessingContext,
  el: ElementContext,
  beforeCompleted?: () => void,
): void {
  const inner = isInnerInstance(el);
  const conditionMet = inner ? collectInnerResult(ctx, el) : undefined;
  if (conditionMet && !conditionMet.ok) {
    raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', conditionMet.message);
    return;
  }
  closeSubscriptions(ctx, el.key);
  beforeCompleted?.();
  subscribeCompensation(ctx, el);
  transition(ctx, el, 'ELEMENT_COMPLETED');
  if (inner) innerCompleted(ctx, el, conditionMet?.ok === true && conditionMet.value);
  else if (el.element.isForCompensation) compensationHandlerCompleted(ctx, el);
  else if (el.element.type !== 'PROCESS') afterCompleted(ctx, el);
}

/** The common termination of a leaf element: its job and incidents go, then TERMINATED. */
export function terminateFlowNode(ctx: ProcessingContext, el: ElementContext): void {
  closeSubscriptions(ctx, el.key);
  cancelJobOf(ctx, el);
  resolveIncidentOf(ctx, el.key);
  terminated(ctx, el);
}
