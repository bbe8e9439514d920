export type JobCommandIntent =
  | 'COMPLETE'
  | 'FAIL'
  | 'THROW_ERROR'
  | 'UPDATE_RETRIES'
  | 'UPDATE_TIMEOUT'
  | 'TIME_OUT'
  | 'RECUR_AFTER_BACKOFF'
  | 'YIELD';

export type JobEventIntent =
  | 'CREATED'
  | 'COMPLETED'
  | 'FAILED'
  | 'ERROR_THROWN'
  | 'RETRIES_UPDATED'
  | 'TIMEOUT_UPDATED'
  | 'TIMED_OUT'
  | 'RECURRED_AFTER_BACKOFF'
  | 'YIELDED'
  | 'CANCELED'
  | 'MIGRATED';

export interface JobRecordValue {
  readonly type: string;
  readonly retries: number;
  readonly worker: string;
  /** Epoch millis when an activated job times out; -1 when not activated. */
  readonly deadline: number;
  readonly customHeaders: Record<string, string>;
  readonly variables: Record<string, unknown>;
  readonly errorMessage: string;
  readonly errorCode: string;
  /** Milliseconds to wait before the job can be activated again after a failure. */
  readonly retryBackoff: number;
  /** Epoch millis when a job in back-off becomes activatable again; -1 when none. */
  readonly recurringTime: number;
  /** On UPDATE_TIMEOUT: the new timeout in milliseconds. */
  readonly timeout: number;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
  /** COMPLETE and COMPLETED: the worker's result, for the job of an ad-hoc sub-process. */
  readonly result?: JobResult;
}

/**
 * What a worker's completion decides beyond variables (Zeebe's job result). Only the `adHocSubProcess` kind:
 * the elements to activate in the ad-hoc sub-process the job belongs to, and whether it is done.
 */
export interface JobResult {
  readonly type: 'adHocSubProcess';
  readonly activateElements?: readonly {
    readonly elementId: string;
    readonly variables?: Record<string, unknown>;
  }[];
  readonly isCompletionConditionFulfilled?: boolean;
  readonly isCancelRemainingInstances?: boolean;
}

/** What each job command carries: the worker's answer or the new setting, never a whole job. */
export interface JobCommandValues {
  readonly COMPLETE: { readonly variables: Record<string, unknown>; readonly result?: JobResult };
  readonly FAIL: {
    readonly retries: number;
    readonly errorMessage: string;
    readonly retryBackoff: number;
    readonly variables: Record<string, unknown>;
  };
  readonly THROW_ERROR: {
    readonly errorCode: string;
    readonly errorMessage: string;
    readonly variables: Record<string, unknown>;
  };
  readonly UPDATE_RETRIES: { readonly retries: number };
  readonly UPDATE_TIMEOUT: { readonly timeout: number };
  /** From the due-date scheduler: the job's deadline or back-off is reached (processing checks again). */
  readonly TIME_OUT: EmptyCommandValue;
  readonly RECUR_AFTER_BACKOFF: EmptyCommandValue;
  /** From the gateway: an activated job its worker never got (the job stream went away) is activatable again. */
  readonly YIELD: EmptyCommandValue;
}

/** The value of a command that says everything by its key. */
export type EmptyCommandValue = Readonly<Record<string, never>>;

export type JobCommand = {
  readonly [I in JobCommandIntent]: {
    readonly valueType: 'JOB';
    readonly intent: I;
    readonly value: JobCommandValues[I];
  };
}[JobCommandIntent];

export type JobEvent = {
  readonly valueType: 'JOB';
  readonly intent: JobEventIntent;
  readonly value: JobRecordValue;
};

export type JobRecord = JobCommand | JobEvent;

export interface ActivatedJob extends JobRecordValue {
  readonly key: string;
}

export interface JobBatchRecordValue {
  readonly type: string;
  readonly worker: string;
  /** Milliseconds a worker has to complete an activated job. */
  readonly timeout: number;
  readonly maxJobsToActivate: number;
  /** Names of the variables to fetch; empty means all visible variables. */
  readonly fetchVariables: readonly string[];
  readonly jobs: readonly ActivatedJob[];
  /** True when more jobs were activatable than were activated. */
  readonly truncated: boolean;
}

export type JobBatchRecord = {
  readonly valueType: 'JOB_BATCH';
  readonly intent: 'ACTIVATE' | 'ACTIVATED';
  readonly value: JobBatchRecordValue;
};

/**
 * A copy of a job value with some fields changed. An explicit literal on purpose: on Node 20 an object
 * spread gives every result a hidden class of its own (microseconds each, and hundreds of bytes of heap for
 * every job kept in the state); a literal shares one.
 */
export function jobValueWith(base: JobRecordValue, changes: Partial<JobRecordValue>): JobRecordValue {
  return {
    type: changes.type ?? base.type,
    retries: changes.retries ?? base.retries,
    worker: changes.worker ?? base.worker,
    deadline: changes.deadline ?? base.deadline,
    customHeaders: changes.customHeaders ?? base.customHeaders,
    variables: changes.variables ?? base.variables,
    errorMessage: changes.errorMessage ?? base.errorMessage,
    errorCode: changes.errorCode ?? base.errorCode,
    retryBackoff: changes.retryBackoff ?? base.retryBackoff,
    recurringTime: changes.recurringTime ?? base.recurringTime,
    timeout: changes.timeout ?? base.timeout,
    elementId: changes.elementId ?? base.elementId,
    elementInstanceKey: changes.elementInstanceKey ?? base.elementInstanceKey,
    processInstanceKey: changes.processInstanceKey ?? base.processInstanceKey,
    processDefinitionKey: changes.processDefinitionKey ?? base.processDefinitionKey,
    bpmnProcessId: changes.bpmnProcessId ?? base.bpmnProcessId,
    processDefinitionVersion: changes.processDefinitionVersion ?? base.processDefinitionVersion,
  };
}
