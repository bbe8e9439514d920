import type {
  BatchOperationCreationValue,
  BatchOperationFailureValue,
  BatchOperationItem,
  BatchOperationItemOutcome,
  BatchOperationItemState,
  BatchOperationState as OperationState,
} from '../records/batch-operation.js';

/** One item of a batch operation with its outcome. */
export interface BatchOperationItemEntry extends BatchOperationItem {
  state: BatchOperationItemState;
  /** Its command may have been sent (EXECUTING was recorded for it). */
  sent?: boolean;
  /** When its outcome was recorded (ms since the epoch). */
  processedDate?: number;
  errorMessage?: string;
}

/** A batch operation as the partition that owns it keeps it. */
export interface BatchOperation extends BatchOperationCreationValue {
  readonly key: string;
  state: OperationState;
  /** Every item is recorded (the last chunk came). */
  initialized: boolean;
  /** Where the coordinator's item search goes on from. */
  cursor: string;
  readonly startDate: number;
  endDate?: number;
  /** Items by key, in the order they were recorded. */
  readonly items: Map<string, BatchOperationItemEntry>;
  /** Items still ACTIVE (no outcome yet). */
  pending: number;
  completed: number;
  failed: number;
  errors: BatchOperationFailureValue[];
}

/** The states a batch operation does not leave. */
export const ENDED_BATCH_STATES: ReadonlySet<OperationState> = new Set([
  'COMPLETED',
  'PARTIALLY_COMPLETED',
  'CANCELED',
  'FAILED',
]);

/** The batch operations of a partition, as processors and the runtime read them. */
export interface ReadonlyBatchOperationState {
  get(key: string): Readonly<BatchOperation> | undefined;
  /** Every batch operation of the partition, oldest first. */
  all(): Iterable<Readonly<BatchOperation>>;
}

/** Snapshot form of a batch operation: its items as a list. */
type BatchOperationSnapshot = Omit<BatchOperation, 'items'> & { items: BatchOperationItemEntry[] };

/** The batch operations of a partition, changed only by the BATCH_OPERATION appliers. */
export class BatchOperationState implements ReadonlyBatchOperationState {
  private readonly operations = new Map<string, BatchOperation>();

  get(key: string): BatchOperation | undefined {
    return this.operations.get(key);
  }

  all(): Iterable<BatchOperation> {
    return this.operations.values();
  }

  created(key: string, value: BatchOperationCreationValue, timestamp: number): void {
    this.operations.set(key, {
      ...value,
      key,
      state: 'CREATED',
      initialized: false,
      cursor: '',
      startDate: timestamp,
      items: new Map(),
      pending: 0,
      completed: 0,
      failed: 0,
      errors: [],
    });
  }

  chunkCreated(key: string, items: readonly BatchOperationItem[], cursor: string, last: boolean): void {
    const operation = this.operations.get(key);
    if (!operation) return;
    for (const item of items) {
      if (operation.items.has(item.itemKey)) continue;
      operation.items.set(item.itemKey, { ...item, state: 'ACTIVE' });
      operation.pending++;
    }
    operation.cursor = cursor;
    if (last) operation.initialized = true;
    if (operation.state === 'CREATED') operation.state = 'ACTIVE';
  }

  executing(key: string, itemKeys: readonly string[]): void {
    const operation = this.operations.get(key);
    for (const itemKey of itemKeys) {
      const item = operation?.items.get(itemKey);
      if (item) item.sent = true;
    }
  }

  outcomesRecorded(key: string, outcomes: readonly BatchOperationItemOutcome[], timestamp: number): void {
    const operation = this.operations.get(key);
    if (!operation) return;
    for (const outcome of outcomes) {
      const item = operation.items.get(outcome.itemKey);
      if (!item || item.state === 'COMPLETED' || item.state === 'FAILED' || item.state === 'SKIPPED')
        continue;
      if (item.state === 'ACTIVE') operation.pending--;
      item.state = outcome.state;
      item.processedDate = timestamp;
      if (outcome.errorMessage !== undefined) item.errorMessage = outcome.errorMessage;
      if (outcome.state === 'FAILED') operation.failed++;
      else operation.completed++;
    }
  }

  changed(key: string, state: OperationState, timestamp: number): void {
    const operation = this.operations.get(key);
    if (!operation) return;
    operation.state = state;
    if (!ENDED_BATCH_STATES.has(state)) return;
    operation.endDate = timestamp;
    if (state !== 'CANCELED' && state !== 'FAILED') return;
    // Items not acted on yet never will be; one in flight may still record its outcome.
    for (const item of operation.items.values()) {
      if (item.state !== 'ACTIVE') continue;
      item.state = 'CANCELED';
      operation.pending--;
    }
  }

  failed(key: string, failure: BatchOperationFailureValue, timestamp: number): void {
    this.operations.get(key)?.errors.push(failure);
    this.changed(key, 'FAILED', timestamp);
  }

  snapshot(): Iterable<BatchOperationSnapshot> {
    return [...this.operations.values()].map((o) => ({ ...o, items: [...o.items.values()] }));
  }

  restore(item: BatchOperationSnapshot): void {
    this.operations.set(item.key, {
      ...item,
      items: new Map(item.items.map((i) => [i.itemKey, i])),
    });
  }
}
