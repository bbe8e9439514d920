import type { TaskElement } from '../../model/executable.js';
import { compileBase, type ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  completeFlowNode,
  inputMappingsApplied,
  terminateFlowNode,
} from '../behaviors/activity.js';

/** Undefined and manual tasks: they pass straight through, with their variable mappings. */
export const task: ElementProcessor<TaskElement> = {
  onActivate(ctx, el) {
    if (inputMappingsApplied(ctx, el)) activateAndComplete(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const taskKind: ElementKind<TaskElement> = { compile: compileBase, processor: task, activity: true };
