import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  completeElement,
  inputMappingsApplied,
  terminateElement,
} from '../behaviors/activity.js';

/** A none end event: completes, and its container completes once nothing else is active. */
export const endEvent: ElementProcessor = {
  onActivate(ctx, el) {
    if (inputMappingsApplied(ctx, el)) activateAndComplete(ctx, el);
  },
  onComplete: completeElement,
  onTerminate: terminateElement,
};
