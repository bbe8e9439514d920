import type { ElementProcessor } from '../element-processor.js';
import { activateAndComplete, completeElement, terminateElement } from '../behaviors/activity.js';

/**
 * A boundary event is activated when its event happens to the activity it is attached to (see
 * `triggerEvent`, which also terminates an interrupted activity); it then completes and takes its flows.
 */
export const boundaryEvent: ElementProcessor = {
  onActivate: activateAndComplete,
  onComplete: completeElement,
  onTerminate: terminateElement,
};
