import type { ProcessElement } from '../../model/executable.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateContainer,
  completeContainer,
  containerChildEnded,
  terminateContainer,
} from '../behaviors/container.js';
import { calledProcessEnded } from '../behaviors/called-process.js';

/** The process itself: starts at its none start event, completes when no path is active any more. */
export const processContainer: ElementProcessor<ProcessElement> = {
  onActivate(ctx, el) {
    activateContainer(ctx, el, el.element.noneStartEventId);
  },
  onComplete(ctx, el) {
    const isCalled = el.value.parentElementInstanceKey !== '-1';
    let childVariables: Record<string, unknown> = {};
    completeContainer(ctx, el, () => {
      if (isCalled) childVariables = ctx.state.visibleVariables(el.key);
      const awaited = ctx.state.awaitedResult(el.key);
      if (!awaited) return;
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
    });
    if (isCalled && ctx.state.elementInstance(el.key) === undefined)
      calledProcessEnded(ctx, el, 'completed', childVariables);
  },
  onTerminate: terminateContainer,
  onChildEnded: containerChildEnded,
};

/** The process element is built by `compileProcess` from the `bpmn:Process` itself. */
export const processKind: ElementKind<ProcessElement> = { processor: processContainer, activity: false };
