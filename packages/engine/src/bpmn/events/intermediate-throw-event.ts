import type { IntermediateThrowEventElement } from '../../model/executable.js';
import { compileThrowEvent } from '../../model/compile-events.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import type { ElementContext } from '../element-context.js';
import { childValue } from '../element-context.js';
import {
  activateAndComplete,
  inputMappingsApplied,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { command, transition } from '../behaviors/transitions.js';
import { throwEscalation, throwSignal } from '../behaviors/throw-behaviors.js';
import { activateJobWorkerTask } from '../tasks/service-task.js';
import { throwCompensation } from '../behaviors/compensation.js';

/** None, link, signal, escalation and (as a job) message throw events. */
export const intermediateThrowEvent: ElementProcessor<IntermediateThrowEventElement> = {
  onActivate(ctx, el) {
    const kind = el.element.eventDefinition?.kind;
    if (el.element.job) {
      activateJobWorkerTask(ctx, el, el.element.job); // a message throw event
      return;
    }
    if (!inputMappingsApplied(ctx, el)) return;
    if (kind === 'link') {
      throwLink(ctx, el);
      return;
    }
    if (kind === 'compensation' && throwCompensation(ctx, el)) {
      transition(ctx, el, 'ELEMENT_ACTIVATED'); // completes when the last handler completed
      return;
    }
    if (kind === 'signal' && !throwSignal(ctx, el)) return;
    if (kind === 'escalation' && throwEscalation(ctx, el) === 'caught-interrupting') {
      transition(ctx, el, 'ELEMENT_ACTIVATED'); // the catcher terminates the scope, and this event with it
      return;
    }
    activateAndComplete(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

/** Jumps to the link catch event of the same name in the same scope. */
function throwLink(...[ctx, el]: [Parameters<ElementProcessor['onActivate']>[0], ElementContext]): void {
  const name = el.element.eventDefinition?.kind === 'link' ? el.element.eventDefinition.linkName : '';
  const target = Object.values(el.process.elements).find(
    (e) =>
      e.type === 'INTERMEDIATE_CATCH_EVENT' &&
      e.flowScopeId === el.element.flowScopeId &&
      e.eventDefinition?.kind === 'link' &&
      e.eventDefinition.linkName === name,
  )!;
  transition(ctx, el, 'ELEMENT_ACTIVATED');
  transition(ctx, el, 'ELEMENT_COMPLETING');
  // The catch event exists before the throw completes, so the scope never looks finished in between.
  const scope = ctx.state.elementInstance(el.value.flowScopeKey)!;
  const caught = {
    key: ctx.nextKey(),
    value: childValue({ ...el, key: scope.key, value: scope.value }, target),
  };
  ctx.appendEvent(caught.key, {
    valueType: 'PROCESS_INSTANCE',
    intent: 'ELEMENT_ACTIVATING',
    value: caught.value,
  });
  transition(ctx, el, 'ELEMENT_COMPLETED');
  command(ctx, caught, 'ACTIVATE_ELEMENT');
}

export const intermediateThrowEventKind: ElementKind<IntermediateThrowEventElement> = {
  compile: compileThrowEvent,
  validate(element, process, problem) {
    if (element.eventDefinition?.kind !== 'link') return;
    const name = element.eventDefinition.linkName;
    if (process.linkCatches(element.flowScopeId, name) !== 1)
      problem(`a link throw event needs exactly one link catch event named '${name}' in its scope`);
  },
  processor: intermediateThrowEvent,
  activity: false,
  eventDefinitions: ['none', 'message', 'signal', 'escalation', 'link', 'compensation'],
};
