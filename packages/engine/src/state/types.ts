import type { ExecutableProcess } from '../model/executable.js';
import type { ProcessInstanceRecordValue } from '../records/process-instance.js';
import type { JobRecordValue } from '../records/job.js';
import type { IncidentRecordValue } from '../records/incident.js';

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

export type ElementInstanceState =
  'ELEMENT_ACTIVATING' | 'ELEMENT_ACTIVATED' | 'ELEMENT_COMPLETING' | 'ELEMENT_TERMINATING';

export interface ElementInstance {
  readonly key: string;
  state: ElementInstanceState;
  readonly value: ProcessInstanceRecordValue;
  /** Child element instances that are not completed or terminated yet. */
  activeChildren: number;
  /** Sequence flows taken inside this scope whose target has not been activated yet (e.g. a waiting join). */
  activeSequenceFlows: number;
  /** Per parallel join gateway id: how often each incoming flow has been taken and not yet consumed. */
  joinFlows?: Record<string, Record<string, number>>;
  /** The job of a job worker task while it exists. */
  jobKey?: string;
  /** Element activations done while processing one command: bounds loops without a wait state. */
  activationsInStep?: number;
}

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'BACKOFF' | 'ERROR_THROWN';

export interface Job {
  readonly key: string;
  state: JobState;
  value: JobRecordValue;
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
  latestProcess(bpmnProcessId: string): ProcessDefinition | undefined;
  processByIdAndVersion(bpmnProcessId: string, version: number): ProcessDefinition | undefined;
  processes(): Iterable<ProcessDefinition>;
  elementInstance(key: string): Readonly<ElementInstance> | undefined;
  /** Element instances whose flow scope is the given key, in activation order. */
  childrenOf(flowScopeKey: string): Readonly<ElementInstance>[];
  localVariables(scopeKey: string): ReadonlyMap<string, unknown> | undefined;
  /** All variables visible from a scope, nearer scopes shadowing outer ones. */
  visibleVariables(scopeKey: string): Record<string, unknown>;
  /** The scope in the chain from `scopeKey` up that defines `name`, or undefined. */
  scopeDefining(scopeKey: string, name: string): string | undefined;
  job(key: string): Readonly<Job> | undefined;
  activatableJobs(type: string): Iterable<string>;
  hasActivatableJobs(type: string): boolean;
  incident(key: string): Readonly<Incident> | undefined;
  /** Every open incident of the partition. */
  openIncidents(): Iterable<Readonly<Incident>>;
  /** The variables a creator awaiting the instance's result asked for, or undefined when nobody awaits it. */
  awaitedResult(processInstanceKey: string): { readonly fetchVariables: readonly string[] } | undefined;
  incidentOfElementInstance(elementInstanceKey: string): Readonly<Incident> | undefined;
  incidentOfJob(jobKey: string): Readonly<Incident> | undefined;
  /** Jobs whose deadline or back-off lies at or before `now`. */
  dueJobs(now: number, limit: number): { key: string; reason: 'TIME_OUT' | 'RECUR_AFTER_BACKOFF' }[];
  /** The earliest deadline or back-off end, or undefined when nothing is due ever. */
  nextDueDate(): number | undefined;
  readonly counts: { readonly elementInstances: number; readonly jobs: number; readonly incidents: number };
}
