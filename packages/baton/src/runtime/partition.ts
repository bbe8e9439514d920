import type { ClientCommand, LoggedRecord, CommandBody } from '@baton-engine/engine';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { PartitionStore } from '@baton-engine/store';
import { BatonError, backPressureRefusal } from '../errors.js';
import type { Clock } from './clock.js';
import { DueDateScheduler } from './due-date-scheduler.js';
import { checkCommandLimits, checkInstanceVariables } from './command-limits.js';
import type { CommandLimits } from './command-limits.js';
import type { Admission, BackPressureOptions } from './back-pressure.js';
import { CommandLimiter, isExemptFromBackPressure } from './back-pressure.js';
import { ExporterDirector } from './exporter-director.js';
import type { EngineLogger, ExporterRetryOptions } from './exporter.js';

export interface PartitionOptions {
  readonly clock: Clock;
  /** Commands waiting beyond this are refused with RESOURCE_EXHAUSTED, exempt ones too (a hard cap). */
  readonly maxQueuedCommands: number;
  /**
   * The adaptive in-flight limit: commands past it are refused with RESOURCE_EXHAUSTED before they are
   * queued (see `CommandLimiter`); undefined turns it off, leaving the queue's hard cap.
   */
  readonly backPressure: BackPressureOptions | undefined;
  /** At most this many commands are processed into one appended batch (one transaction, one fsync). */
  readonly maxCommandsPerBatch: number;
  /** A snapshot is taken after this many records were written since the last one. */
  readonly snapshotEveryRecords: number;
  /** What one command may carry; a command past it is refused before it is queued. */
  readonly commandLimits: CommandLimits;
  /** How a failing exporter is retried. */
  readonly exporterRetry: ExporterRetryOptions;
  readonly logger: EngineLogger;
}

interface Pending extends Admission {
  readonly body: CommandBody;
  readonly key: string;
  readonly resolve: (record: LoggedRecord) => void;
  readonly reject: (error: Error) => void;
  /** Runs synchronously once the response is durable, before the batch's records reach listeners. */
  readonly onCommitted?: (response: LoggedRecord) => void;
}

/** A command's answer, handed to its caller once its batch is durable. */
interface Answer {
  readonly pending: Pending;
  readonly response: LoggedRecord | undefined;
}

/** What processing a slice of the queue produced; `failure` is a command that threw (a bug). */
interface ProcessedBatch {
  readonly records: LoggedRecord[];
  readonly answered: Answer[];
  readonly failure?: { readonly pending: Pending; readonly command: ClientCommand; readonly error: unknown };
  /** Commands after the failed one, to process next. */
  readonly rest: Pending[];
}

/** A batch handed to the store and not yet answered; `appended` settles with the append's error, if any. */
interface InFlightBatch {
  readonly records: LoggedRecord[];
  readonly answered: Answer[];
  readonly appended: Promise<Error | undefined>;
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
  /** Enough records were written since the last snapshot: take one once no batch is in flight. */
  private snapshotDue = false;
  /** Waiting for a command to arrive while a batch is written. */
  private arrival: { promise: Promise<boolean>; resolve: (arrived: boolean) => void } | undefined;
  /** A batch could not be written: the state is ahead of the log and must be rebuilt from it. */
  private needsRebuild = false;
  private closed = false;
  private readonly scheduler: DueDateScheduler;
  /** The exporters: the log is compacted only up to the lowest of their saved positions. */
  readonly exporters: ExporterDirector;
  /**
   * Positions held in memory by the runtime's own followers (hand-overs to other partitions, which find their
   * position in the target's state after a restart): the log is compacted only up to the lowest.
   */
  private readonly logHolds = new Map<string, number>();
  /** Bounds the commands in flight; undefined when back-pressure is only the queue's hard cap. */
  private readonly limiter: CommandLimiter | undefined;

