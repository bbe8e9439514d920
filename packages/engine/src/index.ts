export type {
  RecordType,
  RejectionType,
  RecordBody,
  CommandBody,
  CommandName,
  EventBody,
  LoggedCommand,
  LoggedEventOf,
  ValueType,
  IntentOf,
  ValueOf,
  LoggedRecord,
  LoggedRecordOf,
} from './records/record.js';
export type {
  DeploymentRecordValue,
  DeploymentResource,
  DeployedProcessMetadata,
  DeployedFormMetadata,
} from './records/deployment.js';
export type { FormRecordValue } from './records/form.js';
export type { ProcessRecordValue } from './records/process.js';
export type { HandOver } from './records/message.js';
export type { ProcessInstanceRecordValue } from './records/process-instance.js';
export type {
  ProcessInstanceCreationRecordValue,
  ProcessInstanceCreationStartInstruction,
  ProcessInstanceResultRecordValue,
} from './records/process-instance-creation.js';
export type { JobRecordValue, JobBatchRecordValue, ActivatedJob, JobResult } from './records/job.js';
export type { VariableRecordValue, VariableDocumentRecordValue } from './records/variable.js';
export type { IncidentRecordValue, IncidentErrorType } from './records/incident.js';
export type { UserTaskRecordValue } from './records/user-task.js';
export type { ActivateInstruction, ProcessInstanceModificationRecordValue } from './records/modification.js';
export type {
  AdHocActivateElementInstruction,
  AdHocSubProcessInstructionRecordValue,
} from './records/ad-hoc-sub-process-instruction.js';
export type { BpmnElementType, ExecutableProcess, ExecutableElement } from './model/executable.js';
export { encodeKey, partitionOfKey, isKey, NO_KEY, KeyGenerator } from './keys.js';
export type {
  JobState,
  ElementInstanceState,
  ReadonlyEngineState,
  ProcessDefinition,
} from './state/types.js';
export { EngineState } from './state/engine-state.js';
export type {
  BatchOperation,
  BatchOperationItemEntry,
  ReadonlyBatchOperationState,
} from './state/batch-operation-state.js';
export { ENDED_BATCH_STATES } from './state/batch-operation-state.js';
export type {
  BatchOperationChunkValue,
  BatchOperationCreationValue,
  BatchOperationItem,
  BatchOperationItemOutcome,
  BatchOperationItemState,
  BatchOperationState,
  BatchOperationType,
} from './records/batch-operation.js';
export { BATCH_OPERATION_TYPES } from './records/batch-operation.js';
export { jsonSize } from './state/json-size.js';
export { StreamProcessor } from './processing/stream-processor.js';
export type { ProcessedCommand } from './processing/stream-processor.js';
export { dueItemCommand } from './processing/due-commands.js';
export type { ClientCommand } from './processing/processing-context.js';
export { parseBpmn } from './model/parse-bpmn.js';
export type { FlowElementLimitExceeded, ParseBpmnOptions } from './model/parse-bpmn.js';
export {
  countFlowElementTags,
  DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE,
  flowElementLimitMessage,
} from './model/flow-element-limit.js';
export { parseDmn } from './decisions/parse-dmn.js';
export { parseForm } from './model/parse-form.js';
export type { ParsedForm } from './model/parse-form.js';
export type { ExecutableDrg } from './decisions/executable-decision.js';
export type {
  DecisionRecordValue,
  DecisionEvaluationRecordValue,
  EvaluatedDecisionValue,
} from './records/decision.js';
export type {
  EvaluatedDecision,
  EvaluatedInput,
  EvaluatedOutput,
  MatchedRule,
} from './decisions/decision-evaluator.js';
export { parseDuration, addDuration, parseDateTime } from './timers/iso8601.js';
export { checkFeelSyntax, evaluateFeel } from './expressions/feel.js';
export {
  DEFAULT_EXPRESSION_LIMITS,
  ExpressionTimeout,
  setExpressionLimits,
} from './expressions/evaluation-limits.js';
export type { ExpressionLimits, TimeBoundRunner } from './expressions/evaluation-limits.js';
export type { Result } from './expressions/feel.js';
export { DEFAULT_MINIMUM_CYCLE_INTERVAL_MS, setMinimumCycleInterval } from './timers/cycle-limit.js';
