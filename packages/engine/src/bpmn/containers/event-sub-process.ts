import type { EventSubProcessElement } from '../../model/executable.js';
import { compileBase, type ElementKind } from '../element-kind.js';
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
export const eventSubProcess: ElementProcessor<EventSubProcessElement> = {
  onActivate(ctx, el) {
    activateContainer(ctx, el, el.element.eventStartId);
  },
  onComplete: (ctx, el) => completeContainer(ctx, el),
  onTerminate: terminateContainer,
  onChildEnded: containerChildEnded,
};

export const eventSubProcessKind: ElementKind<EventSubProcessElement> = {
  compile: compileBase,
  validate(element, process, problem) {
    const starts = process.childrenOf(element.id).filter((c) => c.type === 'START_EVENT');
    if (starts.length !== 1 || !starts[0]?.eventDefinition)
      problem('an event sub-process must have exactly one start event with an event definition');
    if (element.incoming.length > 0 || element.outgoing.length > 0)
      problem('an event sub-process must not have incoming or outgoing sequence flows');
  },
  processor: eventSubProcess,
  activity: false,
};
