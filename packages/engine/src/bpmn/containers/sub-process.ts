import type { SubProcessElement } from '../../model/executable.js';
import { compileBase, type ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateContainer,
  completeContainer,
  containerChildEnded,
  terminateContainer,
} from '../behaviors/container.js';
import { inputMappingsApplied } from '../behaviors/activity.js';

/** An embedded sub-process: its own variable scope, started at its none start event. */
export const subProcess: ElementProcessor<SubProcessElement> = {
  onActivate(ctx, el) {
    if (inputMappingsApplied(ctx, el)) activateContainer(ctx, el, el.element.noneStartEventId);
  },
  onComplete: (ctx, el) => completeContainer(ctx, el),
  onTerminate: terminateContainer,
  onChildEnded: containerChildEnded,
};

export const subProcessKind: ElementKind<SubProcessElement> = {
  compile: compileBase,
  validate(element, process, problem) {
    if (!process.childrenOf(element.id).some((c) => c.type === 'START_EVENT' && !c.eventDefinition))
      problem('an embedded sub-process must have a none start event');
  },
  processor: subProcess,
  activity: true,
};
