import type { ElementProcessor } from '../element-processor.js';
import {
  activatedAndWaiting,
  activityActivated,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';

/** Waits for a message (its subscription is opened with those of its boundary events). */
export const receiveTask: ElementProcessor = {
  onActivate(ctx, el) {
    if (activityActivated(ctx, el)) activatedAndWaiting(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};
