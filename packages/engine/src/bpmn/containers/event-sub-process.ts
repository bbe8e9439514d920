import type { ElementProcessor } from '../element-processor.js';
import {
  activateContainer,
  completeContainer,
  containerChildEnded,
  terminateContainer,
} from '../behaviors/container.js';

/**
 * An event sub-process, activated in its enclosing scope when its start event's event happens (see
 * `triggerEvent`); it then runs like an embedded sub-process from that start event.
 */
export const eventSubProcess: ElementProcessor = {
  onActivate(ctx, el) {
    activateContainer(ctx, el, el.element.eventStartId);
  },
  onComplete: (ctx, el) => completeContainer(ctx, el),
  onTerminate: terminateContainer,
  onChildEnded: containerChildEnded,
};
