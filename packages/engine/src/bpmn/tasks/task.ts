import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  completeFlowNode,
  inputMappingsApplied,
  terminateFlowNode,
} from '../behaviors/activity.js';

/** Undefined and manual tasks: they pass straight through, with their variable mappings. */
export const task: ElementProcessor = {
  onActivate(ctx, el) {
    if (inputMappingsApplied(ctx, el)) activateAndComplete(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};
