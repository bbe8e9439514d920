import type { EventIntentOf, LoggedRecord, LoggedEventOf, ValueType } from '../../records/record.js';
import type { EngineState } from '../engine-state.js';
import { partitionOfKey } from '../../keys.js';
import * as pi from './process-instance-appliers.js';
import * as job from './job-appliers.js';
import * as wait from './wait-appliers.js';
import * as batch from './batch-operation-appliers.js';

type Applier<V extends ValueType> = (state: EngineState, record: LoggedEventOf<V>) => void;
type Appliers = { [V in ValueType]: Partial<Record<EventIntentOf<V>, Applier<V>>> };

const none = () => {};

/** One applier per event; an event without an entry changes no working state (it is history only). */
const APPLIERS: Appliers = {
  DEPLOYMENT: { CREATED: none, DISTRIBUTED: none },
  PROCESS: {
    CREATED: (state, r) =>
      state.putProcess({
        key: r.value.processDefinitionKey,
        bpmnProcessId: r.value.bpmnProcessId,
        version: r.value.version,
        resourceName: r.value.resourceName,
        checksum: r.value.checksum,
        resource: r.value.resource,
        deploymentKey: r.value.deploymentKey,
        executable: r.value.executable,
      }),
    DELETED: (state, r) => state.removeProcess(r.value.processDefinitionKey),
  },
  PROCESS_INSTANCE: {
    ELEMENT_ACTIVATING: pi.elementActivating,
    ELEMENT_ACTIVATED: pi.elementStateChanged,
    ELEMENT_COMPLETING: pi.elementStateChanged,
    ELEMENT_TERMINATING: pi.elementStateChanged,
    ELEMENT_COMPLETED: pi.elementEnded,
    ELEMENT_TERMINATED: pi.elementEnded,
    SEQUENCE_FLOW_TAKEN: pi.sequenceFlowTaken,
    ELEMENT_MIGRATED: (state, r) => {
      const instance = state.elementInstance(r.key);
      if (instance) instance.value = r.value;
    },
  },
  PROCESS_INSTANCE_CREATION: {
    CREATED: (state, r) => {
      if (r.value.awaitResult)
        state.setAwaitedResult(r.value.processInstanceKey, r.value.fetchVariables ?? []);
    },
  },
  PROCESS_INSTANCE_RESULT: {
    COMPLETED: (state, r) => state.setAwaitedResult(r.value.processInstanceKey, undefined),
  },
  JOB: {
    CREATED: job.jobCreated,
    COMPLETED: job.jobEnded,
    CANCELED: job.jobEnded,
    FAILED: job.jobFailed,
    TIMED_OUT: job.jobActivatableAgain,
    RECURRED_AFTER_BACKOFF: job.jobActivatableAgain,
    YIELDED: job.jobActivatableAgain,
    RETRIES_UPDATED: job.jobRetriesUpdated,
    TIMEOUT_UPDATED: job.jobTimeoutUpdated,
    ERROR_THROWN: job.jobErrorThrown,
    MIGRATED: (state, r) => {
      const migrated = state.job(r.key);
      if (migrated) migrated.value = r.value;
    },
  },
  JOB_BATCH: { ACTIVATED: job.jobsActivated },
  VARIABLE: {
    CREATED: (state, r) =>
      state.setVariable(r.value.scopeKey, r.value.name, r.value.value, r.value.processInstanceKey),
    UPDATED: (state, r) =>
      state.setVariable(r.value.scopeKey, r.value.name, r.value.value, r.value.processInstanceKey),
  },
  VARIABLE_DOCUMENT: { UPDATED: none },
  TIMER: { CREATED: wait.timerCreated, TRIGGERED: wait.timerEnded, CANCELED: wait.timerEnded },
  MESSAGE: { PUBLISHED: wait.messagePublished, EXPIRED: wait.messageExpired },
  MESSAGE_SUBSCRIPTION: {
    CREATED: wait.messageSubscriptionCreated,
    CORRELATED: wait.messageSubscriptionCorrelated,
    DELETED: wait.messageSubscriptionDeleted,
  },
  SIGNAL: {
    BROADCASTED: (state, r) => {
      if (r.value.handOver) state.acceptHandOver(partitionOfKey(r.key), r.value.handOver.sourcePosition);
    },
  },
  SIGNAL_SUBSCRIPTION: { CREATED: wait.signalSubscriptionCreated, DELETED: wait.signalSubscriptionDeleted },
  USER_TASK: {
    CREATED: (state, r) => state.putUserTask({ key: r.key, value: r.value }),
    ASSIGNED: (state, r) => state.putUserTask({ key: r.key, value: r.value }),
    UPDATED: (state, r) => state.putUserTask({ key: r.key, value: r.value }),
    COMPLETED: (state, r) => state.removeUserTask(r.key),
    CANCELED: (state, r) => state.removeUserTask(r.key),
    MIGRATED: (state, r) => state.putUserTask({ key: r.key, value: r.value }),
  },
  PROCESS_INSTANCE_MIGRATION: { MIGRATED: none },
  AD_HOC_SUB_PROCESS_INSTRUCTION: {
    ACTIVATED: none,
    COMPLETED: (state, r) => {
      const instance = state.elementInstance(r.value.adHocSubProcessInstanceKey);
      if (instance) instance.completionConditionFulfilled = true;
    },
  },
  COMPENSATION_SUBSCRIPTION: {
    CREATED: (state, r) => state.putCompensation({ key: r.key, value: r.value }),
    TRIGGERED: (state, r) => state.putCompensation({ key: r.key, value: r.value }),
    COMPENSATING: (state, r) => state.putCompensation({ key: r.key, value: r.value }),
    COMPLETED: (state, r) => state.removeCompensation(r.key),
    DELETED: (state, r) => state.removeCompensation(r.key),
  },
  DECISION: {
    CREATED: (state, r) => state.putDecision(r.value),
    DELETED: (state, r) => state.removeDecision(r.value.decisionKey),
  },
  FORM: {
    CREATED: (state, r) => state.forms.put(r.value),
    DELETED: (state, r) => state.forms.remove(r.value.formKey),
  },
  PROCESS_INSTANCE_MODIFICATION: { MODIFIED: none },
  RESOURCE_DELETION: { DELETED: none },
  DECISION_EVALUATION: { EVALUATED: none, FAILED: none },
  BATCH_OPERATION: {
    CREATED: batch.created,
    CHUNK_CREATED: batch.chunkCreated,
    EXECUTING: batch.executing,
    OUTCOMES_RECORDED: batch.outcomesRecorded,
    COMPLETED: batch.completed,
    SUSPENDED: batch.suspended,
    RESUMED: batch.resumed,
    CANCELED: batch.canceled,
    FAILED: batch.failed,
  },
  INCIDENT: {
    CREATED: (state, r) => state.putIncident({ key: r.key, value: r.value }),
    MIGRATED: (state, r) => state.putIncident({ key: r.key, value: r.value }),
    RESOLVED: (state, r) => {
      state.removeIncident(r.key);
      const failedJob = r.value.jobKey === '-1' ? undefined : state.job(r.value.jobKey);
      if (
        failedJob &&
        failedJob.value.retries > 0 &&
        (failedJob.state === 'FAILED' || failedJob.state === 'ERROR_THROWN')
      ) {
        failedJob.state = 'ACTIVATABLE';
        state.indexJob(failedJob);
      }
    },
  },
};

/**
 * Applies one event to the state. Live processing and replay both call this, so they cannot diverge.
 * Commands and rejections change nothing.
 */
export function applyRecord(state: EngineState, record: LoggedRecord): void {
  state.lastPosition = record.position;
  if (record.recordType !== 'EVENT') return;
  state.keys.observe(record.key);
  const forType = APPLIERS[record.valueType] as Partial<Record<string, Applier<ValueType>>>;
  const applier = forType[record.intent];
  if (applier) applier(state, record as never);
}
