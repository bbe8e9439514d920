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
  /**
   * Items by key, in the order they were recorded; emptied once the operation has ended and
   * `RETAINED_ENDED_BATCH_ITEMS` operations created after it have ended too (`total` and the counts stay).
   */
  readonly items: Map<string, BatchOperationItemEntry>;
  /** Items recorded (the spec's `operationsTotalCount`). */
  total: number;
  /** Items still ACTIVE (no outcome yet). */
  pending: number;
  completed: number;
  failed: number;
  errors: BatchOperationFailureValue[];
}

/**
 * The most items one batch operation takes: each is engine state (about 0.4 kB of memory, 0.13 kB of
 * snapshot) until the operation has ended, so a filter that finds more fails the operation before any item is
 * acted on (RESULT_BUFFER_SIZE_EXCEEDED), and the gateway refuses such a filter when it can count it.
 */
export const MAX_BATCH_OPERATION_ITEMS = 10_000;

/** Ended operations (the latest created) that keep their items for the item search; older ones keep counts. */
export const RETAINED_ENDED_BATCH_ITEMS = 10;

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
type BatchOperationSnapshot = Omit<BatchOperation, 'items' | 'total'> & {
  items: BatchOperationItemEntry[];
  /** Absent in snapshots taken before items were dropped: every item was there. */
  total?: number;
};

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
      total: 0,
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
      operation.total++;
      operation.pending++;
    }
    operation.cursor = cursor;
    // CREATED until every item is recorded, as Camunda's operation turns ACTIVE once it is initialized.
    if (!last) return;
    operation.initialized = true;
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
    if (state === 'CANCELED' || state === 'FAILED')
      // Items not acted on yet never will be; one in flight may still record its outcome.
      for (const item of operation.items.values()) {
        if (item.state !== 'ACTIVE') continue;
        item.state = 'CANCELED';
        operation.pending--;
      }
    this.dropOldItems();
  }

  /** Empties the items of ended operations but the latest `RETAINED_ENDED_BATCH_ITEMS` (state stays bounded). */
  private dropOldItems(): void {
    const ended = [...this.operations.values()].filter(
      (o) => ENDED_BATCH_STATES.has(o.state) && o.items.size > 0,
    );
    for (const operation of ended.slice(0, Math.max(0, ended.length - RETAINED_ENDED_BATCH_ITEMS)))
      operation.items.clear();
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
      total: item.total ?? item.items.length,
      items: new Map(item.items.map((i) => [i.itemKey, i])),
    });
  }
}
