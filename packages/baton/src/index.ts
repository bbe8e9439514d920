export { createEngine, Engine } from './engine.js';
export type { EngineOptions } from './engine.js';
export type { MailItem, PartitionMailbox } from './runtime/partition-mailbox.js';
export type { JobStreamRequest, LocalSubmit, RemotePartitions } from './runtime/remote-partitions.js';
export type { BatchOperationOnWire, PartitionRead, PartitionReadAnswer } from './runtime/partition-reads.js';
export { DEFAULT_COMMAND_LIMITS } from './runtime/command-limits.js';
export type { CommandLimits } from './runtime/command-limits.js';
export type { BackPressureAlgorithm, BackPressureOptions } from './runtime/back-pressure.js';
export { DEFAULT_BACK_PRESSURE } from './runtime/back-pressure.js';
export { DEFAULT_DEPLOYMENT_LIMITS } from './runtime/deployments.js';
export type { DeploymentLimits } from './runtime/deployments.js';
export { BatonError } from './errors.js';
export { decodeResource } from './runtime/decode-resource.js';
export type { BatonErrorCode } from './errors.js';
export { ControlledClock, systemClock } from './runtime/clock.js';
export type { Clock } from './runtime/clock.js';
export type { ActivateJobsRequest } from './runtime/job-dispatcher.js';
export type { BatchOperationItemSource } from './runtime/batch-operation-items.js';
export { DEFAULT_EXPORTER_RETRY } from './runtime/exporter.js';
export type {
  EngineLogger,
  Exporter,
  ExporterContext,
  ExporterRetryOptions,
  ExporterStats,
  ExportBatch,
} from './runtime/exporter.js';
export { BpmnError } from './workers/job-worker.js';
export type { Job, JobWorker, JobWorkerOptions } from './workers/job-worker.js';
export type {
  Variables,
  DeployResource,
  DeployedProcess,
  DeployedDecision,
  DeployedDecisionRequirements,
  EvaluateDecisionOptions,
  DeployedForm,
  Form,
  DecisionEvaluation,
  Deployment,
  CreateInstanceOptions,
  CreateInstanceWithResultOptions,
  ProcessInstance,
  InstanceResult,
  FailJobOptions,
  ThrowErrorOptions,
  UserTask,
  UserTaskChanges,
  UserTaskFilter,
  EngineHealth,
  EngineStats,
  EngineTopology,
  ClusterTopology,
  ClusterTopologyNode,
  NodePartition,
  PartitionStats,
  ProcessModel,
} from './api-types.js';
export type { ActivatedJob, CommandBody, JobResult, LoggedRecord } from '@baton-engine/engine';
export type {
  BatchOperation,
  BatchOperationCreationValue,
  BatchOperationItem,
  BatchOperationItemEntry,
  BatchOperationItemState,
  BatchOperationState,
  BatchOperationType,
} from '@baton-engine/engine';
export { MAX_BATCH_OPERATION_ITEMS } from '@baton-engine/engine';
export { createProcess, BuilderError, BuiltProcess } from '@baton-engine/builder';
export type { ProcessBuilder, FlowBuilder } from '@baton-engine/builder';
