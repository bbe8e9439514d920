import type { ElementProcessor } from '../element-processor.js';
import { activateAndComplete, completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';

/** A none start event: activated by its container, completes at once. */
export const startEvent: ElementProcessor = {
  onActivate: activateAndComplete,
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};
