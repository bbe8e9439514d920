import type { StartEventElement } from '../../model/executable.js';
import { compileEventDefinition } from '../../model/compile-events.js';
import { compileStartForm } from '../../model/compile-element.js';
import type { ElementKind, EventDefinitionKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import { activateAndComplete, completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';

/** A none start event: activated by its container, completes at once. */
export const startEvent: ElementProcessor<StartEventElement> = {
  onActivate: activateAndComplete,
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const startEventKind: ElementKind<StartEventElement> = {
  compile(source, base, problems) {
    const eventDefinition = compileEventDefinition(source, problems);
    const startForm = compileStartForm(source);
    return {
      ...base,
      ...(startForm ? { startForm } : {}),
      ...(eventDefinition ? { eventDefinition } : {}),
      interrupting: source.isInterrupting !== false,
    };
  },
  validate(element, process, problem) {
    if (element.incoming.length > 0) problem('a start event must not have incoming sequence flows');
    const kind = element.eventDefinition?.kind ?? 'none';
    const scope = process.elements[element.flowScopeId];
    const allowed: EventDefinitionKind[] =
      scope?.type === 'EVENT_SUB_PROCESS'
        ? ['message', 'timer', 'signal', 'error', 'escalation', 'compensation']
        : scope?.type === 'PROCESS'
          ? ['none', 'message', 'timer', 'signal']
          : ['none'];
    if (!allowed.includes(kind))
      problem(`a ${kind} start event is not allowed here (allowed: ${allowed.join(', ')})`);
    if (kind === 'error' && !element.interrupting) problem('an error start event must be interrupting');
  },
  processor: startEvent,
  activity: false,
};
