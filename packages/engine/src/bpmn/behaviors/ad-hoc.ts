import type { ProcessingContext } from '../../processing/processing-context.js';
import type { Result } from '../../expressions/feel.js';
import { evaluateFeel, failure, feelTypeName, ok, warningsOf } from '../../expressions/feel.js';
import type { AdHocSubProcessElement } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { childValue } from '../element-context.js';
import { command, transition } from './transitions.js';
import { setLocalVariables } from './variables.js';
import { evaluateBoolean } from './expressions.js';
import { cancelJobOf, createJob, prepareJob } from './jobs.js';
import { raiseIncident } from './incidents.js';

/** The variable Zeebe creates on an ad-hoc sub-process: the elements it can activate, for a worker or an agent. */
export const AD_HOC_ELEMENTS_VARIABLE = 'adHocSubProcessElements';

/** An ad-hoc sub-process instance with its compiled element. */
export type AdHocContext = ElementContext<AdHocSubProcessElement>;

/** What `adHocSubProcessElements` holds: one entry per activatable element. */
export function adHocElementsMetadata(adHoc: AdHocContext): unknown[] {
  return adHoc.element.adHoc.activityIds.map((id) => {
    const element = adHoc.process.elements[id];
    return {
      elementId: id,
      elementName: element?.name ?? '',
      documentation: element?.documentation ?? '',
      properties: element?.properties ?? {},
      parameters: [],
    };
  });
}

/**
 * The element ids the active elements collection names, checked against the activatable elements; a failure
 * names the ids that are not (as Zeebe's incident does).
 */
export function elementsToActivate(ctx: ProcessingContext, adHoc: AdHocContext): Result<string[]> {
  const expression = adHoc.element.adHoc.activeElementsCollection;
  if (expression === undefined) return ok([]);
  const result = evaluateFeel(expression, ctx.state.visibleVariables(adHoc.key), ctx.timestamp);
  const prefix = 'Failed to activate ad-hoc elements.';
  if (!result.ok) return failure(`${prefix} ${result.message}`);
  const value = result.value;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    const type = Array.isArray(value) ? 'a list with non-string items' : `'${feelTypeName(value)}'`;
    return failure(
      `${prefix} Expected result of the expression '${expression}' to be 'ARRAY' of strings, but was ${type}.${warningsOf(result)}`,
    );
  }
  const unknown = unknownElements(adHoc, value as string[]);
  if (unknown.length > 0)
    return failure(
      `${prefix} No BPMN elements found with ids: ${unknown.map((id) => `'${id}'`).join(', ')}.`,
    );
  return ok(value as string[]);
}

/** The ids that are not activatable elements of the ad-hoc sub-process. */
export function unknownElements(adHoc: AdHocContext, ids: readonly string[]): string[] {
  const activatable = adHoc.element.adHoc.activityIds;
  return ids.filter((id) => !activatable.includes(id));
}

/**
 * Activates one inner element: a new inner instance (ACTIVATING, ACTIVATED, written at once, as Zeebe does),
 * with the given local variables and, when the output element names a variable, that variable (null), so that
 * what the activation produces lands in its own scope; then the element inside it.
 */
export function activateAdHocElement(
  ctx: ProcessingContext,
  adHoc: AdHocContext,
  elementId: string,
  variables: Record<string, unknown> = {},
): void {
  const config = adHoc.element.adHoc;
  const innerElement = adHoc.process.elements[config.innerInstanceId]!;
  const inner: ElementContext = {
    key: ctx.nextKey(),
    value: childValue(adHoc, innerElement),
    element: innerElement,
    process: adHoc.process,
  };
  transition(ctx, inner, 'ELEMENT_ACTIVATING');
  transition(ctx, inner, 'ELEMENT_ACTIVATED');
  const outputVariable = config.outputElement?.match(/^[A-Za-z_][A-Za-z0-9_]*$/)?.[0];
  setLocalVariables(ctx, inner, inner.key, {
    ...(outputVariable ? { [outputVariable]: null } : {}),
    ...variables,
  });
  const element = adHoc.process.elements[elementId]!;
  command(ctx, { key: ctx.nextKey(), value: childValue(inner, element) }, 'ACTIVATE_ELEMENT');
}

