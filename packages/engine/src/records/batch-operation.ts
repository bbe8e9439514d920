import type { EmptyCommandValue } from './job.js';

/** What a batch operation does to each of its items (the types of Camunda 8.8 Baton runs). */
export type BatchOperationType =
  'CANCEL_PROCESS_INSTANCE' | 'RESOLVE_INCIDENT' | 'MIGRATE_PROCESS_INSTANCE' | 'MODIFY_PROCESS_INSTANCE';

export const BATCH_OPERATION_TYPES: readonly BatchOperationType[] = [
  'CANCEL_PROCESS_INSTANCE',
  'RESOLVE_INCIDENT',
  'MIGRATE_PROCESS_INSTANCE',
  'MODIFY_PROCESS_INSTANCE',
];

/** A batch operation's state, as Camunda's REST API names it. */
export type BatchOperationState =
  'CREATED' | 'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'PARTIALLY_COMPLETED' | 'CANCELED' | 'FAILED';

/** An item's state: ACTIVE until its command's outcome is recorded. */
export type BatchOperationItemState = 'ACTIVE' | 'COMPLETED' | 'SKIPPED' | 'CANCELED' | 'FAILED';

/** What a batch operation was created with: its type, the filter that finds its items, and its plan. */
export interface BatchOperationCreationValue {
  readonly batchOperationType: BatchOperationType;
  /** The `/v2` process-instance filter, as given (the coordinator resolves it on the read model). */
  readonly filter: Readonly<Record<string, unknown>>;
  /** MIGRATE_PROCESS_INSTANCE: where each instance goes. */
  readonly migrationPlan?: {
    readonly targetProcessDefinitionKey: string;
    readonly mappingInstructions: readonly {
      readonly sourceElementId: string;
      readonly targetElementId: string;
    }[];
  };
  /** MODIFY_PROCESS_INSTANCE: each active instance of the source element is moved to the target element. */
  readonly moveInstructions?: readonly {
    readonly sourceElementId: string;
    readonly targetElementId: string;
  }[];
}

/** One thing a batch operation acts on: a process instance, or an incident of one. */
export interface BatchOperationItem {
  readonly itemKey: string;
  readonly processInstanceKey: string;
}

/** A chunk of items found by the coordinator, recorded before any of them is acted on. */
export interface BatchOperationChunkValue {
  readonly items: readonly BatchOperationItem[];
  /** Where the coordinator's search goes on from (opaque to the engine). */
  readonly cursor: string;
  /** True on the last chunk: every item is recorded. */
  readonly last: boolean;
}

/** The outcome of one item's command. */
export interface BatchOperationItemOutcome {
  readonly itemKey: string;
  readonly state: 'COMPLETED' | 'SKIPPED' | 'FAILED';
  readonly errorMessage?: string;
}

/**
 * Items whose commands the coordinator is about to send: recorded first, so that after a restart it knows
 * which items may have had their effect already (their outcome is unknown) and which were never sent.
 */
export interface BatchOperationExecutionValue {
  readonly itemKeys: readonly string[];
}

export interface BatchOperationOutcomesValue {
  readonly outcomes: readonly BatchOperationItemOutcome[];
}

/** Why a batch operation failed as a whole (its items could not be found). */
export interface BatchOperationFailureValue {
  readonly partitionId: number;
  readonly type: 'QUERY_FAILED';
  readonly message: string;
}

/** How a batch operation ended: COMPLETED, or PARTIALLY_COMPLETED when an item failed. */
export interface BatchOperationCompletionValue {
  readonly state: 'COMPLETED' | 'PARTIALLY_COMPLETED';
}

/**
 * A batch operation, addressed by the record's key (the batch operation key). The coordinator outside the
 * state machine finds the items (CREATE_CHUNK), sends each item's command through the normal command path and
 * records the outcomes (RECORD_OUTCOMES); the operator suspends, resumes or cancels it.
 */
export type BatchOperationRecord =
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'CREATE' | 'CREATED';
      readonly value: BatchOperationCreationValue;
    }
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'CREATE_CHUNK' | 'CHUNK_CREATED';
      readonly value: BatchOperationChunkValue;
    }
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'RECORD_OUTCOMES' | 'OUTCOMES_RECORDED';
      readonly value: BatchOperationOutcomesValue;
    }
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'EXECUTE' | 'EXECUTING';
      readonly value: BatchOperationExecutionValue;
    }
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'FAIL' | 'FAILED';
      readonly value: BatchOperationFailureValue;
    }
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'COMPLETED';
      readonly value: BatchOperationCompletionValue;
    }
  | {
      readonly valueType: 'BATCH_OPERATION';
      readonly intent: 'SUSPEND' | 'SUSPENDED' | 'RESUME' | 'RESUMED' | 'CANCEL' | 'CANCELED';
      readonly value: EmptyCommandValue;
    };

export type BatchOperationCommandIntent =
  'CREATE' | 'CREATE_CHUNK' | 'EXECUTE' | 'RECORD_OUTCOMES' | 'FAIL' | 'SUSPEND' | 'RESUME' | 'CANCEL';
