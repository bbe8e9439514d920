import type { IntermediateCatchEventElement } from '../../model/executable.js';
import { compileEventDefinition } from '../../model/compile-events.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  activatedAndWaiting,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { openSubscriptions } from '../behaviors/event-subscriptions.js';
import { raiseIncident } from '../behaviors/incidents.js';

/** Waits for a timer, message or signal; a link catch event just passes on. */
export const intermediateCatchEvent: ElementProcessor<IntermediateCatchEventElement> = {
  onActivate(ctx, el) {
    if (el.element.eventDefinition?.kind === 'link') {
      activateAndComplete(ctx, el);
      return;
    }
    const opened = openSubscriptions(ctx, el);
    if (!opened.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', opened.message);
      return;
    }
    activatedAndWaiting(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const intermediateCatchEventKind: ElementKind<IntermediateCatchEventElement> = {
  compile(source, base, problems) {
    const eventDefinition = compileEventDefinition(source, problems);
    return eventDefinition ? { ...base, eventDefinition } : base;
  },
  processor: intermediateCatchEvent,
  activity: false,
  eventDefinitions: ['message', 'timer', 'signal', 'link'],
};
