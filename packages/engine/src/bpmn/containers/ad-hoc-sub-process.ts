import type { ElementProcessor } from '../element-processor.js';
import {
  activateContainer,
  completeContainer,
  containerChildEnded,
  terminateContainer,
} from '../behaviors/container.js';
import { inputMappingsApplied } from '../behaviors/activity.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { propagateVariables, setLocalVariables } from '../behaviors/variables.js';
import {
  AD_HOC_ELEMENTS_VARIABLE,
  activateAdHocElement,
  adHocElementsMetadata,
  elementsToActivate,
} from '../behaviors/ad-hoc.js';

/**
 * An ad-hoc sub-process (Zeebe's BPMN implementation): its inner elements without incoming flows run when
 * activated — by the active elements collection on entry, or later by an activation command — each in an
 * inner instance of its own; it completes by its completion condition, or when nothing is active in it.
 */
export const adHocSubProcess: ElementProcessor = {
  onActivate(ctx, el) {
    const { outputCollection } = el.element.adHoc!;
    setLocalVariables(ctx, el, el.key, {
      [AD_HOC_ELEMENTS_VARIABLE]: adHocElementsMetadata(el),
      ...(outputCollection ? { [outputCollection]: [] } : {}),
    });
    if (!inputMappingsApplied(ctx, el)) return;
    const ids = elementsToActivate(ctx, el);
    if (!ids.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', ids.message);
      return;
    }
    activateContainer(ctx, el, undefined);
    if (ctx.state.elementInstance(el.key)?.state !== 'ELEMENT_ACTIVATED') return;
    for (const id of ids.value) activateAdHocElement(ctx, el, id);
  },
  onComplete(ctx, el) {
    const { outputCollection } = el.element.adHoc!;
    if (outputCollection) {
      const value = ctx.state.localVariables(el.key)?.[outputCollection] ?? [];
      propagateVariables(ctx, el, el.value.flowScopeKey, { [outputCollection]: value });
    }
    completeContainer(ctx, el);
  },
  onTerminate: terminateContainer,
  // An inner instance that completes reports through `adHocInnerCompleted`; this sees terminations (and event
  // sub-processes): it completes the sub-process once the instances cancelled by its condition are gone.
  onChildEnded: containerChildEnded,
};
