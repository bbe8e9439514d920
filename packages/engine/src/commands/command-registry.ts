import type { CommandProcessor, ProcessingContext } from '../processing/processing-context.js';
import type { CommandName, LoggedRecord, RecordBody } from '../records/record.js';
import { createDeployment } from './deployment/create-deployment.js';
import { distributeDeployment } from './deployment/distribute-deployment.js';
import { createProcessInstance } from './process-instance/create-process-instance.js';
import { cancelProcessInstance } from './process-instance/cancel-process-instance.js';
import {
  processActivateElement,
  processCompleteElement,
  processTerminateElement,
} from './process-instance/element-lifecycle.js';
import { activateJobs } from './job/activate-jobs.js';
import { completeJob } from './job/complete-job.js';
import { failJob } from './job/fail-job.js';
import { throwError } from './job/throw-error.js';
import {
  recurJobAfterBackoff,
  timeOutJob,
  updateJobRetries,
  updateJobTimeout,
  yieldJob,
} from './job/update-job.js';
import { resolveIncident } from './incident/resolve-incident.js';
import { updateVariableDocument } from './variable/variable-document.js';
import { triggerTimer } from './timer/trigger-timer.js';
import { expireMessage, publishMessage } from './message/publish-message.js';
import { broadcastSignal } from './signal/broadcast-signal.js';
import { evaluateDecision } from './decision/evaluate-decision.js';
import { modifyProcessInstance } from './modification/modify-process-instance.js';
import { deleteResource } from './modification/delete-resource.js';
import { migrateProcessInstance } from './modification/migrate-process-instance.js';
import { activateAdHocElements } from './ad-hoc-sub-process/activate-ad-hoc-elements.js';
import {
  cancelBatchOperation,
  createBatchOperation,
  createBatchOperationChunk,
  executeBatchOperationItems,
  failBatchOperation,
  recordBatchOperationOutcomes,
  resumeBatchOperation,
  suspendBatchOperation,
} from './batch-operation/batch-operation-commands.js';
import {
  assignUserTask,
  claimUserTask,
  completeUserTask,
  updateUserTask,
} from './user-task/user-task-commands.js';

/** One processor per command, typed by it; a command without a processor fails to compile. */
const PROCESSORS: { readonly [N in CommandName]: CommandProcessor<N> } = {
  'DEPLOYMENT:CREATE': createDeployment,
  'DEPLOYMENT:DISTRIBUTE': distributeDeployment,
  'PROCESS_INSTANCE_CREATION:CREATE': createProcessInstance,
  'PROCESS_INSTANCE:CANCEL': cancelProcessInstance,
  'PROCESS_INSTANCE:ACTIVATE_ELEMENT': processActivateElement,
  'PROCESS_INSTANCE:COMPLETE_ELEMENT': processCompleteElement,
  'PROCESS_INSTANCE:TERMINATE_ELEMENT': processTerminateElement,
  'JOB_BATCH:ACTIVATE': activateJobs,
  'JOB:COMPLETE': completeJob,
  'JOB:FAIL': failJob,
  'JOB:THROW_ERROR': throwError,
  'JOB:UPDATE_RETRIES': updateJobRetries,
  'JOB:UPDATE_TIMEOUT': updateJobTimeout,
  'JOB:TIME_OUT': timeOutJob,
  'JOB:RECUR_AFTER_BACKOFF': recurJobAfterBackoff,
  'JOB:YIELD': yieldJob,
  'INCIDENT:RESOLVE': resolveIncident,
  'VARIABLE_DOCUMENT:UPDATE': updateVariableDocument,
  'TIMER:TRIGGER': triggerTimer,
  'MESSAGE:PUBLISH': publishMessage,
  'MESSAGE:EXPIRE': expireMessage,
  'SIGNAL:BROADCAST': broadcastSignal,
  'DECISION_EVALUATION:EVALUATE': evaluateDecision,
  'PROCESS_INSTANCE_MODIFICATION:MODIFY': modifyProcessInstance,
  'RESOURCE_DELETION:DELETE': deleteResource,
  'PROCESS_INSTANCE_MIGRATION:MIGRATE': migrateProcessInstance,
  'USER_TASK:ASSIGN': assignUserTask,
  'USER_TASK:CLAIM': claimUserTask,
  'USER_TASK:UPDATE': updateUserTask,
  'USER_TASK:COMPLETE': completeUserTask,
  'AD_HOC_SUB_PROCESS_INSTRUCTION:ACTIVATE': activateAdHocElements,
  'BATCH_OPERATION:CREATE': createBatchOperation,
  'BATCH_OPERATION:CREATE_CHUNK': createBatchOperationChunk,
  'BATCH_OPERATION:EXECUTE': executeBatchOperationItems,
  'BATCH_OPERATION:RECORD_OUTCOMES': recordBatchOperationOutcomes,
  'BATCH_OPERATION:FAIL': failBatchOperation,
  'BATCH_OPERATION:SUSPEND': suspendBatchOperation,
  'BATCH_OPERATION:RESUME': resumeBatchOperation,
  'BATCH_OPERATION:CANCEL': cancelBatchOperation,
};

/** Commands only the engine itself issues while processing; clients may not send them. */
export const INTERNAL_COMMANDS: ReadonlySet<string> = new Set([
  'PROCESS_INSTANCE:ACTIVATE_ELEMENT',
  'PROCESS_INSTANCE:COMPLETE_ELEMENT',
  'PROCESS_INSTANCE:TERMINATE_ELEMENT',
]);

/** A processor found by a record's value type and intent, which the processor's own command type matches. */
type AnyCommandProcessor = (command: LoggedRecord, ctx: ProcessingContext) => void;

/** The same table by value type, then intent: found without building a string per command. */
const BY_VALUE_TYPE = new Map<string, Map<string, AnyCommandProcessor>>();
for (const [name, processor] of Object.entries(PROCESSORS)) {
  const [valueType, intent] = name.split(':') as [string, string];
  let intents = BY_VALUE_TYPE.get(valueType);
  if (!intents) BY_VALUE_TYPE.set(valueType, (intents = new Map()));
  // Entered under its own name: it is only ever called with a record of that value type and intent.
  intents.set(intent, processor as AnyCommandProcessor);
}

export function commandProcessorOf(
  body: Pick<RecordBody, 'valueType' | 'intent'>,
): AnyCommandProcessor | undefined {
  return BY_VALUE_TYPE.get(body.valueType)?.get(body.intent);
}