/**
 * Before an inner instance completes (its variables still there): its output element is appended to the
 * output collection, and the completion condition is evaluated in the ad-hoc sub-process's scope. The result
 * is undefined when there is no completion condition.
 */
export function collectAdHocResult(
  ctx: ProcessingContext,
  adHoc: AdHocContext,
  inner: ElementContext,
): Result<boolean | undefined> {
  const config = adHoc.element.adHoc;
  if (config.outputCollection && config.outputElement) {
    const value = evaluateFeel(config.outputElement, ctx.state.visibleVariables(inner.key), ctx.timestamp);
    if (!value.ok) return failure(`Failed to evaluate the output element. ${value.message}`);
    const current = ctx.state.localVariables(adHoc.key)?.[config.outputCollection];
    if (!Array.isArray(current)) {
      return failure(
        `The output collection '${config.outputCollection}' has the wrong type. Expected 'ARRAY' but was '${feelTypeName(current)}'.`,
      );
    }
    setLocalVariables(ctx, adHoc, adHoc.key, {
      [config.outputCollection]: [...(current as unknown[]), value.value ?? null],
    });
  }
  if (config.completionCondition === undefined) return ok(undefined);
  const condition = evaluateBoolean(ctx, adHoc.key, config.completionCondition);
  if (!condition.ok) return failure(`Failed to evaluate completion condition. ${condition.message}`);
  return condition;
}

/**
 * An inner instance completed. Without a completion condition the ad-hoc sub-process completes once nothing
 * is active in it; when the condition holds, it completes as `completionConditionFulfilled` says; when it
 * does not hold, the sub-process waits. With a job worker, the worker decides: its job is created again,
 * unless it already fulfilled the condition.
 */
export function adHocInnerCompleted(
  ctx: ProcessingContext,
  adHoc: AdHocContext,
  conditionMet: boolean | undefined,
): void {
  const instance = ctx.state.elementInstance(adHoc.key);
  if (instance?.state !== 'ELEMENT_ACTIVATED') return;
  const config = adHoc.element.adHoc;
  if (config.implementation === 'jobWorker') {
    cancelJobOf(ctx, adHoc);
    if (instance.completionConditionFulfilled)
      completionConditionFulfilled(ctx, adHoc, config.cancelRemainingInstances);
    else createAdHocJob(ctx, adHoc);
    return;
  }
  if (conditionMet === true) completionConditionFulfilled(ctx, adHoc, config.cancelRemainingInstances);
  else if (conditionMet === undefined && instance.activeChildren === 0 && instance.activeSequenceFlows === 0)
    command(ctx, adHoc, 'COMPLETE_ELEMENT');
}

/**
 * The completion condition holds: terminate what is still active (the sub-process completes when the last
 * of them is gone, see its onChildEnded) and complete, or complete once nothing is active any more.
 */
export function completionConditionFulfilled(
  ctx: ProcessingContext,
  adHoc: AdHocContext,
  cancelRemainingInstances: boolean,
): void {
  const instance = ctx.state.elementInstance(adHoc.key);
  if (!instance) return;
  if (cancelRemainingInstances && instance.activeChildren > 0) {
    for (const child of ctx.state.childrenOf(adHoc.key))
      if (child.state !== 'ELEMENT_TERMINATING') command(ctx, child, 'TERMINATE_ELEMENT');
    return;
  }
  if (instance.activeChildren === 0 && instance.activeSequenceFlows === 0)
    command(ctx, adHoc, 'COMPLETE_ELEMENT');
}

/** The job of a job-worker ad-hoc sub-process (one at a time); a failing job expression is an incident. */
export function createAdHocJob(ctx: ProcessingContext, adHoc: AdHocContext): boolean {
  const definition = adHoc.element.job;
  if (!definition) return false;
  const job = prepareJob(ctx, adHoc, definition);
  if (!job.ok) {
    raiseIncident(ctx, adHoc, 'EXTRACT_VALUE_ERROR', job.message);
    return false;
  }
  createJob(ctx, job.value);
  return true;
}
