import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ElementContext } from '../element-context.js';
import { childValue } from '../element-context.js';
import { command, notifyFlowScope, transition } from './transitions.js';
import { applyOutputMappings } from './variables.js';
import { raiseIncident, resolveIncidentOf } from './incidents.js';
import { closeSubscriptions, openSubscriptions } from './event-subscriptions.js';
import { correlateBufferedMessages } from './message-correlation.js';
import { activateReadyInclusiveJoins } from './joins.js';
import { calledProcessEnded } from './called-process.js';
import { finishCompletion } from './activity.js';
import { endCompensationScope } from './compensation.js';

/**
 * Activates a container (process, sub-process, event sub-process): opens the subscriptions of its event
 * sub-processes and boundary events, transitions to ACTIVATED and activates the given start event.
 */
export function activateContainer(
  ctx: ProcessingContext,
  el: ElementContext,
  startEventId: string | undefined,
): void {
  const opened = openSubscriptions(ctx, el);
  if (!opened.ok) {
    raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', opened.message);
    return;
  }
  transition(ctx, el, 'ELEMENT_ACTIVATED');
  correlateBufferedMessages(ctx, el);
  const start = startEventId ? el.process.elements[startEventId] : undefined;
  if (start) command(ctx, { key: ctx.nextKey(), value: childValue(el, start) }, 'ACTIVATE_ELEMENT');
}

/** Completes a container: subscriptions close, output mappings apply, COMPLETED, then onwards. */
export function completeContainer(
  ctx: ProcessingContext,
  el: ElementContext,
  beforeCompleted?: () => void,
): void {
  const result = applyOutputMappings(ctx, el);
  if (!result.ok) {
    raiseIncident(ctx, el, 'IO_MAPPING_ERROR', result.message);
    return;
  }
  finishCompletion(ctx, el, () => {
    endCompensationScope(ctx, el, true);
    beforeCompleted?.();
  });
}

/** Terminates a container: its children first; TERMINATED once none is left (see `onChildEnded`). */
export function terminateContainer(ctx: ProcessingContext, el: ElementContext): void {
  closeSubscriptions(ctx, el.key);
  endCompensationScope(ctx, el, false);
  resolveIncidentOf(ctx, el.key);
  const children = ctx.state.childrenOf(el.key);
  if (children.length === 0) {
    containerTerminated(ctx, el);
    return;
  }
  for (const child of children) {
    if (child.state !== 'ELEMENT_TERMINATING') command(ctx, child, 'TERMINATE_ELEMENT');
  }
}

/** A child ended: complete the container when nothing is active in it, or finish its termination. */
export function containerChildEnded(ctx: ProcessingContext, scope: ElementContext): void {
  const instance = ctx.state.elementInstance(scope.key);
  if (instance?.state === 'ELEMENT_ACTIVATED') activateReadyInclusiveJoins(ctx, scope);
  if (!instance || instance.activeChildren > 0) return;
  if (instance.state === 'ELEMENT_ACTIVATED' && instance.activeSequenceFlows === 0) {
    command(ctx, scope, 'COMPLETE_ELEMENT');
  } else if (instance.state === 'ELEMENT_TERMINATING') {
    containerTerminated(ctx, scope);
  }
}

/** TERMINATED, then whoever contains the container is told: its flow scope, or the call activity that called it. */
function containerTerminated(ctx: ProcessingContext, el: ElementContext): void {
  transition(ctx, el, 'ELEMENT_TERMINATED');
  if (el.element.type !== 'PROCESS') notifyFlowScope(ctx, el);
  else if (el.value.parentElementInstanceKey !== '-1') calledProcessEnded(ctx, el, 'terminated', {});
}
