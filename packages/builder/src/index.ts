// The public API of @baton/builder: a fluent, code-first way to write Camunda 8 BPMN with a diagram.
export { process, createProcess, ProcessBuilder } from './fluent/process-builder.js';
export type { ProcessOptions } from './fluent/process-builder.js';
export { FlowBuilder } from './fluent/flow-builder.js';
export type { FlowOptions } from './fluent/flow-builder.js';
export { BuiltProcess } from './built-process.js';
export { BuilderError } from './builder-error.js';
export type { ModdleElement } from './emit/moddle.js';
export { EXECUTION_PLATFORM_VERSION } from './emit/to-definitions.js';
export type { ElementOptions, IoMappingOptions } from './elements/element-options.js';
export type { VariableMapping } from './model/extension-model.js';
export type { StartEventOptions } from './elements/start-event.js';
export type { EndEventOptions } from './elements/end-event.js';
export type { TaskOptions } from './elements/task.js';
export type { ManualTaskOptions } from './elements/manual-task.js';
export type { ServiceTaskOptions } from './elements/service-task.js';
export type { ScriptTaskOptions } from './elements/script-task.js';
export type { ExclusiveGatewayOptions } from './elements/exclusive-gateway.js';
export type { ParallelGatewayOptions } from './elements/parallel-gateway.js';
