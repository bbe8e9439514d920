import type { BoundaryEventElement } from '../../model/executable.js';
import type { ModdleElement } from '../../model/moddle-element.js';
import { compileEventDefinition } from '../../model/compile-events.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import { activateAndComplete, completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';

/**
 * A boundary event is activated when its event happens to the activity it is attached to (see
 * `triggerEvent`, which also terminates an interrupted activity); it then completes and takes its flows.
 */
export const boundaryEvent: ElementProcessor<BoundaryEventElement> = {
  onActivate: activateAndComplete,
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const boundaryEventKind: ElementKind<BoundaryEventElement> = {
  compile(source, base, problems) {
    const eventDefinition = compileEventDefinition(source, problems);
    const attachedToId = (source.attachedToRef as ModdleElement | undefined)?.id;
    return {
      ...base,
      ...(eventDefinition ? { eventDefinition } : {}),
      ...(attachedToId !== undefined ? { attachedToId } : {}),
      interrupting: source.cancelActivity !== false,
    };
  },
  validate(element, process, problem) {
    const host = element.attachedToId ? process.elements[element.attachedToId] : undefined;
    if (!host || !process.isActivity(host)) problem('a boundary event must be attached to an activity');
    if (element.incoming.length > 0) problem('a boundary event must not have incoming sequence flows');
    const compensation = element.eventDefinition?.kind === 'compensation';
    if (compensation && element.outgoing.length > 0)
      problem('a compensation boundary event must not have outgoing sequence flows');
    if (!compensation && element.outgoing.length === 0)
      problem('a boundary event must have at least one outgoing sequence flow');
    if (element.eventDefinition?.kind === 'error' && !element.interrupting)
      problem('an error boundary event must be interrupting');
  },
  processor: boundaryEvent,
  activity: false,
  eventDefinitions: ['message', 'timer', 'signal', 'error', 'escalation', 'compensation'],
};
