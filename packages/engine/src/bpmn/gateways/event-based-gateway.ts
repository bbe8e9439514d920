import type { ElementProcessor } from '../element-processor.js';
import { activatedAndWaiting, completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';
import { openSubscriptions } from '../behaviors/event-subscriptions.js';
import { raiseIncident } from '../behaviors/incidents.js';

/**
 * Waits for the events after it (messages, timers, signals); the first to happen wins, the others are
 * closed, and the flow goes on through that event (see `triggerEvent`).
 */
export const eventBasedGateway: ElementProcessor = {
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
