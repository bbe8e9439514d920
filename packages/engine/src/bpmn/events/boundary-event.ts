import type { ElementProcessor } from '../element-processor.js';
import { activateAndComplete, completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';

/**
 * A boundary event is activated when its event happens to the activity it is attached to (see
 * `triggerEvent`, which also terminates an interrupted activity); it then completes and takes its flows.
 */
export const boundaryEvent: ElementProcessor = {
  onActivate: activateAndComplete,
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};
