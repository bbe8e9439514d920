import type { CommandProcessor } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import type { ProcessInstanceRecordValue } from '../../records/process-instance.js';
import type { ProcessDefinition, ReadonlyEngineState } from '../../state/types.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { setLocalVariables } from '../../bpmn/behaviors/variables.js';
import { command as lifecycleCommand } from '../../bpmn/behaviors/transitions.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { startAtInstructions, startInstructionsProblem } from './start-instructions.js';

/**
 * CREATE: starts an instance of a process (by key, or by id and version, or the latest version) at its none
 * start event, or before the elements its start instructions name. The variables go on the process scope
 * before anything is activated.
 */
export const createProcessInstance: CommandProcessor<'PROCESS_INSTANCE_CREATION:CREATE'> = (command, ctx) => {
  const { value } = command;
  const definition = findDefinition(ctx.state, value);
  if (typeof definition === 'string') {
    ctx.reject('NOT_FOUND', definition);
    return;
  }
  if (!isVariableDocument(value.variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  const startInstructions = value.startInstructions ?? [];
  const processElement = definition.executable.elements[definition.bpmnProcessId];
  if (startInstructions.length === 0 && !processElement?.noneStartEventId) {
    ctx.reject(
      'INVALID_STATE',
      'Expected to create instance of process with none start event, but there is no such event',
    );
    return;
  }
  const problem = startInstructionsProblem(definition.executable, startInstructions);
  if (problem) {
    ctx.reject('INVALID_ARGUMENT', problem);
    return;
  }
  const processInstanceKey = ctx.nextKey();
  const processValue: ProcessInstanceRecordValue = {
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
  const el = elementContextOf(ctx.state, processInstanceKey, processValue)!;
  setLocalVariables(ctx, el, processInstanceKey, value.variables);
  const created = ctx.appendEvent(processInstanceKey, {
    valueType: 'PROCESS_INSTANCE_CREATION',
    intent: 'CREATED',
    value: {
      ...value,
      bpmnProcessId: definition.bpmnProcessId,
      version: definition.version,
      processDefinitionKey: definition.key,
      processInstanceKey,
    },
  });
  ctx.respond(created);
  if (startInstructions.length > 0) startAtInstructions(ctx, el, startInstructions);
  else lifecycleCommand(ctx, el, 'ACTIVATE_ELEMENT');
};

function findDefinition(
  state: ReadonlyEngineState,
  value: LoggedRecordOf<'PROCESS_INSTANCE_CREATION'>['value'],
): ProcessDefinition | string {
  if (value.processDefinitionKey !== '-1' && value.processDefinitionKey !== '') {
    return (
      state.processByKey(value.processDefinitionKey) ??
      `Expected to find process definition with key '${value.processDefinitionKey}', but none found`
    );
  }
  if (value.version >= 0) {
    return (
      state.processByIdAndVersion(value.bpmnProcessId, value.version) ??
      `Expected to find process definition with process ID '${value.bpmnProcessId}' and version '${value.version}', but none found`
    );
  }
  return (
    state.latestProcess(value.bpmnProcessId) ??
    `Expected to find process definition with process ID '${value.bpmnProcessId}', but none found`
  );
}
