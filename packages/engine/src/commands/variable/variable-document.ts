import type { CommandProcessor } from '../../processing/processing-context.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { propagateVariables, setLocalVariables } from '../../bpmn/behaviors/variables.js';

/** True for a JSON object (a "document"), the only shape variables may come in. */
export function isVariableDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** UPDATE: sets variables on an element instance's scope, locally or with propagation (SetVariables). */
export const updateVariableDocument: CommandProcessor<'VARIABLE_DOCUMENT:UPDATE'> = (command, ctx) => {
  const { value } = command;
  const instance = ctx.state.elementInstance(value.scopeKey);
  if (!instance) {
    ctx.reject(
      'NOT_FOUND',
      `Expected to update variables for element with key '${value.scopeKey}', but no such element was found`,
    );
    return;
  }
  if (!isVariableDocument(value.variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  const el = elementContextOf(ctx.state, instance.key, instance.value)!;
  if (value.updateSemantics === 'LOCAL') setLocalVariables(ctx, el, instance.key, value.variables);
  else propagateVariables(ctx, el, instance.key, value.variables);
  ctx.respond(ctx.appendEvent(ctx.nextKey(), { valueType: 'VARIABLE_DOCUMENT', intent: 'UPDATED', value }));
};
