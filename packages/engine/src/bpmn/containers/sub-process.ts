import type { ElementProcessor } from '../element-processor.js';
import {
  activateContainer,
  completeContainer,
  containerChildEnded,
  terminateContainer,
} from '../behaviors/container.js';
import { inputMappingsApplied } from '../behaviors/activity.js';

/** An embedded sub-process: its own variable scope, started at its none start event. */
export const subProcess: ElementProcessor = {
  onActivate(ctx, el) {
    if (inputMappingsApplied(ctx, el)) activateContainer(ctx, el, el.element.noneStartEventId);
  },
  onComplete: (ctx, el) => completeContainer(ctx, el),
  onTerminate: terminateContainer,
  onChildEnded: containerChildEnded,
};
