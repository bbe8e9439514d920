import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import type { ActivateInstruction } from '../../records/modification.js';
import type { ElementContext } from '../../bpmn/element-context.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { command as lifecycleCommand } from '../../bpmn/behaviors/transitions.js';
import { setLocalVariables } from '../../bpmn/behaviors/variables.js';
import type { ActivationScope } from '../../bpmn/behaviors/activate-within.js';
import { activateElementIn, createScopes } from '../../bpmn/behaviors/activate-within.js';
import type { ExecutableElement } from '../../model/executable.js';
import { isVariableDocument } from '../variable/variable-document.js';

const NOT_ACTIVATABLE = new Set(['PROCESS', 'BOUNDARY_EVENT', 'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY']);

/**
 * MODIFY: activates elements (with variables) and terminates element instances of a running process
 * instance, e.g. to move a token past a step that cannot succeed. An element inside an embedded sub-process
 * that is not active gets that sub-process (and any enclosing one) created first, with its input mappings
 * and event subscriptions but without its start event. All instructions are checked first; one bad
 * instruction refuses the whole modification.
 */
export const modifyProcessInstance: CommandProcessor<'PROCESS_INSTANCE_MODIFICATION:MODIFY'> = (
  command,
  ctx,
) => {
  const { value } = command;
  const instance = ctx.state.elementInstance(value.processInstanceKey);
  if (!instance || instance.value.flowScopeKey !== '-1') {
    ctx.reject(
      'NOT_FOUND',
      `Expected to modify process instance '${value.processInstanceKey}', but no such process instance was found`,
    );
    return;
  }
  const processEl = elementContextOf(ctx.state, instance.key, instance.value)!;
  const activations: { scope: ActivationScope; instruction: ActivateInstruction }[] = [];
  for (const instruction of value.activateInstructions ?? []) {
    const scope = activationScope(ctx, processEl, instruction);
    if (typeof scope === 'string') {
      ctx.reject('INVALID_ARGUMENT', scope);
      return;
    }
    for (const v of instruction.variableInstructions ?? []) {
      if (!isVariableDocument(v.variables)) {
        ctx.reject(
          'INVALID_ARGUMENT',
          `Expected the variables for '${instruction.elementId}' to be a JSON object (a document)`,
        );
        return;
      }
    }
    activations.push({ scope, instruction });
  }
  for (const { elementInstanceKey } of value.terminateInstructions ?? []) {
    const target = ctx.state.elementInstance(elementInstanceKey);
    if (!target || target.value.processInstanceKey !== instance.key || target.key === instance.key) {
      ctx.reject(
        'INVALID_ARGUMENT',
        `Expected to terminate element instance '${elementInstanceKey}' of process instance '${instance.key}', but it is not an active element instance of it`,
      );
      return;
    }
  }
  ctx.respond(
    ctx.appendEvent(ctx.nextKey(), { valueType: 'PROCESS_INSTANCE_MODIFICATION', intent: 'MODIFIED', value }),
  );
  // Sub-processes created for the instructions, shared by those that need the same one.
  const created = new Map<string, ElementContext>();
  for (const { scope: where, instruction } of activations) {
    const scope = createScopes(ctx, where, created);
    if (!scope) continue; // a created sub-process stopped at an incident; resolving it starts it normally
    const element = scope.process.elements[instruction.elementId]!;
    activateElementIn(ctx, scope, element, (el) => {
      for (const v of instruction.variableInstructions ?? []) {
        // A scope id names the element itself, or one of the scopes it is activated in (created or not).
        const target =
          !v.scopeId || v.scopeId === element.id ? el.key : scopeNamed(ctx, scope.key, v.scopeId);
        setLocalVariables(ctx, el, target ?? instance.key, v.variables);
      }
    });
  }
  for (const { elementInstanceKey } of value.terminateInstructions ?? []) {
    const target = ctx.state.elementInstance(elementInstanceKey);
    if (target && target.state !== 'ELEMENT_TERMINATING') lifecycleCommand(ctx, target, 'TERMINATE_ELEMENT');
  }
};

/**
 * Where to activate the element: the active instance of its flow scope, or the nearest active ancestor scope
 * with the embedded sub-processes to create below it; or a message saying why there is none.
 */
function activationScope(
  ctx: ProcessingContext,
  processEl: ElementContext,
  instruction: ActivateInstruction,
): ActivationScope | string {
  const elements = processEl.process.elements;
  const element = elements[instruction.elementId];
  if (!element || NOT_ACTIVATABLE.has(element.type) || element.flowScopeId === '') {
    return `Expected to activate element '${instruction.elementId}', but it is not an activatable element of process '${processEl.value.bpmnProcessId}'`;
  }
  const ancestorKey =
    instruction.ancestorElementInstanceKey && instruction.ancestorElementInstanceKey !== '-1'
      ? instruction.ancestorElementInstanceKey
      : undefined;
  const missing: ExecutableElement[] = [];
  for (let scopeId = element.flowScopeId; ;) {
    const inner = elements[scopeId];
    if (inner?.type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE') {
      // An element of an ad-hoc sub-process runs in an activation of its own, as when the sub-process
      // activates it: a new inner instance in the active ad-hoc sub-process.
      missing.unshift(inner);
      scopeId = inner.flowScopeId;
      continue;
    }
    if (scopeId === processEl.element.id) {
      if (ancestorKey && ancestorKey !== processEl.key)
        return `Expected to activate element '${instruction.elementId}' in element instance '${ancestorKey}', but that is not an active instance of one of its flow scopes`;
      return { parent: processEl, missing };
    }
    const candidates = collectInstances(ctx, processEl.key).filter(
      (i) => i.value.elementId === scopeId && i.state === 'ELEMENT_ACTIVATED',
    );
    const chosen = ancestorKey ? candidates.find((c) => c.key === ancestorKey) : candidates[0];
    if (chosen && (ancestorKey || candidates.length === 1))
      return { parent: elementContextOf(ctx.state, chosen.key, chosen.value)!, missing };
    if (candidates.length > 1 && !ancestorKey) {
      return `Expected to activate element '${instruction.elementId}', but its flow scope '${scopeId}' has ${candidates.length} active instances; name one as ancestorElementInstanceKey`;
    }
    if (ancestorKey && candidates.length > 0) {
      return `Expected to activate element '${instruction.elementId}' in element instance '${ancestorKey}', but that is not an active instance of '${scopeId}'`;
    }
    const scope = elements[scopeId];
    if (scope?.type !== 'SUB_PROCESS' || scope.multiInstance) {
      return `Expected to activate element '${instruction.elementId}', but its flow scope '${scopeId}' has no active instance and, being ${scope?.multiInstance ? 'multi-instance' : `a ${scope?.type ?? 'unknown element'}`}, cannot be created by a modification; activate '${scopeId}' instead`;
    }
    missing.unshift(scope);
    scopeId = scope.flowScopeId;
  }
}

/** The key of the instance of `elementId` among `scopeKey` and the scopes around it, if any. */
function scopeNamed(ctx: ProcessingContext, scopeKey: string, elementId: string): string | undefined {
  for (let key = scopeKey; key !== '-1';) {
    const instance = ctx.state.elementInstance(key);
    if (!instance) return undefined;
    if (instance.value.elementId === elementId) return key;
    key = instance.value.flowScopeKey;
  }
  return undefined;
}

function collectInstances(ctx: ProcessingContext, scopeKey: string) {
  const out = [...ctx.state.childrenOf(scopeKey)];
  for (let i = 0; i < out.length; i++) out.push(...ctx.state.childrenOf(out[i]!.key));
  return out;
}
