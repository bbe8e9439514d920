export type JobCommandIntent =
  | 'COMPLETE'
  | 'FAIL'
  | 'THROW_ERROR'
  | 'UPDATE_RETRIES'
  | 'UPDATE_TIMEOUT'
  | 'TIME_OUT'
  | 'RECUR_AFTER_BACKOFF';

export type JobEventIntent =
  | 'CREATED'
  | 'COMPLETED'
  | 'FAILED'
  | 'ERROR_THROWN'
  | 'RETRIES_UPDATED'
  | 'TIMEOUT_UPDATED'
  | 'TIMED_OUT'
  | 'RECURRED_AFTER_BACKOFF'
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
}

export type JobRecord = {
  readonly valueType: 'JOB';
  readonly intent: JobCommandIntent | JobEventIntent;
  readonly value: JobRecordValue;
};

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
