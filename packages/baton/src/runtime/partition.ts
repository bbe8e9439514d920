import type { ClientCommand, LoggedRecord, RecordBody } from '@baton/engine';
import { EngineState, StreamProcessor } from '@baton/engine';
import type { PartitionStore } from '@baton/store';
import { BatonError } from '../errors.js';
import type { Clock } from './clock.js';
import { DueDateScheduler } from './due-date-scheduler.js';

export interface PartitionOptions {
  readonly clock: Clock;
  /** Commands waiting beyond this are refused with RESOURCE_EXHAUSTED (back-pressure). */
  readonly maxQueuedCommands: number;
  /** At most this many commands are processed into one appended batch (one transaction, one fsync). */
  readonly maxCommandsPerBatch: number;
  /** A snapshot is taken after this many records were written since the last one. */
  readonly snapshotEveryRecords: number;
}

interface Pending {
  readonly body: RecordBody;
  readonly key: string;
  readonly resolve: (record: LoggedRecord) => void;
  readonly reject: (error: Error) => void;
  /** Runs synchronously once the response is durable, before the batch's records reach listeners. */
  readonly onCommitted?: (response: LoggedRecord) => void;
}

/** Log records deleted per compaction step. */
const COMPACTION_SLICE = 5_000;

export type CommitListener = (records: readonly LoggedRecord[]) => void;

/**
 * Runs one partition: queues commands, has the stream processor turn many of them into one batch, appends the
 * batch durably, and only then answers callers and tells listeners (side effects after commit).
 */
export class PartitionRuntime {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private readonly listeners = new Set<CommitListener>();
  private recordsSinceSnapshot = 0;
  private closed = false;
  private readonly scheduler: DueDateScheduler;
  /** Lowest position each exporter still needs; the log is compacted only below all of them. */
  private readonly exporterPositions = new Map<string, number>();

  private constructor(
    readonly partitionId: number,
    private state: EngineState,
    private processor: StreamProcessor,
    private readonly store: PartitionStore,
    private readonly options: PartitionOptions,
  ) {
    this.scheduler = new DueDateScheduler(this, options.clock);
  }

  /** Opens a partition: loads the latest snapshot and replays the log after it. */
  static async open(store: PartitionStore, options: PartitionOptions): Promise<PartitionRuntime> {
    const state = await recoverState(store);
    const runtime = new PartitionRuntime(
      store.partitionId,
      state,
      new StreamProcessor(state),
      store,
      options,
    );
    runtime.scheduler.reschedule();
    return runtime;
  }

  /** The working state, read-only by convention; read it only between batches (it is never shared across threads). */
  get engineState(): EngineState {
    return this.state;
  }

