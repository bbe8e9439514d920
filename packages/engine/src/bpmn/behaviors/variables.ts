import type { ProcessingContext } from '../../processing/processing-context.js';
import type { VariableMapping } from '../../model/executable.js';
import type { Result } from '../../expressions/feel.js';
import { evaluateFeel, failure, ok } from '../../expressions/feel.js';
import type { ElementContext } from '../element-context.js';
import { isInnerInstance } from '../element-context.js';

type Doc = Record<string, unknown>;

/** Writes one variable on a scope, as CREATED or UPDATED; an unchanged value writes nothing. */
function writeVariable(
  ctx: ProcessingContext,
  el: ElementContext,
  scopeKey: string,
  name: string,
  value: unknown,
): void {
  const local = ctx.state.localVariables(scopeKey);
  const exists = local !== undefined && Object.hasOwn(local, name);
  if (exists && sameValue(local[name], value)) return;
  ctx.appendEvent(ctx.nextKey(), {
    valueType: 'VARIABLE',
    intent: exists ? 'UPDATED' : 'CREATED',
    value: {
      name,
      value,
      scopeKey,
      processInstanceKey: el.value.processInstanceKey,
      processDefinitionKey: el.value.processDefinitionKey,
      bpmnProcessId: el.value.bpmnProcessId,
    },
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sets every variable of the document on the given scope. */
export function setLocalVariables(
  ctx: ProcessingContext,
  el: ElementContext,
  scopeKey: string,
  doc: Doc,
): void {
  for (const [name, value] of Object.entries(doc)) writeVariable(ctx, el, scopeKey, name, value);
}

/**
 * Sets each variable in the nearest scope (from `scopeKey` up) that already defines it, or else on the
 * process instance: Camunda 8's propagation.
 */
export function propagateVariables(
  ctx: ProcessingContext,
  el: ElementContext,
  scopeKey: string,
  doc: Doc,
): void {
  for (const [name, value] of Object.entries(doc)) {
    const target = ctx.state.scopeDefining(scopeKey, name) ?? el.value.processInstanceKey;
    writeVariable(ctx, el, target, name, value);
  }
}

/** Variables a job or script produced: local when output mappings will pick from them, propagated otherwise. */
export function mergeCompletionVariables(ctx: ProcessingContext, el: ElementContext, doc: Doc): void {
  if (el.element.outputMappings.length > 0) setLocalVariables(ctx, el, el.key, doc);
  else propagateVariables(ctx, el, el.key, doc);
}

/** Evaluates mappings against a context into a document, building nested targets such as `a.b`. */
function evaluateMappings(
  mappings: readonly VariableMapping[],
  context: Doc,
  kind: string,
  now: number,
): Result<Doc> {
  const doc: Doc = {};
  for (const mapping of mappings) {
    const result = evaluateFeel(mapping.source, context, now);
    if (!result.ok)
      return failure(`failed to evaluate ${kind} mapping '${mapping.target}': ${result.message}`);
    const [head, ...path] = mapping.target.split('.');
    if (path.length === 0) {
      doc[head!] = result.value;
      continue;
    }
    const base = head! in doc ? doc[head!] : context[head!];
    doc[head!] = setPath(isObject(base) ? (JSON.parse(JSON.stringify(base)) as Doc) : {}, path, result.value);
  }
  return ok(doc);
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setPath(target: Doc, path: string[], value: unknown): Doc {
  let cursor = target;
  path.forEach((segment, index) => {
    if (index === path.length - 1) cursor[segment] = value;
    else {
      if (!isObject(cursor[segment])) cursor[segment] = {};
      cursor = cursor[segment] as Doc;
    }
  });
  return target;
}

/**
 * Applies `zeebe:input` mappings, written as local variables of the element. They see the flow scope's
 * variables, and the element's own ones set before activation (a multi-instance input element).
 */
export function applyInputMappings(ctx: ProcessingContext, el: ElementContext): Result<void> {
  if (el.element.inputMappings.length === 0) return ok(undefined);
  const context = ctx.state.visibleVariables(el.key);
  const doc = evaluateMappings(el.element.inputMappings, context, 'input', ctx.timestamp);
  if (!doc.ok) return doc;
  setLocalVariables(ctx, el, el.key, doc.value);
  return ok(undefined);
}

/**
 * Applies `zeebe:output` mappings: evaluated in the element's scope, propagated from its flow scope, or,
 * for an inner instance of a multi-instance activity, from its own scope (as Zeebe does), where the input
 * and output element variables live.
 */
export function applyOutputMappings(ctx: ProcessingContext, el: ElementContext): Result<void> {
  if (el.element.outputMappings.length === 0) return ok(undefined);
  const context = ctx.state.visibleVariables(el.key);
  const doc = evaluateMappings(el.element.outputMappings, context, 'output', ctx.timestamp);
  if (!doc.ok) return doc;
  propagateVariables(ctx, el, isInnerInstance(el) ? el.key : el.value.flowScopeKey, doc.value);
  return ok(undefined);
}
