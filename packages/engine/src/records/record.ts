import type { DeploymentRecord } from './deployment.js';
import type { ProcessRecord } from './process.js';
import type { ProcessInstanceRecord } from './process-instance.js';
import type {
  ProcessInstanceCreationRecord,
  ProcessInstanceResultRecord,
} from './process-instance-creation.js';
import type { JobBatchRecord, JobRecord } from './job.js';
import type { VariableDocumentRecord, VariableRecord } from './variable.js';
import type { IncidentRecord } from './incident.js';
import type { TimerRecord } from './timer.js';
import type { MessageRecord, MessageSubscriptionRecord } from './message.js';
import type { SignalRecord, SignalSubscriptionRecord } from './signal.js';
import type { UserTaskRecord } from './user-task.js';
import type { CompensationSubscriptionRecord } from './compensation.js';
import type { DecisionEvaluationRecord, DecisionRecord } from './decision.js';
import type { FormRecord } from './form.js';
import type {
  ProcessInstanceMigrationRecord,
  ProcessInstanceModificationRecord,
  ResourceDeletionRecord,
} from './modification.js';
import type { AdHocSubProcessInstructionRecord } from './ad-hoc-sub-process-instruction.js';

/** Whether a record asks for a change (command), states one (event), or refuses a command (rejection). */
export type RecordType = 'COMMAND' | 'EVENT' | 'COMMAND_REJECTION';

/** The kinds of rejection, named as Zeebe names them so that gateways can map them to status codes. */
export type RejectionType =
  'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'INVALID_STATE' | 'PROCESSING_ERROR';

/**
 * The body of every record: value type, intent and value, as a discriminated union.
 * Commands are imperative (`COMPLETE`), events past tense (`COMPLETED`).
 */
export type RecordBody =
  | DeploymentRecord
  | ProcessRecord
  | ProcessInstanceRecord
  | ProcessInstanceCreationRecord
  | ProcessInstanceResultRecord
  | JobRecord
  | JobBatchRecord
  | VariableRecord
  | VariableDocumentRecord
  | IncidentRecord
  | TimerRecord
  | MessageRecord
  | MessageSubscriptionRecord
  | SignalRecord
  | SignalSubscriptionRecord
  | UserTaskRecord
  | CompensationSubscriptionRecord
  | DecisionRecord
  | FormRecord
  | DecisionEvaluationRecord
  | ProcessInstanceModificationRecord
  | ResourceDeletionRecord
  | ProcessInstanceMigrationRecord
  | AdHocSubProcessInstructionRecord;

export type ValueType = RecordBody['valueType'];
export type IntentOf<V extends ValueType> = Extract<RecordBody, { valueType: V }>['intent'];
export type ValueOf<V extends ValueType> = Extract<RecordBody, { valueType: V }>['value'];

/** A record as it stands on a partition's log. */
export type LoggedRecord = RecordBody & {
  readonly partitionId: number;
  /** 1, 2, 3 … per partition, without gaps. */
  readonly position: number;
  /** 64-bit key as a decimal string; the partition id is in its high bits. "-1" where the record has no key. */
  readonly key: string;
  readonly recordType: RecordType;
  /** Position of the command that caused this record; -1 for a client command. */
  readonly sourcePosition: number;
  /** Milliseconds since the epoch, taken from the command being processed. */
  readonly timestamp: number;
  readonly rejectionType?: RejectionType;
  readonly rejectionReason?: string;
};

/** A record of one value type, narrowed. */
export type LoggedRecordOf<V extends ValueType> = Extract<LoggedRecord, { valueType: V }>;
