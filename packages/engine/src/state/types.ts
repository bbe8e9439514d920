import type { ExecutableProcess } from '../model/executable.js';
import type { JobRecordValue } from '../records/job.js';
import type { IncidentRecordValue } from '../records/incident.js';
import type { UserTaskRecordValue } from '../records/user-task.js';
import type { CompensationSubscriptionRecordValue } from '../records/compensation.js';
import type { DecisionRecordValue } from '../records/decision.js';
import type { DueItem } from './due-date-index.js';
import type { BufferedMessage, MessageSubscription, SignalSubscription, Timer, Wait } from './wait-state.js';

/** Timers, buffered messages and subscriptions, read-only. */
export interface ReadonlyWaitState {
  readonly timers: ReadonlyMap<string, Timer>;
  readonly messages: ReadonlyMap<string, BufferedMessage>;
  readonly messageSubscriptions: ReadonlyMap<string, MessageSubscription>;
  readonly signalSubscriptions: ReadonlyMap<string, SignalSubscription>;
  /** The timers and subscriptions an element instance owns, oldest first (a copy). */
  waitsOf(elementInstanceKey: string): readonly Wait[];
  bufferedMessages(name: string, correlationKey: string): readonly BufferedMessage[];
  messageWithId(name: string, correlationKey: string, messageId: string): BufferedMessage | undefined;
  subscriptionsFor(name: string, correlationKey: string): readonly MessageSubscription[];
  signalSubscriptionsFor(name: string): readonly SignalSubscription[];
}

export interface ProcessDefinition {
  readonly key: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly resourceName: string;
  readonly checksum: string;
  readonly resource: string;
  readonly deploymentKey: string;
  readonly executable: ExecutableProcess;
}

export type { ElementInstance, ElementInstanceState } from './element-instance.js';
import type { ElementInstance } from './element-instance.js';
import type { ReadonlyFormState } from './form-state.js';
import type { ReadonlyBatchOperationState } from './batch-operation-state.js';

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'BACKOFF' | 'ERROR_THROWN';

export interface Job {
  readonly key: string;
  state: JobState;
  value: JobRecordValue;
}

export interface UserTask {
  readonly key: string;
  readonly value: UserTaskRecordValue;
}

export interface CompensationSubscription {
  readonly key: string;
  readonly value: CompensationSubscriptionRecordValue;
}

export interface Incident {
  readonly key: string;
  readonly value: IncidentRecordValue;
}

/**
 * The state processors may read. They never change it: state changes only by applying events.
 */
export interface ReadonlyEngineState {
  readonly partitionId: number;
  processByKey(key: string): ProcessDefinition | undefined;
  decisionByKey(key: string): DecisionRecordValue | undefined;
  /** Process instances of a definition that are still running. */
  runningInstancesOf(processDefinitionKey: string): number;
  latestDecision(decisionId: string): DecisionRecordValue | undefined;
  decisions(): Iterable<DecisionRecordValue>;
  latestProcess(bpmnProcessId: string): ProcessDefinition | undefined;
  processByIdAndVersion(bpmnProcessId: string, version: number): ProcessDefinition | undefined;
  /** The latest version of a process id tagged with `versionTag` (`zeebe:versionTag`). */
  processByIdAndVersionTag(bpmnProcessId: string, versionTag: string): ProcessDefinition | undefined;
  processes(): Iterable<ProcessDefinition>;
  /** The latest version of every process id. */
  latestProcesses(): ProcessDefinition[];
  readonly waits: ReadonlyWaitState;
  /** Deployed forms (`.form` resources). */
  readonly forms: ReadonlyFormState;
  /** The batch operations this partition owns. */
  readonly batchOperations: ReadonlyBatchOperationState;
  elementInstance(key: string): Readonly<ElementInstance> | undefined;
  /** Element instances whose flow scope is the given key, in activation order. */
  childrenOf(flowScopeKey: string): Readonly<ElementInstance>[];
  /** The variables set on exactly this scope (a null-prototype object), or undefined when it has none. */
  localVariables(scopeKey: string): Readonly<Record<string, unknown>> | undefined;
  /** All variables visible from a scope, nearer scopes shadowing outer ones. */
  visibleVariables(scopeKey: string): Record<string, unknown>;
  /** The scope in the chain from `scopeKey` up that defines `name`, or undefined. */
  scopeDefining(scopeKey: string, name: string): string | undefined;
  job(key: string): Readonly<Job> | undefined;
  activatableJobs(type: string): Iterable<string>;
  hasActivatableJobs(type: string): boolean;
  incident(key: string): Readonly<Incident> | undefined;
  userTask(key: string): UserTask | undefined;
  /** Compensation subscriptions of completed activities in a scope, oldest first. */
  compensationsIn(flowScopeKey: string): CompensationSubscription[];
  /** Every open user task of the partition. */
  userTasks(): Iterable<UserTask>;
  /** Every open incident of the partition. */
  openIncidents(): Iterable<Readonly<Incident>>;
  /** The variables a creator awaiting the instance's result asked for, or undefined when nobody awaits it. */
  awaitedResult(processInstanceKey: string): { readonly fetchVariables: readonly string[] } | undefined;
  incidentOfElementInstance(elementInstanceKey: string): Readonly<Incident> | undefined;
  incidentOfJob(jobKey: string): Readonly<Incident> | undefined;
  /** Job deadlines and back-offs, timers and message expiries due at or before `now`, earliest first. */
  dueItems(now: number, limit: number): DueItem[];
  /** The earliest due date, or undefined when nothing is due ever. */
  nextDueDate(): number | undefined;
  readonly counts: { readonly elementInstances: number; readonly jobs: number; readonly incidents: number };
  /** The source position of the last message or signal handed over from a partition (0: none yet). */
  handOverPosition(sourcePartitionId: number): number;
}
