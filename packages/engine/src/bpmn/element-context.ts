import type {
  ElementOfType,
  ElementType,
  ExecutableElement,
  ExecutableProcess,
} from '../model/executable.js';
import type { ProcessInstanceRecordValue } from '../records/process-instance.js';
import type { ReadonlyEngineState } from '../state/types.js';

/** One element instance as a lifecycle step sees it: its key, its record value and its model element. */
export interface ElementContext<E extends ExecutableElement = ExecutableElement> {
  readonly key: string;
  readonly value: ProcessInstanceRecordValue;
  readonly element: E;
  readonly process: ExecutableProcess;
}

/** Resolves the model element of a record value; undefined only if the process definition is gone (a bug). */
export function elementContextOf(
  state: ReadonlyEngineState,
  key: string,
  value: ProcessInstanceRecordValue,
): ElementContext | undefined {
  const process = state.processByKey(value.processDefinitionKey)?.executable;
  const element = process?.elements[value.elementId];
  if (!process || !element) return undefined;
  return { key, value, element, process };
}

/** The record value of a new element instance inside the given flow scope. */
export function childValue(scope: ElementContext, element: ExecutableElement): ProcessInstanceRecordValue {
  // An explicit literal, not a spread: on Node 20 a spread result gets a hidden class of its own, which
  // costs microseconds and, kept in the state for every element instance, hundreds of bytes.
  const value = scope.value;
  return {
    bpmnProcessId: value.bpmnProcessId,
    version: value.version,
    processDefinitionKey: value.processDefinitionKey,
    processInstanceKey: value.processInstanceKey,
    elementId: element.id,
    // A multi-instance activity is entered through its body, which then creates the inner instances.
    bpmnElementType: element.multiInstance ? 'MULTI_INSTANCE_BODY' : element.type,
    flowScopeKey: scope.key,
    parentProcessInstanceKey: value.parentProcessInstanceKey,
    parentElementInstanceKey: value.parentElementInstanceKey,
  };
}

/** True for an inner instance of a multi-instance activity (its flow scope is the body). */
export function isInnerInstance(el: ElementContext): boolean {
  return el.element.multiInstance !== undefined && el.value.bpmnElementType !== 'MULTI_INSTANCE_BODY';
}

/** True when the element instance is of the given kind: its context then reads that kind's parts. */
export function isOfType<T extends ElementType>(
  el: ElementContext,
  type: T,
): el is ElementContext<ElementOfType<T>> {
  return el.element.type === type;
}
