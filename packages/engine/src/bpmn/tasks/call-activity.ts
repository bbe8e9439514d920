import type { CallActivityElement } from '../../model/executable.js';
import { compileCalledElement } from '../../model/compile-element.js';
import type { ElementKind } from '../element-kind.js';
import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ProcessDefinition } from '../../state/types.js';
import type { ElementContext } from '../element-context.js';
import type { ElementProcessor } from '../element-processor.js';
import { elementContextOf } from '../element-context.js';
import { activatedAndWaiting, activityActivated, completeFlowNode } from '../behaviors/activity.js';
import { evaluateString } from '../behaviors/expressions.js';
import { raiseIncident, resolveIncidentOf } from '../behaviors/incidents.js';
import { closeSubscriptions } from '../behaviors/event-subscriptions.js';
import { command, terminated, transition } from '../behaviors/transitions.js';
import { setLocalVariables } from '../behaviors/variables.js';
import { activateContainer } from '../behaviors/container.js';
import { processInstanceValue } from '../behaviors/start-instance.js';

/** Deeper call chains are refused: a process that calls itself without end would otherwise grow forever. */
export const MAX_CALL_DEPTH = 1_000;

/** Starts an instance of another process and completes when it completes (variables flow both ways). */
export const callActivity: ElementProcessor<CallActivityElement> = {
  onActivate(ctx, el) {
    const called = el.element.calledElement;
    const processId = evaluateString(ctx, el.key, called.processId);
    if (!processId.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', processId.message);
      return;
    }
    const definition = calledDefinition(ctx, el, processId.value);
    if (!definition) {
      const tagged = called.binding === 'versionTag' ? ` and version tag '${called.versionTag}'` : '';
      raiseIncident(
        ctx,
        el,
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId.value}'${tagged} to be deployed, but not found.`,
      );
      return;
    }
    if (!definition.executable.elements[definition.bpmnProcessId]?.noneStartEventId) {
      raiseIncident(
        ctx,
        el,
        'CALLED_ELEMENT_ERROR',
        `Expected process '${processId.value}' to have a none start event, but it has none.`,
      );
      return;
    }
    if (callDepth(ctx, el) >= MAX_CALL_DEPTH) {
      raiseIncident(
        ctx,
        el,
        'CALLED_ELEMENT_ERROR',
        `The call depth exceeds ${MAX_CALL_DEPTH} nested process instances; '${el.element.id}' likely calls itself without end.`,
      );
      return;
    }
    if (!activityActivated(ctx, el)) return;
    activatedAndWaiting(ctx, el);
    if (ctx.state.elementInstance(el.key)?.state !== 'ELEMENT_ACTIVATED') return;
    const childKey = ctx.nextKey();
    const child = elementContextOf(ctx.state, childKey, {
      ...processInstanceValue(definition, childKey),
      parentProcessInstanceKey: el.value.processInstanceKey,
      parentElementInstanceKey: el.key,
    })!;
    const variables = called.propagateAllParentVariables
      ? ctx.state.visibleVariables(el.key)
      : { ...ctx.state.localVariables(el.key) };
    setLocalVariables(ctx, child, childKey, variables);
    transition(ctx, child, 'ELEMENT_ACTIVATING');
    activateContainer(ctx, child, child.element.noneStartEventId);
  },
  onComplete: completeFlowNode,
  onTerminate(ctx, el) {
    closeSubscriptions(ctx, el.key);
    resolveIncidentOf(ctx, el.key);
    const childKey = ctx.state.elementInstance(el.key)?.calledChildKey;
    const child = childKey === undefined ? undefined : ctx.state.elementInstance(childKey);
    if (child && child.state !== 'ELEMENT_TERMINATING') {
      command(ctx, child, 'TERMINATE_ELEMENT'); // the call activity ends when its child has (calledProcessEnded)
      return;
    }
    if (!child) terminated(ctx, el);
  },
};

function calledDefinition(
  ctx: ProcessingContext,
  el: ElementContext<CallActivityElement>,
  processId: string,
): ProcessDefinition | undefined {
  const called = el.element.calledElement;
  if (called.binding === 'versionTag')
    return ctx.state.processByIdAndVersionTag(processId, called.versionTag ?? '');
  if (called.binding === 'deployment') {
    const caller = ctx.state.processByKey(el.value.processDefinitionKey);
    const sameDeployment = [...ctx.state.processes()].find(
      (p) => p.bpmnProcessId === processId && p.deploymentKey === caller?.deploymentKey,
    );
    if (sameDeployment) return sameDeployment;
  }
  return ctx.state.latestProcess(processId);
}

function callDepth(ctx: ProcessingContext, el: ElementContext): number {
  let depth = 0;
  for (let key = el.value.processInstanceKey; depth <= MAX_CALL_DEPTH; depth++) {
    const parent = ctx.state.elementInstance(key)?.value.parentProcessInstanceKey;
    if (parent === undefined || parent === '-1') break;
    key = parent;
  }
  return depth;
}

export const callActivityKind: ElementKind<CallActivityElement> = {
  compile: (source, base, problems) => ({ ...base, calledElement: compileCalledElement(source, problems) }),
  processor: callActivity,
  activity: true,
};