  private constructor(
    readonly partitionId: number,
    private state: EngineState,
    private processor: StreamProcessor,
    private readonly store: PartitionStore,
    private readonly options: PartitionOptions,
    exporterPositions: Map<string, number>,
  ) {
    this.exporters = new ExporterDirector(
      store,
      exporterPositions,
      state.lastPosition,
      options.exporterRetry,
      options.logger,
    );
    this.scheduler = new DueDateScheduler(this, options.clock);
    this.limiter = options.backPressure && new CommandLimiter(options.backPressure);
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
      new Map(await store.exporterPositions()),
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

  /**
   * The partition's back-pressure now: commands in flight (taken, not yet answered; the queued ones when
   * back-pressure is off), the in-flight limit (undefined when only the queue's hard cap applies), and
   * commands refused by the limit since it opened.
   */
  get backPressure(): { inFlight: number; limit: number | undefined; refused: number } {
    return {
      inFlight: this.limiter?.inFlight ?? this.queue.length,
      limit: this.limiter?.limit,
      refused: this.limiter?.refused ?? 0,
    };
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Submits a command; resolves with the answering event once durable, rejects with a BatonError. */
  submit(
    body: CommandBody,
    key = '-1',
    onCommitted?: (response: LoggedRecord) => void,
  ): Promise<LoggedRecord> {
    if (this.closed)
      return Promise.reject(new BatonError('UNAVAILABLE', `partition ${this.partitionId} is closed`));
    const tooLarge =
      checkCommandLimits(body, this.options.commandLimits) ??
      checkInstanceVariables(body, key, this.engineState, this.options.commandLimits);
    if (tooLarge) return Promise.reject(tooLarge);
    if (this.queue.length >= this.options.maxQueuedCommands) {
      return Promise.reject(
        backPressureRefusal(
          `partition ${this.partitionId} has ${this.queue.length} commands waiting; retry later (back-pressure)`,
        ),
      );
    }
    const submittedAt = performance.now();
    const inFlightAtAdmission = this.limiter
      ? this.limiter.tryAcquire(isExemptFromBackPressure(body), submittedAt)
      : this.queue.length;
    if (inFlightAtAdmission === undefined) {
      return Promise.reject(
        backPressureRefusal(
          `partition ${this.partitionId} has ${this.limiter!.inFlight} commands in flight, its limit for answering within ${this.options.backPressure!.targetLatencyMs} ms; retry later (back-pressure)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ body, key, resolve, reject, onCommitted, submittedAt, inFlightAtAdmission });
      if (this.arrival) {
        this.arrival.resolve(true);
        this.arrival = undefined;
      }
      this.kick();
    });
  }

  /** Resolves with true when the next command is submitted. */
  private nextArrival(): Promise<boolean> {
    if (!this.arrival) {
      let resolve!: (arrived: boolean) => void;
      const promise = new Promise<boolean>((r) => (resolve = r));
      this.arrival = { promise, resolve };
    }
    return this.arrival.promise;
  }

  private kick(): void {
    if (this.draining) return;
    // setImmediate lets callers of this tick queue more commands: they share one batch (group commit).
    this.draining = new Promise<void>((done) => setImmediate(() => void this.drain().finally(done)));
  }

  /**
   * Processes the queue batch by batch, two batches deep: while the store makes batch k durable, batch k+1
   * is processed (the state runs ahead of the log, as in Zeebe), and only then are k's callers answered and
   * listeners told. Nothing leaves the partition before its batch is durable; if an append fails, the batch
   * after it (whose positions follow it) is refused by the store too, and the state is rebuilt from the log
   * before anything else is processed.
   */
  private async drain(): Promise<void> {
    let inFlight: InFlightBatch | undefined;
    try {
      while (this.queue.length > 0 || inFlight || this.snapshotDue) {
        // A rebuild that failed before (the store out of reach): nothing is processed on the stale state.
        if (this.needsRebuild && !inFlight) {
          if (!(await this.rebuildState())) return;
          continue;
        }
        if (this.queue.length === 0 && inFlight && !this.snapshotDue) {
          // Commands that arrive while the batch is written are processed meanwhile.
          const arrived = await Promise.race([inFlight.appended.then(() => false), this.nextArrival()]);
          if (arrived) {
            // As in kick(): let the callers of this tick queue theirs too (group commit).
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
        }
        if (this.queue.length === 0 || this.snapshotDue) {
          // Nothing to overlap with, or a snapshot needs the state to equal the durable log.
          if (inFlight) await this.settle(inFlight);
          inFlight = undefined;
          if (this.needsRebuild) {
            if (!(await this.rebuildState())) return;
          } else if (this.snapshotDue) await this.takeSnapshot();
          continue;
        }
        // With nothing in flight, half the queue makes a batch and the other half the next one, so that the
        // two alternate from then on: one is processed (and its callers answered) while the other is written.
        const take = inFlight
          ? this.options.maxCommandsPerBatch
          : Math.min(this.options.maxCommandsPerBatch, Math.ceil(this.queue.length / 2));
        const batch = this.processCommands(this.queue.splice(0, take));
        const issued = this.issue(batch.records, batch.answered);
        if (inFlight) await this.settle(inFlight);
        inFlight = issued;
        if (batch.failure) {
          // A bug in a processor: keep what the earlier commands wrote, rebuild state from the log, and
          // refuse this command, so the partition goes on serving the next one.
          if (inFlight) await this.settle(inFlight);
          inFlight = undefined;
          if (!(await this.rebuildState([batch.failure.pending, ...batch.rest]))) return;
          const { pending, command, error } = batch.failure;
          const rejection = this.processor.rejectAfterError(
            command,
            `processing failed: ${(error as Error).message}`,
          );
          inFlight = this.issue(rejection.records, [{ pending, response: rejection.response }]);
          this.queue.unshift(...batch.rest);
        }
        if (this.needsRebuild) {
          if (inFlight) await this.settle(inFlight);
          inFlight = undefined;
          if (!(await this.rebuildState())) return;
        }
      }
    } finally {
      if (inFlight) await this.settle(inFlight);
      this.draining = undefined;
      if (this.queue.length > 0) this.kick();
    }
  }

  /** Turns commands into records (applied to the state as written), stopping at a command that throws. */
  private processCommands(commands: Pending[]): ProcessedBatch {
    const records: LoggedRecord[] = [];
    const answered: Answer[] = [];
    for (let i = 0; i < commands.length; i++) {
      const pending = commands[i]!;
      const command: ClientCommand = {
        body: pending.body,
        key: pending.key,
        timestamp: this.options.clock.now(),
      };
      try {
        const result = this.processor.process(command);
        for (const record of result.records) records.push(record);
        answered.push({ pending, response: result.response });
      } catch (error) {
        return { records, answered, failure: { pending, command, error }, rest: commands.slice(i + 1) };
      }
    }
    return { records, answered, rest: [] };
  }

  /** Starts appending a batch; its callers are answered by `settle`, in batch order. */
  private issue(records: LoggedRecord[], answered: Answer[]): InFlightBatch | undefined {
    if (records.length === 0 && answered.length === 0) return undefined;
    let appending: Promise<void>;
    try {
      // Nothing to write (not expected: every command writes at least its answer): answer them all the same.
      appending = records.length === 0 ? Promise.resolve() : this.store.append(records);
    } catch (error) {
      appending = Promise.reject(error as Error);
    }
    const appended = appending.then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    return { records, answered, appended };
  }

  /** Waits until a batch is durable, then answers its callers and tells listeners (side effects after commit). */
  private async settle({ records, answered, appended }: InFlightBatch): Promise<void> {
    const error = await appended;
    this.sampleLatency(answered, error !== undefined || this.needsRebuild);
    if (error || this.needsRebuild) {
      // Nothing of the batch is durable (or it follows one that is not), but state already applied it:
      // state is rebuilt from the store before anything else is processed.
      this.needsRebuild = true;
      if (error) this.appendFailure = error.message;
      const failure = new BatonError(
        'UNAVAILABLE',
        `could not write to the log: ${error?.message ?? 'an earlier batch could not be written'}`,
      );
      for (const { pending } of answered) pending.reject(failure);
      return;
    }
    this.appendFailure = undefined;
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
    if (records.length === 0) return;
    this.exporters.onCommit(records);
    for (const listener of this.listeners) {
      // A listener that throws (an exporter, a user's onRecords) must not stop the partition or the others.
      try {
        listener(records);
      } catch (error) {
        process.emitWarning(
          `a commit listener of partition ${this.partitionId} threw: ${(error as Error)?.stack ?? String(error)}`,
          'BatonListenerWarning',
        );
      }
    }
    this.scheduler.reschedule();
    this.recordsSinceSnapshot += records.length;
    if (this.recordsSinceSnapshot >= this.options.snapshotEveryRecords) this.snapshotDue = true;
  }

  /** Tells the limiter how long the batch's commands took from submission to answer. */
  private sampleLatency(answered: readonly Answer[], failed: boolean): void {
    this.limiter?.onBatch(
      answered.map((a) => a.pending),
      performance.now(),
      failed,
    );
  }

  /**
   * Rebuilds the state from the store; true once done. When the store cannot be read (its database out of
   * reach), the state stays marked stale and false is returned: the commands waiting (and `alsoRefuse`) are
   * refused UNAVAILABLE, and the next command tries the rebuild again.
   */
  private async rebuildState(alsoRefuse: readonly Pending[] = []): Promise<boolean> {
    try {
      this.state = await recoverState(this.store);
    } catch (error) {
      this.needsRebuild = true;
      const failure = new BatonError(
        'UNAVAILABLE',
        `could not read the log to recover the partition's state: ${(error as Error)?.message ?? error}`,
      );
      for (const pending of [...alsoRefuse, ...this.queue.splice(0)]) pending.reject(failure);
      return false;
    }
    this.needsRebuild = false;
    this.processor = new StreamProcessor(this.state);
    return true;
  }

  /** Reads committed records from the log (hand-overs catching up, tests). */
  readLog(fromPosition: number, limit: number): Promise<LoggedRecord[]> {
    return this.store.read(fromPosition, limit);
  }

  /** Keeps the log after `position` for a follower of this partition (not saved: see `logHolds`). */
  holdLog(holderId: string, position: number): void {
    this.logHolds.set(holderId, position);
  }

  /**
   * Saves a snapshot of the working state and compacts the log that no exporter needs any more. Called only
   * when no batch is in flight (the state then equals the durable log).
   */
  async takeSnapshot(): Promise<void> {
    this.recordsSinceSnapshot = 0;
    this.snapshotDue = false;
    const position = this.state.lastPosition;
    if (position === 0) return;
    try {
      // Chunk by chunk as the store writes them; the state stays as it is meanwhile (nothing is processed
      // while the drain loop awaits this).
      await this.store.saveSnapshot({ position, chunks: this.state.snapshotChunks() });
    } catch (error) {
      // Without a snapshot the log stays whole and recovery replays more of it: slower, never wrong.
      this.snapshotFailure = `snapshot at position ${position} failed: ${(error as Error).message}`;
      return;
    }
    this.snapshotFailure = undefined;
    // Compacted only up to what every exporter acknowledged and the store holds as acknowledged.
    await this.exporters.savePositions();
    const needed = Math.min(
      position,
      this.exporters.compactionFloor() ?? position,
      ...this.logHolds.values(),
    );
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

  /** Why the last batch could not be written, until a batch is written again (for health checks). */
  appendFailure: string | undefined;

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
    await this.exporters.close();
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