  get queuedCommands(): number {
    return this.queue.length;
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Submits a command; resolves with the answering event once durable, rejects with a BatonError. */
  submit(
    body: RecordBody,
    key = '-1',
    onCommitted?: (response: LoggedRecord) => void,
  ): Promise<LoggedRecord> {
    if (this.closed)
      return Promise.reject(new BatonError('UNAVAILABLE', `partition ${this.partitionId} is closed`));
    if (this.queue.length >= this.options.maxQueuedCommands) {
      return Promise.reject(
        new BatonError(
          'RESOURCE_EXHAUSTED',
          `partition ${this.partitionId} has ${this.queue.length} commands waiting; retry later (back-pressure)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ body, key, resolve, reject, onCommitted });
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining) return;
    // setImmediate lets callers of this tick queue more commands: they share one batch (group commit).
    this.draining = new Promise<void>((done) => setImmediate(() => void this.drain().finally(done)));
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const commands = this.queue.splice(0, this.options.maxCommandsPerBatch);
        await this.processBatch(commands);
      }
    } finally {
      this.draining = undefined;
      if (this.queue.length > 0) this.kick();
    }
  }

  private async processBatch(commands: Pending[]): Promise<void> {
    const records: LoggedRecord[] = [];
    const answered: { pending: Pending; response: LoggedRecord | undefined }[] = [];
    for (const pending of commands) {
      const command: ClientCommand = {
        body: pending.body,
        key: pending.key,
        timestamp: this.options.clock.now(),
      };
      try {
        const result = this.processor.process(command);
        records.push(...result.records);
        answered.push({ pending, response: result.response });
      } catch (error) {
        // A bug in a processor: keep what the earlier commands wrote, rebuild state from the log, and refuse
        // this command, so the partition goes on serving the next one.
        await this.commit(records, answered);
        records.length = 0;
        answered.length = 0;
        await this.rebuildState();
        const reason = `processing failed: ${(error as Error).message}`;
        const rejection = this.processor.rejectAfterError(command, reason);
        records.push(...rejection.records);
        answered.push({ pending, response: rejection.response });
      }
    }
    await this.commit(records, answered);
  }

  private async commit(
    records: LoggedRecord[],
    answered: { pending: Pending; response: LoggedRecord | undefined }[],
  ): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.store.append(records);
    } catch (error) {
      // Nothing of the batch is durable, but state already applied it: start again from the store.
      await this.rebuildState();
      const failure = new BatonError(
        'UNAVAILABLE',
        `could not write to the log: ${(error as Error).message}`,
      );
      for (const { pending } of answered) pending.reject(failure);
      return;
    }
    for (const { pending, response } of answered) {
      if (!response) pending.reject(new BatonError('PROCESSING_ERROR', 'the command produced no answer'));
      else if (response.recordType === 'COMMAND_REJECTION') {
        pending.reject(
          new BatonError(response.rejectionType ?? 'PROCESSING_ERROR', response.rejectionReason ?? ''),
        );
      } else {
        pending.onCommitted?.(response);
        pending.resolve(response);
      }
    }
    for (const listener of this.listeners) listener(records);
    this.scheduler.reschedule();
    this.recordsSinceSnapshot += records.length;
    if (this.recordsSinceSnapshot >= this.options.snapshotEveryRecords) await this.takeSnapshot();
  }

  private async rebuildState(): Promise<void> {
    this.state = await recoverState(this.store);
    this.processor = new StreamProcessor(this.state);
  }

  /** Reads committed records from the log (for exporters catching up after a restart). */
  readLog(fromPosition: number, limit: number): Promise<LoggedRecord[]> {
    return this.store.read(fromPosition, limit);
  }

  /** Registers an exporter's position: the log is not compacted past the lowest one. */
  setExporterPosition(exporterId: string, position: number): void {
    this.exporterPositions.set(exporterId, position);
  }

  /** Saves a snapshot of the working state and compacts the log that no exporter needs any more. */
  async takeSnapshot(): Promise<void> {
    this.recordsSinceSnapshot = 0;
    const position = this.state.lastPosition;
    if (position === 0) return;
    try {
      await this.store.saveSnapshot({ position, chunks: this.state.toSnapshot() });
    } catch (error) {
      // Without a snapshot the log stays whole and recovery replays more of it: slower, never wrong.
      this.snapshotFailure = `snapshot at position ${position} failed: ${(error as Error).message}`;
      return;
    }
    this.snapshotFailure = undefined;
    const needed = Math.min(position, ...this.exporterPositions.values());
    if (needed > 0 && !this.compaction)
      this.compaction = this.compact(needed).finally(() => (this.compaction = undefined));
  }

  private compaction: Promise<void> | undefined;
  private compactedUpTo = 0;

  /**
   * Deletes the log up to a position in slices, yielding between them, so that a large compaction never
   * holds up processing (the rows it deletes are never read again: a snapshot covers them).
   */
  private async compact(upTo: number): Promise<void> {
    try {
      for (let next = this.compactedUpTo; next < upTo;) {
        next = Math.min(next + COMPACTION_SLICE, upTo);
        await this.store.compact(next);
        this.compactedUpTo = next;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch {
      // The store may be closing; what was not deleted is deleted after the next snapshot.
    }
  }

  /** Why the last snapshot could not be taken, if it could not (for health checks and logs). */
  snapshotFailure: string | undefined;

  /** Waits until everything queued is processed and durable. */
  async flush(): Promise<void> {
    while (this.draining || this.queue.length > 0) await (this.draining ?? Promise.resolve());
  }

  /** Finishes in-flight work, takes a snapshot for a fast restart, and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.scheduler.stop();
    await this.takeSnapshot();
    await this.compaction;
    await this.store.close();
  }
}

async function recoverState(store: PartitionStore): Promise<EngineState> {
  const snapshot = await store.loadSnapshot();
  const state = snapshot
    ? EngineState.fromSnapshot(store.partitionId, snapshot.chunks)
    : new EngineState(store.partitionId);
  const processor = new StreamProcessor(state);
  for (;;) {
    const records = await store.read(state.lastPosition + 1, 10_000);
    if (records.length === 0) break;
    for (const record of records) processor.replay(record);
  }
  const last = await store.lastPosition();
  if (state.lastPosition !== last) {
    throw new Error(
      `partition ${store.partitionId}: recovered up to position ${state.lastPosition}, but the log ends at ${last}; the log was compacted beyond the snapshot`,
    );
  }
  return state;
}
