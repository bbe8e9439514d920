import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import type { ActivateInstruction } from '../../records/modification.js';
import type { ElementContext } from '../../bpmn/element-context.js';
import { childValue, elementContextOf } from '../../bpmn/element-context.js';
import { command as lifecycleCommand, transition } from '../../bpmn/behaviors/transitions.js';
import { setLocalVariables } from '../../bpmn/behaviors/variables.js';
import { isVariableDocument } from '../variable/variable-document.js';

const NOT_ACTIVATABLE = new Set(['PROCESS', 'BOUNDARY_EVENT', 'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY']);

/**
 * MODIFY: activates elements (with variables) and terminates element instances of a running process
 * instance, e.g. to move a token past a step that cannot succeed. All instructions are checked first;
 * one bad instruction refuses the whole modification.
 */
export const modifyProcessInstance: CommandProcessor = (command, ctx) => {
  const { value } = command as LoggedRecordOf<'PROCESS_INSTANCE_MODIFICATION'>;
  const instance = ctx.state.elementInstance(value.processInstanceKey);
  if (!instance || instance.value.flowScopeKey !== '-1') {
    ctx.reject(
      'NOT_FOUND',
      `Expected to modify process instance '${value.processInstanceKey}', but no such process instance was found`,
    );
    return;
  }
  const processEl = elementContextOf(ctx.state, instance.key, instance.value)!;
  const activations: { scope: ElementContext; instruction: ActivateInstruction }[] = [];
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
  for (const { scope, instruction } of activations) {
    const element = scope.process.elements[instruction.elementId]!;
    const el: ElementContext = {
      key: ctx.nextKey(),
      value: childValue(scope, element),
      element,
      process: scope.process,
    };
    transition(ctx, el, 'ELEMENT_ACTIVATING');
    for (const v of instruction.variableInstructions ?? []) {
      if (v.scopeId && v.scopeId !== element.id) setLocalVariables(ctx, el, instance.key, v.variables);
      else setLocalVariables(ctx, el, el.key, v.variables);
    }
    lifecycleCommand(ctx, el, 'ACTIVATE_ELEMENT');
  }
  for (const { elementInstanceKey } of value.terminateInstructions ?? []) {
    const target = ctx.state.elementInstance(elementInstanceKey);
    if (target && target.state !== 'ELEMENT_TERMINATING') lifecycleCommand(ctx, target, 'TERMINATE_ELEMENT');
  }
};

/** The active instance of the element's flow scope to activate it in, or a message saying why there is none. */
function activationScope(
  ctx: ProcessingContext,
  processEl: ElementContext,
  instruction: ActivateInstruction,
): ElementContext | string {
  const element = processEl.process.elements[instruction.elementId];
  if (!element || NOT_ACTIVATABLE.has(element.type) || element.flowScopeId === '') {
    return `Expected to activate element '${instruction.elementId}', but it is not an activatable element of process '${processEl.value.bpmnProcessId}'`;
  }
  if (element.flowScopeId === processEl.element.id) return processEl;
  const candidates = collectInstances(ctx, processEl.key).filter(
    (i) => i.value.elementId === element.flowScopeId && i.state === 'ELEMENT_ACTIVATED',
  );
  const chosen =
    instruction.ancestorElementInstanceKey && instruction.ancestorElementInstanceKey !== '-1'
      ? candidates.find((c) => c.key === instruction.ancestorElementInstanceKey)
      : candidates.length === 1
        ? candidates[0]
        : undefined;
  if (!chosen) {
    return candidates.length > 1
      ? `Expected to activate element '${instruction.elementId}', but its flow scope '${element.flowScopeId}' has ${candidates.length} active instances; name one as ancestorElementInstanceKey`
      : `Expected to activate element '${instruction.elementId}', but its flow scope '${element.flowScopeId}' has no active instance; activate '${element.flowScopeId}' instead`;
  }
  return elementContextOf(ctx.state, chosen.key, chosen.value)!;
}

function collectInstances(ctx: ProcessingContext, scopeKey: string) {
  const out = [...ctx.state.childrenOf(scopeKey)];
  for (let i = 0; i < out.length; i++) out.push(...ctx.state.childrenOf(out[i]!.key));
  return out;
}
