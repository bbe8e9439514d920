import type { GatewayElement } from '../../model/executable.js';
import { compileBase, type ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import { activatedAndWaiting, completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';
import { openSubscriptions } from '../behaviors/event-subscriptions.js';
import { raiseIncident } from '../behaviors/incidents.js';

/**
 * Waits for the events after it (messages, timers, signals); the first to happen wins, the others are
 * closed, and the flow goes on through that event (see `triggerEvent`).
 */
export const eventBasedGateway: ElementProcessor<GatewayElement> = {
  onActivate(ctx, el) {
    const opened = openSubscriptions(ctx, el);
    if (!opened.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', opened.message);
      return;
    }
    activatedAndWaiting(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const eventBasedGatewayKind: ElementKind<GatewayElement> = {
  compile: compileBase,
  validate(element, process, problem) {
    if (element.outgoing.length < 2) problem('an event-based gateway must have at least two outgoing flows');
    for (const flowId of element.outgoing) {
      const target = process.elements[process.flows[flowId]?.targetId ?? ''];
      const ok =
        target &&
        ((target.type === 'INTERMEDIATE_CATCH_EVENT' &&
          ['message', 'timer', 'signal'].includes(target.eventDefinition?.kind ?? '')) ||
          target.type === 'RECEIVE_TASK');
      if (!ok)
        problem(`the flow '${flowId}' must lead to a message, timer or signal catch event or a receive task`);
    }
  },
  processor: eventBasedGateway,
  activity: false,
};
