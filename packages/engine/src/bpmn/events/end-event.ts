import type { EndEventElement } from '../../model/executable.js';
import type { ElementKind } from '../element-kind.js';
import { compileThrowEvent } from '../../model/compile-events.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  completeFlowNode,
  inputMappingsApplied,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { command, transition } from '../behaviors/transitions.js';
import { evaluateString } from '../behaviors/expressions.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { throwEvent } from '../behaviors/throw-events.js';
import { throwEscalation, throwSignal } from '../behaviors/throw-behaviors.js';
import { activateJobWorkerTask } from '../tasks/service-task.js';
import { throwCompensation } from '../behaviors/compensation.js';

/** None, error, escalation, terminate, signal and (as a job) message end events. */
export const endEvent: ElementProcessor<EndEventElement> = {
  onActivate(ctx, el) {
    const { eventDefinition: definition, job } = el.element;
    if (job) {
      activateJobWorkerTask(ctx, el, job); // a message end event
      return;
    }
    if (!inputMappingsApplied(ctx, el)) return;
    if (definition?.kind === 'error' && definition.errorCode) {
      const code = evaluateString(ctx, el.key, definition.errorCode);
      if (!code.ok) {
        raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', code.message);
        return;
      }
      if (throwEvent(ctx, el, 'error', code.value, {}) === 'uncaught') {
        raiseIncident(
          ctx,
          el,
          'UNHANDLED_ERROR_EVENT',
          `Expected to throw an error event with the code '${code.value}', but it was not caught. No error events are available in the scope.`,
        );
        return;
      }
      transition(ctx, el, 'ELEMENT_ACTIVATED'); // the catcher terminates this scope
      return;
    }
    if (definition?.kind === 'compensation' && throwCompensation(ctx, el)) {
      transition(ctx, el, 'ELEMENT_ACTIVATED'); // completes when the last handler completed
      return;
    }
    if (definition?.kind === 'signal' && !throwSignal(ctx, el)) return;
    if (definition?.kind === 'escalation') {
      const outcome = throwEscalation(ctx, el);
      if (outcome === 'failed') return;
      if (outcome === 'caught-interrupting') {
        transition(ctx, el, 'ELEMENT_ACTIVATED');
        return;
      }
    }
    activateAndComplete(ctx, el);
  },
  onComplete(ctx, el) {
    if (el.element.eventDefinition?.kind !== 'terminate') {
      completeFlowNode(ctx, el);
      return;
    }
    // Terminate end event: every other path in the scope ends; the scope then completes.
    for (const sibling of ctx.state.childrenOf(el.value.flowScopeKey)) {
      if (sibling.key !== el.key && sibling.state !== 'ELEMENT_TERMINATING')
        command(ctx, sibling, 'TERMINATE_ELEMENT');
    }
    completeFlowNode(ctx, el);
  },
  onTerminate: terminateFlowNode,
};

export const endEventKind: ElementKind<EndEventElement> = {
  compile: compileThrowEvent,
  validate(element, _process, problem) {
    if (element.outgoing.length > 0) problem('an end event must not have outgoing sequence flows');
    if (element.eventDefinition?.kind === 'error' && !element.eventDefinition.errorCode)
      problem('an error end event must reference an error with an error code');
  },
  processor: endEvent,
  activity: false,
  eventDefinitions: ['none', 'message', 'signal', 'error', 'escalation', 'terminate', 'compensation'],
};
