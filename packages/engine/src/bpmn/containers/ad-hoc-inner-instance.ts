import type { AdHocInnerInstanceElement } from '../../model/executable.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import { containerChildEnded, terminateContainer } from '../behaviors/container.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { transition } from '../behaviors/transitions.js';
import { endCompensationScope } from '../behaviors/compensation.js';
import { adHocInnerCompleted, collectAdHocResult } from '../behaviors/ad-hoc.js';
import { elementContextOf, isOfType } from '../element-context.js';

/**
 * One activation inside an ad-hoc sub-process: the variable scope its element (and what follows it by
 * sequence flows) runs in. Created ACTIVATED by the ad-hoc sub-process; completes when nothing is active in it.
 */
export const adHocInnerInstance: ElementProcessor<AdHocInnerInstanceElement> = {
  onActivate() {
    throw new Error('an ad-hoc inner instance is created by events, never by an ACTIVATE_ELEMENT command');
  },
  onComplete(ctx, el) {
    const scope = ctx.state.elementInstance(el.value.flowScopeKey);
    const adHoc = scope && elementContextOf(ctx.state, scope.key, scope.value);
    if (!adHoc || !isOfType(adHoc, 'AD_HOC_SUB_PROCESS')) return;
    const result = collectAdHocResult(ctx, adHoc, el);
    if (!result.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', result.message);
      return;
    }
    endCompensationScope(ctx, el, true);
    transition(ctx, el, 'ELEMENT_COMPLETED');
    adHocInnerCompleted(ctx, adHoc, result.value);
  },
  onTerminate: terminateContainer,
  onChildEnded: containerChildEnded,
};

/** Added to the graph by the compiler for each ad-hoc sub-process (`withAdHocInnerInstances`), never parsed. */
export const adHocInnerInstanceKind: ElementKind<AdHocInnerInstanceElement> = {
  processor: adHocInnerInstance,
  activity: false,
};
