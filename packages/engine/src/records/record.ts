import type { DeploymentRecord } from './deployment.js';
import type { ProcessRecord } from './process.js';
import type { ProcessInstanceCommandIntent, ProcessInstanceRecord } from './process-instance.js';
import type {
  ProcessInstanceCreationRecord,
  ProcessInstanceResultRecord,
} from './process-instance-creation.js';
import type { JobBatchRecord, JobCommandIntent, JobRecord } from './job.js';
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
import type { BatchOperationCommandIntent, BatchOperationRecord } from './batch-operation.js';

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
  | AdHocSubProcessInstructionRecord
  | BatchOperationRecord;

export type ValueType = RecordBody['valueType'];

/**
 * The intents of each value type that are commands (imperative); every other intent is an event. A value
 * type missing here fails to compile.
 */
interface CommandIntents {
  readonly DEPLOYMENT: 'CREATE' | 'DISTRIBUTE';
  readonly PROCESS: never;
  readonly PROCESS_INSTANCE: ProcessInstanceCommandIntent;
  readonly PROCESS_INSTANCE_CREATION: 'CREATE';
  readonly PROCESS_INSTANCE_RESULT: never;
  readonly JOB: JobCommandIntent;
  readonly JOB_BATCH: 'ACTIVATE';
  readonly VARIABLE: never;
  readonly VARIABLE_DOCUMENT: 'UPDATE';
  readonly INCIDENT: 'RESOLVE';
  readonly TIMER: 'TRIGGER';
  readonly MESSAGE: 'PUBLISH' | 'EXPIRE';
  readonly MESSAGE_SUBSCRIPTION: never;
  readonly SIGNAL: 'BROADCAST';
  readonly SIGNAL_SUBSCRIPTION: never;
  readonly USER_TASK: 'ASSIGN' | 'CLAIM' | 'UPDATE' | 'COMPLETE';
  readonly COMPENSATION_SUBSCRIPTION: never;
  readonly DECISION: never;
  readonly FORM: never;
  readonly DECISION_EVALUATION: 'EVALUATE';
  readonly PROCESS_INSTANCE_MODIFICATION: 'MODIFY';
  readonly RESOURCE_DELETION: 'DELETE';
  readonly PROCESS_INSTANCE_MIGRATION: 'MIGRATE';
  readonly AD_HOC_SUB_PROCESS_INSTRUCTION: 'ACTIVATE';
  readonly BATCH_OPERATION: BatchOperationCommandIntent;
}

/** One body per (value type, intent), split out of the record types that list several intents. */
type BodiesOf<B> = B extends {
  readonly valueType: infer V extends ValueType;
  readonly intent: infer I;
  readonly value: infer X;
}
  ? I extends string
    ? { readonly valueType: V; readonly intent: I; readonly value: X }
    : never
  : never;
type Body = BodiesOf<RecordBody>;

/** A command body: what a client, the runtime or a processor asks a partition to do. */
export type CommandBody = Body extends infer B
  ? B extends { readonly valueType: infer V extends ValueType; readonly intent: infer I }
    ? I extends CommandIntents[V]
      ? B
      : never
    : never
  : never;

/** An event body: what happened. Only events change state (each through its applier). */
export type EventBody = Exclude<Body, CommandBody>;

/** `VALUE_TYPE:INTENT` of every command, the key of the command-processor registry. */
export type CommandName = CommandBody extends infer B
  ? B extends { readonly valueType: infer V extends string; readonly intent: infer I extends string }
    ? `${V}:${I}`
    : never
  : never;

/** The body of one command, by name. */
export type CommandBodyOf<N extends CommandName> = Extract<
  CommandBody,
  {
    readonly valueType: N extends `${infer V}:${string}` ? V : never;
    readonly intent: N extends `${string}:${infer I}` ? I : never;
  }
>;

/** A command as logged (or, for a follow-up, as handed to its processor), narrowed to one command. */
export type LoggedCommand<N extends CommandName> = CommandBodyOf<N> & RecordEnvelope;
export type IntentOf<V extends ValueType> = Extract<RecordBody, { valueType: V }>['intent'];
export type ValueOf<V extends ValueType> = Extract<RecordBody, { valueType: V }>['value'];

/** What every logged record carries besides its body. */
export interface RecordEnvelope {
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
}

/**
 * A record as it stands on a partition's log. Its record type tells commands (and their rejections) from
 * events, so a check of `recordType === 'EVENT'` narrows the value to the event's.
 */
export type LoggedRecord =
  | (EventBody & RecordEnvelope & { readonly recordType: 'EVENT' })
  | (CommandBody & RecordEnvelope & { readonly recordType: 'COMMAND' | 'COMMAND_REJECTION' });

/** A record of one value type, narrowed. */
export type LoggedRecordOf<V extends ValueType> = Extract<LoggedRecord, { valueType: V }>;

/** An event of one value type, as logged: what an applier reads. */
export type LoggedEventOf<V extends ValueType> = Extract<EventBody, { readonly valueType: V }> &
  RecordEnvelope;

/** The event intents of one value type. */
export type EventIntentOf<V extends ValueType> = Extract<EventBody, { readonly valueType: V }>['intent'];
