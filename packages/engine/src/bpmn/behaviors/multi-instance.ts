import type { ProcessingContext } from '../../processing/processing-context.js';
import type { Result } from '../../expressions/feel.js';
import {
  evaluateFeel,
  failure,
  feelTypeName,
  ok,
  variableNameOf,
  warningsOf,
} from '../../expressions/feel.js';
import type { MultiInstanceActivity } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { elementContextOf } from '../element-context.js';
import { command, terminated, transition } from './transitions.js';
import { setLocalVariables } from './variables.js';

/** A multi-instance body (or one of its inner instances) with its activity's loop characteristics. */
export type MultiInstanceContext = ElementContext<MultiInstanceActivity>;

export function isMultiInstance(el: ElementContext): el is MultiInstanceContext {
  return el.element.multiInstance !== undefined;
}

/** Evaluates a multi-instance input collection in the body's scope; it must be a list. */
export function inputCollectionOf(ctx: ProcessingContext, body: MultiInstanceContext): Result<unknown[]> {
  const expression = body.element.multiInstance.inputCollection;
  const result = evaluateFeel(expression, ctx.state.visibleVariables(body.key), ctx.timestamp);
  if (!result.ok) return result;
  if (Array.isArray(result.value)) return ok(result.value);
  return failure(
    `Expected result of the expression '${expression}' to be 'ARRAY', but was '${feelTypeName(result.value)}'.${warningsOf(result)}`,
  );
}

/**
 * Creates the inner instance for item `index`, with `loopCounter`, the input element and the output element's
 * variable as local variables.
 */
export function createInnerInstance(
  ctx: ProcessingContext,
  body: MultiInstanceContext,
  index: number,
  item: unknown,
): void {
  const key = ctx.nextKey();
  const inner: ElementContext = {
    key,
    value: { ...body.value, bpmnElementType: body.element.type, flowScopeKey: body.key },
    element: body.element,
    process: body.process,
  };
  transition(ctx, inner, 'ELEMENT_ACTIVATING');
  const { inputElement, outputElement } = body.element.multiInstance;
  // As in Zeebe: an output element that reads a variable (`r`, `r.total`) gets that variable as null in the
  // inner instance, so that what the inner activity produces under that name (a job or script result, a
  // called process's variables, a sub-process's tasks) lands here, per item, instead of in an outer scope.
  // The input element and loopCounter are local already and keep their values.
  const output = outputElement === undefined ? undefined : variableNameOf(outputElement);
  setLocalVariables(ctx, inner, key, {
    loopCounter: index + 1,
    ...(inputElement ? { [inputElement]: item } : {}),
    ...(output !== undefined && output !== inputElement && output !== 'loopCounter'
      ? { [output]: null }
      : {}),
  });
  command(ctx, inner, 'ACTIVATE_ELEMENT');
}

export function bodyOf(ctx: ProcessingContext, inner: ElementContext): MultiInstanceContext | undefined {
  const instance = ctx.state.elementInstance(inner.value.flowScopeKey);
  const body = instance && elementContextOf(ctx.state, instance.key, instance.value);
  return body && isMultiInstance(body) ? body : undefined;
}

/**
 * Before an inner instance completes (its variables are still there): its output element goes into the
 * body's output collection at its loop counter, and the completion condition is evaluated. Returns whether
 * the condition holds.
 */
export function collectInnerResult(ctx: ProcessingContext, inner: ElementContext): Result<boolean> {
  const body = bodyOf(ctx, inner);
  if (!body) return ok(false);
  const mi = body.element.multiInstance;
  const innerVariables = ctx.state.visibleVariables(inner.key);
  if (mi.outputCollection && mi.outputElement) {
    const value = evaluateFeel(mi.outputElement, innerVariables, ctx.timestamp);
    if (!value.ok) return failure(`failed to evaluate the output element: ${value.message}`);
    const current = ctx.state.localVariables(body.key)?.[mi.outputCollection];
    const collection = Array.isArray(current) ? [...(current as unknown[])] : [];
    const index = Number(ctx.state.localVariables(inner.key)?.loopCounter ?? 1) - 1;
    collection[index] = value.value;
    setLocalVariables(ctx, body, body.key, { [mi.outputCollection]: collection.map((v) => v ?? null) });
  }
  if (!mi.completionCondition) return ok(false);
  const instance = ctx.state.elementInstance(body.key)!;
  const items = mi.sequential ? inputCollectionOf(ctx, body) : undefined;
  const total = items ? (items.ok ? items.value.length : 0) : (instance.innerStarted ?? 0);
  const condition = evaluateFeel(
    mi.completionCondition,
    {
      ...innerVariables,
      numberOfInstances: total,
      numberOfCompletedInstances: (instance.innerCompleted ?? 0) + 1,
      numberOfActiveInstances: instance.activeChildren - 1,
    },
    ctx.timestamp,
  );
  if (!condition.ok) return condition;
  if (typeof condition.value !== 'boolean') {
    return failure(
      `Expected result of the completion condition '${mi.completionCondition}' to be 'BOOLEAN', but was '${feelTypeName(condition.value)}'.${warningsOf(condition)}`,
    );
  }
  return ok(condition.value);
}

/** An inner instance completed: the body goes on to the next item, or completes (early, if the condition held). */
export function innerCompleted(ctx: ProcessingContext, inner: ElementContext, conditionMet: boolean): void {
  const body = bodyOf(ctx, inner);
  if (!body) return;
  if (conditionMet) {
    const others = ctx.state.childrenOf(body.key).filter((c) => c.state !== 'ELEMENT_TERMINATING');
    for (const other of others) command(ctx, other, 'TERMINATE_ELEMENT');
    if (others.length === 0) command(ctx, body, 'COMPLETE_ELEMENT');
    return;
  }
  bodyChildEnded(ctx, body);
}

/** Something ended inside the body: start the next sequential item, complete, or finish terminating. */
export function bodyChildEnded(ctx: ProcessingContext, body: MultiInstanceContext): void {
  const instance = ctx.state.elementInstance(body.key);
  if (!instance || instance.activeChildren > 0) return;
  if (instance.state === 'ELEMENT_TERMINATING') {
    terminated(ctx, body);
    return;
  }
  if (instance.state !== 'ELEMENT_ACTIVATED') return;
  if (body.element.multiInstance.sequential) {
    const items = inputCollectionOf(ctx, body);
    const next = instance.innerStarted ?? 0;
    if (items.ok && next < items.value.length && (instance.innerCompleted ?? 0) === next) {
      createInnerInstance(ctx, body, next, items.value[next]);
      return;
    }
  }
  command(ctx, body, 'COMPLETE_ELEMENT');
}
