import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ProcessInstanceRecordValue } from '../../records/process-instance.js';
import type { ProcessDefinition } from '../../state/types.js';
import type { ElementContext } from '../element-context.js';
import { elementContextOf } from '../element-context.js';
import { transition } from './transitions.js';
import { setLocalVariables } from './variables.js';
import { activateContainer } from './container.js';

/** The record value of a new process instance of a definition. */
export function processInstanceValue(
  definition: ProcessDefinition,
  processInstanceKey: string,
): ProcessInstanceRecordValue {
  return {
    bpmnProcessId: definition.bpmnProcessId,
    version: definition.version,
    processDefinitionKey: definition.key,
    processInstanceKey,
    elementId: definition.bpmnProcessId,
    bpmnElementType: 'PROCESS',
    flowScopeKey: '-1',
    parentProcessInstanceKey: '-1',
    parentElementInstanceKey: '-1',
  };
}

/**
 * Starts an instance at a start event with a definition (timer, message, signal): the variables go on the
 * process instance, the process is activated, then the given start event.
 */
export function startInstanceAt(
  ctx: ProcessingContext,
  definition: ProcessDefinition,
  startEventId: string,
  variables: Record<string, unknown>,
): ElementContext {
  const key = ctx.nextKey();
  const el = elementContextOf(ctx.state, key, processInstanceValue(definition, key))!;
  setLocalVariables(ctx, el, key, variables);
  transition(ctx, el, 'ELEMENT_ACTIVATING');
  activateContainer(ctx, el, startEventId);
  return el;
}
