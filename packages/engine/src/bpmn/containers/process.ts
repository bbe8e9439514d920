import type { ElementProcessor } from '../element-processor.js';
import { childValue } from '../element-context.js';
import { command, transition } from '../behaviors/transitions.js';
import { resolveIncidentOf } from '../behaviors/incidents.js';

/** The process itself: starts at its none start event, completes when no path is active any more. */
export const processContainer: ElementProcessor = {
  onActivate(ctx, el) {
    transition(ctx, el, 'ELEMENT_ACTIVATED');
    const start = el.element.noneStartEventId && el.process.elements[el.element.noneStartEventId];
    if (start) command(ctx, { key: ctx.nextKey(), value: childValue(el, start) }, 'ACTIVATE_ELEMENT');
  },
  onComplete(ctx, el) {
    const awaited = ctx.state.awaitedResult(el.key);
    if (awaited) {
      const all = ctx.state.visibleVariables(el.key);
      const variables =
        awaited.fetchVariables.length === 0
          ? all
          : Object.fromEntries(awaited.fetchVariables.filter((n) => n in all).map((n) => [n, all[n]]));
      ctx.appendEvent(el.key, {
        valueType: 'PROCESS_INSTANCE_RESULT',
        intent: 'COMPLETED',
        value: {
          bpmnProcessId: el.value.bpmnProcessId,
          version: el.value.version,
          processDefinitionKey: el.value.processDefinitionKey,
          processInstanceKey: el.key,
          variables,
        },
      });
    }
    transition(ctx, el, 'ELEMENT_COMPLETED');
  },
  onTerminate(ctx, el) {
    resolveIncidentOf(ctx, el.key);
    const children = ctx.state.childrenOf(el.key);
    if (children.length === 0) {
      transition(ctx, el, 'ELEMENT_TERMINATED');
      return;
    }
    for (const child of children) {
      if (child.state !== 'ELEMENT_TERMINATING') command(ctx, child, 'TERMINATE_ELEMENT');
    }
  },
  onChildEnded(ctx, scope) {
    const instance = ctx.state.elementInstance(scope.key);
    if (!instance || instance.activeChildren > 0) return;
    if (instance.state === 'ELEMENT_ACTIVATED' && instance.activeSequenceFlows === 0) {
      command(ctx, scope, 'COMPLETE_ELEMENT');
    } else if (instance.state === 'ELEMENT_TERMINATING') {
      transition(ctx, scope, 'ELEMENT_TERMINATED');
    }
  },
};
