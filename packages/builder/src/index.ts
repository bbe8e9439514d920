// The public API of @baton-engine/builder: a fluent, code-first way to write Camunda 8 BPMN with a diagram.
export { process, createProcess, ProcessBuilder } from './fluent/process-builder.js';
export type { ProcessOptions } from './fluent/process-builder.js';
export { FlowBuilder } from './fluent/flow-builder.js';
export type { FlowOptions, ScopeBuild } from './fluent/flow-builder.js';
export { BuiltProcess } from './built-process.js';
export { BuilderError } from './builder-error.js';
export type { ModdleElement } from './moddle-element.js';
// Declared apart from the emitters: the published types must not import bpmn-moddle, which has none.
export { EXECUTION_PLATFORM_VERSION } from './emit/execution-platform.js';
export type {
  ActivityOptions,
  ElementOptions,
  IoMappingOptions,
  JobOptions,
  MultiInstanceOptions,
  OutputMappingOptions,
} from './elements/element-options.js';
export type { CompensationOptions, MessageOptions, TimerOptions } from './elements/event-definitions.js';
export type { VariableMapping } from './model/extension-model.js';
export type { StartEventOptions } from './elements/start-event.js';
export type { EndEventOptions } from './elements/end-event.js';
export type { IntermediateCatchEventOptions } from './elements/intermediate-catch-event.js';
export type { IntermediateThrowEventOptions } from './elements/intermediate-throw-event.js';
export type { BoundaryEventOptions } from './elements/boundary-event.js';
export type { TaskOptions } from './elements/task.js';
export type { ManualTaskOptions } from './elements/manual-task.js';
export type { ServiceTaskOptions } from './elements/service-task.js';
export type { ScriptTaskOptions } from './elements/script-task.js';
export type { SendTaskOptions } from './elements/send-task.js';
export type { ReceiveTaskOptions } from './elements/receive-task.js';
export type { UserTaskOptions } from './elements/user-task.js';
export type { BusinessRuleTaskOptions, CalledDecisionOptions } from './elements/business-rule-task.js';
export type { CallActivityOptions } from './elements/call-activity.js';
export type { SubProcessOptions } from './elements/sub-process.js';
export type { EventSubProcessOptions } from './elements/event-sub-process.js';
export type { ExclusiveGatewayOptions } from './elements/exclusive-gateway.js';
export type { InclusiveGatewayOptions } from './elements/inclusive-gateway.js';
export type { ParallelGatewayOptions } from './elements/parallel-gateway.js';
export type { EventBasedGatewayOptions } from './elements/event-based-gateway.js';
