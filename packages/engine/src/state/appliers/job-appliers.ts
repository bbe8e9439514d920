import type { LoggedEventOf } from '../../records/record.js';
import type { EngineState } from '../engine-state.js';
import { jobValueWith } from '../../records/job.js';

type JobRecord = LoggedEventOf<'JOB'>;

export function jobCreated(state: EngineState, record: JobRecord): void {
  state.putJob({ key: record.key, state: 'ACTIVATABLE', value: record.value });
  const element = state.elementInstance(record.value.elementInstanceKey);
  if (element) element.jobKey = record.key;
}

export function jobsActivated(state: EngineState, record: LoggedEventOf<'JOB_BATCH'>): void {
  for (const activated of record.value.jobs) {
    const job = state.job(activated.key);
    if (!job) continue;
    job.state = 'ACTIVATED';
    job.value = jobValueWith(job.value, { worker: record.value.worker, deadline: activated.deadline });
    state.indexJob(job);
  }
}

export function jobEnded(state: EngineState, record: JobRecord): void {
  state.removeJob(record.key);
  const element = state.elementInstance(record.value.elementInstanceKey);
  if (element && element.jobKey === record.key) element.jobKey = undefined;
}

export function jobFailed(state: EngineState, record: JobRecord): void {
  const job = state.job(record.key);
  if (!job) return;
  const { retries, retryBackoff, errorMessage, recurringTime } = record.value;
  job.value = jobValueWith(job.value, {
    retries,
    retryBackoff,
    errorMessage,
    recurringTime,
    deadline: -1,
    worker: '',
  });
  job.state = retries <= 0 ? 'FAILED' : retryBackoff > 0 ? 'BACKOFF' : 'ACTIVATABLE';
  state.indexJob(job);
}

export function jobActivatableAgain(state: EngineState, record: JobRecord): void {
  const job = state.job(record.key);
  if (!job) return;
  job.value = jobValueWith(job.value, { deadline: -1, worker: '', recurringTime: -1 });
  job.state = 'ACTIVATABLE';
  state.indexJob(job);
}

export function jobRetriesUpdated(state: EngineState, record: JobRecord): void {
  const job = state.job(record.key);
  if (!job) return;
  job.value = jobValueWith(job.value, { retries: record.value.retries });
}

export function jobTimeoutUpdated(state: EngineState, record: JobRecord): void {
  const job = state.job(record.key);
  if (!job) return;
  job.value = jobValueWith(job.value, { deadline: record.value.deadline });
  state.indexJob(job);
}

export function jobErrorThrown(state: EngineState, record: JobRecord): void {
  const job = state.job(record.key);
  if (!job) return;
  job.value = jobValueWith(job.value, {
    errorCode: record.value.errorCode,
    errorMessage: record.value.errorMessage,
  });
  job.state = 'ERROR_THROWN';
  state.indexJob(job);
}
