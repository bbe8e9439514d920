import type { ProcessingContext } from '../../processing/processing-context.js';
import type { JobResult } from '../../records/job.js';
import type { ElementContext } from '../../bpmn/element-context.js';
import { isOfType } from '../../bpmn/element-context.js';
import type { AdHocContext } from '../../bpmn/behaviors/ad-hoc.js';
import {
  activateAdHocElement,
  completionConditionFulfilled,
  unknownElements,
} from '../../bpmn/behaviors/ad-hoc.js';
import { isVariableDocument } from '../variable/variable-document.js';

/** True for the job of a job-worker ad-hoc sub-process (its element instance is the sub-process). */
export function isAdHocJob(el: ElementContext | undefined): el is AdHocContext {
  return (
    el?.value.bpmnElementType === 'AD_HOC_SUB_PROCESS' &&
    isOfType(el, 'AD_HOC_SUB_PROCESS') &&
    el.element.adHoc.implementation === 'jobWorker'
  );
}

/** Why the worker's result cannot apply to the ad-hoc sub-process, or undefined when it can. */
export function adHocJobResultProblem(
  ctx: ProcessingContext,
  adHoc: AdHocContext,
  result: JobResult | undefined,
): { type: 'NOT_FOUND' | 'INVALID_STATE' | 'INVALID_ARGUMENT'; reason: string } | undefined {
  if (ctx.state.elementInstance(adHoc.key)?.state !== 'ELEMENT_ACTIVATED') {
    return {
      type: 'INVALID_STATE',
      reason: `Expected to complete ad-hoc sub-process job, but the ad-hoc sub-process instance is not active (processInstanceKey '${adHoc.value.processInstanceKey}')`,
    };
  }
  if (result !== undefined && result.type !== 'adHocSubProcess') {
    return {
      type: 'INVALID_ARGUMENT',
      reason: `Expected the result of an ad-hoc sub-process job to be of type 'adHocSubProcess', but it was '${String(result.type)}'`,
    };
  }
  const elements = result?.activateElements ?? [];
  const unknown = unknownElements(
    adHoc,
    elements.map((e) => e.elementId),
  );
  if (unknown.length > 0) {
    return {
      type: 'NOT_FOUND',
      reason: `Expected to activate activities for ad-hoc sub-process with key '${adHoc.key}', but the given elements [${unknown.join(', ')}] do not exist.`,
    };
  }
  const bad = elements.find((e) => e.variables !== undefined && !isVariableDocument(e.variables));
  if (bad) {
    return {
      type: 'INVALID_ARGUMENT',
      reason: `Expected the variables of '${bad.elementId}' to be a JSON object (a document), but they were not`,
    };
  }
  return undefined;
}

/**
 * Hands the worker's result to the ad-hoc sub-process: the elements are activated, then the completion
 * condition is fulfilled (Zeebe writes both as instruction commands; here their events are written
 * directly, so that the job's completion stays the answer to the worker).
 */
export function followAdHocJobResult(
  ctx: ProcessingContext,
  adHoc: AdHocContext,
  result: JobResult | undefined,
): void {
  const activateElements = (result?.activateElements ?? []).map((e) => ({
    elementId: e.elementId,
    variables: e.variables ?? {},
  }));
  const value = {
    adHocSubProcessInstanceKey: adHoc.key,
    activateElements,
    completionConditionFulfilled: result?.isCompletionConditionFulfilled === true,
    cancelRemainingInstances: result?.isCancelRemainingInstances === true,
  };
  if (activateElements.length > 0) {
    for (const element of activateElements)
      activateAdHocElement(ctx, adHoc, element.elementId, element.variables);
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
      intent: 'ACTIVATED',
      value,
    });
  }
  if (value.completionConditionFulfilled) {
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
      intent: 'COMPLETED',
      value,
    });
    completionConditionFulfilled(ctx, adHoc, value.cancelRemainingInstances);
  }
}
