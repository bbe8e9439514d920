import type { CommandProcessor } from '../../processing/processing-context.js';
import { elementContextOf, isOfType } from '../../bpmn/element-context.js';
import { activateAdHocElement, unknownElements } from '../../bpmn/behaviors/ad-hoc.js';
import { isVariableDocument } from '../variable/variable-document.js';

/**
 * ACTIVATE: activates elements of an active ad-hoc sub-process, each in an inner instance of its own with the
 * given variables (Zeebe's "activate ad-hoc sub-process activities"). One bad element refuses them all.
 */
export const activateAdHocElements: CommandProcessor<'AD_HOC_SUB_PROCESS_INSTRUCTION:ACTIVATE'> = (
  command,
  ctx,
) => {
  const { value } = command;
  const key = value.adHocSubProcessInstanceKey;
  const expected = `Expected to activate activities for ad-hoc sub-process with key '${key}'`;
  const instance = ctx.state.elementInstance(key);
  const adHoc = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (
    !instance ||
    !adHoc ||
    instance.value.bpmnElementType !== 'AD_HOC_SUB_PROCESS' ||
    !isOfType(adHoc, 'AD_HOC_SUB_PROCESS')
  ) {
    ctx.reject(
      'NOT_FOUND',
      `Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process instance found with key '${key}'.`,
    );
    return;
  }
  if (instance.state !== 'ELEMENT_ACTIVATED') {
    ctx.reject('INVALID_STATE', `${expected}, but it is not active.`);
    return;
  }
  const elements = value.activateElements ?? [];
  const ids = elements.map((e) => e.elementId);
  if (new Set(ids).size !== ids.length) {
    ctx.reject('INVALID_ARGUMENT', `${expected}, but duplicate activities were given.`);
    return;
  }
  const unknown = unknownElements(adHoc, ids);
  if (unknown.length > 0) {
    ctx.reject('NOT_FOUND', `${expected}, but the given elements [${unknown.join(', ')}] do not exist.`);
    return;
  }
  const badVariables = elements.find((e) => e.variables !== undefined && !isVariableDocument(e.variables));
  if (badVariables) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `${expected}, but the variables of '${badVariables.elementId}' are not a JSON object (a document).`,
    );
    return;
  }
  for (const element of elements)
    activateAdHocElement(ctx, adHoc, element.elementId, element.variables ?? {});
  ctx.respond(
    ctx.appendEvent(command.key !== '-1' ? command.key : ctx.nextKey(), {
      valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
      intent: 'ACTIVATED',
      value,
    }),
  );
};
