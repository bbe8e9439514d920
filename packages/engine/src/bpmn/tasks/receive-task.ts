import type { ReceiveTaskElement } from '../../model/executable.js';
import { compileReceiveTaskMessage } from '../../model/compile-events.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activatedAndWaiting,
  activityActivated,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';

/** Waits for a message (its subscription is opened with those of its boundary events). */
export const receiveTask: ElementProcessor<ReceiveTaskElement> = {
  onActivate(ctx, el) {
    if (activityActivated(ctx, el)) activatedAndWaiting(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const receiveTaskKind: ElementKind<ReceiveTaskElement> = {
  compile(source, base, problems) {
    const eventDefinition = compileReceiveTaskMessage(source, problems);
    return eventDefinition ? { ...base, eventDefinition } : base;
  },
  processor: receiveTask,
  activity: true,
};
