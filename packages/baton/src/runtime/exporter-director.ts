import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore } from '@baton-engine/store';
import type { EngineLogger, Exporter, ExporterRetryOptions, ExporterStats } from './exporter.js';

/** Records read from the log in one page while an exporter catches up (one `export` call each). */
const CATCH_UP_PAGE = 5_000;
/** Live records held for an exporter that is busy; beyond them it reads the log instead. */
const MAX_BUFFERED_RECORDS = 10_000;
/** How long after an acknowledgement the positions are saved (they are saved before compaction anyway). */
const SAVE_DELAY_MS = 1_000;

/**
 * The exporters of one partition, as Zeebe's exporter director: it hands each exporter the committed records
 * in order (live batches while it keeps up, the log while it catches up), retries a failing one with back-off
 * without holding up processing, and keeps every exporter's acknowledged position, saved in the store.
 */
export class ExporterDirector {
  private readonly runs = new Map<string, ExporterRun>();
  /** Position of the last committed record. */
  private committed: number;
  private saving: Promise<void> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: PartitionStore,
    /** Positions saved in the store, by exporter id (also those of exporters not added in this run). */
    private readonly saved: Map<string, number>,
    lastPosition: number,
    private readonly retry: ExporterRetryOptions,
    private readonly logger: EngineLogger,
  ) {
    this.committed = lastPosition;
  }

  get partitionId(): number {
    return this.store.partitionId;
  }

  /** Opens an exporter on this partition and starts exporting after its position. */
  async add(exporter: Exporter): Promise<void> {
    if (this.closed) throw new Error(`partition ${this.partitionId} is closed`);
    if (this.runs.get(exporter.id)?.attached)
      throw new Error(`an exporter with id '${exporter.id}' is already registered`);
    const run = new ExporterRun(exporter, this, this.saved.get(exporter.id) ?? 0);
    // Holds the log from its saved position on while it opens.
    this.runs.set(exporter.id, run);
    try {
      await run.open();
    } catch (error) {
      this.runs.delete(exporter.id);
      throw error;
    }
    run.pump();
    // What was committed before it came is exported before it counts as added (unless it fails meanwhile).
    await run.caughtUp(this.committed);
  }

  /**
   * Stops exporting to an exporter (waiting for an export under way); its acknowledged position keeps
   * holding the log until the engine closes, so that it can be added again and catch up.
   */
  async remove(exporterId: string): Promise<void> {
    await this.runs.get(exporterId)?.stop();
    if (!this.closed) await this.savePositions();
  }

  /** Called with every batch once it is durable. */
  onCommit(records: readonly LoggedRecord[]): void {
    if (records.length === 0) return;
    this.committed = records[records.length - 1]!.position;
    for (const run of this.runs.values()) run.offer(records);
  }

  get lastPosition(): number {
    return this.committed;
  }

  /** The lowest position saved for an exporter of this run: the log is compacted only up to it. */
  compactionFloor(): number | undefined {
    let floor: number | undefined;
    for (const id of this.runs.keys()) {
      const position = this.saved.get(id) ?? 0;
      floor = floor === undefined ? position : Math.min(floor, position);
    }
    return floor;
  }

  /** Saves the acknowledged positions that changed since they were last saved. */
  savePositions(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.saving = this.saving.then(async () => {
      for (const run of this.runs.values()) {
        const position = run.position;
        if (this.saved.get(run.id) === position) continue;
        try {
          await this.store.saveExporterPosition(run.id, position);
          this.saved.set(run.id, position);
        } catch (error) {
          this.logger.warn(
            { partition: this.partitionId, exporter: run.id, error: (error as Error)?.message },
            'could not save the exporter position; the log is kept from the last saved one',
          );
        }
      }
    });
    return this.saving;
  }

  /** An exporter acknowledged a position: save it soon. */
  positionChanged(): void {
    if (this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => void this.savePositions(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  read(from: number, limit: number): Promise<LoggedRecord[]> {
    return this.store.read(from, limit);
  }

  logFor(exporterId: string): EngineLogger {
    const fields = { partition: this.partitionId, exporter: exporterId };
    return {
      info: (f, m) => this.logger.info({ ...fields, ...f }, m),
      warn: (f, m) => this.logger.warn({ ...fields, ...f }, m),
      error: (f, m) => this.logger.error({ ...fields, ...f }, m),
    };
  }

  get retryOptions(): ExporterRetryOptions {
    return this.retry;
  }

  stats(): ExporterStats[] {
    return [...this.runs.values()].map((run) => run.stats(this.committed));
  }

  /** Stops every exporter of the partition (no `close` call: that is the engine's) and saves positions. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.runs.values()].map((run) => run.stop()));
    await this.savePositions();
  }
}

/** One exporter in one partition. */
class ExporterRun {
  /** Acknowledged position. */
  position: number;
  /** Position of the last record handed to `export` successfully. */
  private exported = 0;
  /** Position of the last record handed to `export`, the call under way included (acknowledged up to it). */
  private handedOut = 0;
  private opening = true;
  /** Live batches to export next, consecutive, starting after `exported` (or overlapping it). */
  private buffered: LoggedRecord[][] = [];
  private bufferedCount = 0;
  /** Live records were dropped: read the log until current again. */
  private behind = false;
  private running: Promise<void> | undefined;
  private failure: { message: string; attempts: number } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly catchUps: { position: number; resolve: () => void }[] = [];
  attached = true;

  constructor(
    private readonly exporter: Exporter,
    private readonly director: ExporterDirector,
    saved: number,
  ) {
    this.position = saved;
  }

  get id(): string {
    return this.exporter.id;
  }

  async open(): Promise<void> {
    const { director } = this;
    await this.exporter.open({
      partitionId: director.partitionId,
      lastExportedPosition: this.position,
      logger: director.logFor(this.id),
      updatePosition: (position) => this.acknowledge(position),
    });
    this.opening = false;
    this.exported = this.position;
    this.handedOut = this.position;
    this.behind = true;
  }

  private acknowledge(position: number): void {
    const { director } = this;
    const highest = this.opening ? director.lastPosition : this.handedOut;
    const lowest = this.opening ? 0 : this.position;
    if (!Number.isSafeInteger(position) || position < lowest || position > highest) {
      throw new Error(
        `exporter '${this.id}' acknowledged position ${String(position)} of partition ${director.partitionId}, ` +
          `but only ${lowest} to ${highest} can be acknowledged ${this.opening ? 'while it opens (the log ends there)' : '(from the last acknowledged position to the last one exported)'}`,
      );
    }
    if (position === this.position) return;
    this.position = position;
    director.positionChanged();
  }

  /** Resolves once records up to `position` are exported, the exporter fails, or it is stopped. */
  caughtUp(position: number): Promise<void> {
    if (this.exported >= position || this.failure || !this.attached) return Promise.resolve();
    return new Promise((resolve) => this.catchUps.push({ position, resolve }));
  }

  private settleCatchUps(all: boolean): void {
    for (let i = this.catchUps.length - 1; i >= 0; i--) {
      const waiter = this.catchUps[i]!;
      if (all || this.exported >= waiter.position) {
        this.catchUps.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** A committed batch: exported at once when the exporter is idle and current, buffered otherwise. */
  offer(records: readonly LoggedRecord[]): void {
    if (!this.attached || this.opening) return;
    if (this.behind || this.retryTimer || this.bufferedCount + records.length > MAX_BUFFERED_RECORDS) {
      this.dropBuffer();
    } else {
      this.buffered.push(records as LoggedRecord[]);
      this.bufferedCount += records.length;
    }
    this.pump();
  }

  private dropBuffer(): void {
    this.behind = true;
    this.buffered = [];
    this.bufferedCount = 0;
  }

  /** Exports until current; runs synchronously up to the first asynchronous export or log read. */
  pump(): void {
    if (this.running || !this.attached || this.retryTimer) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      // A batch may have come while the last export settled.
      if (this.exported < this.director.lastPosition) this.pump();
    });
  }

  private async run(): Promise<void> {
    while (this.attached && this.exported < this.director.lastPosition) {
      let records: LoggedRecord[];
      try {
        records = this.next() ?? (await this.readLog());
      } catch (error) {
        // The store could not be read (it may be closing): tried again like a failed export.
        if (this.attached) this.failed(new Error(`reading the log failed: ${(error as Error)?.message}`));
        return;
      }
      if (!this.attached) return;
      const first = records[0]?.position;
      if (first === undefined || first > this.exported + 1) {
        // Compacted under the exporter (its position was set below what the log still holds): say what it
        // misses, and go on with what there is.
        this.director
          .logFor(this.id)
          .error(
            { exported: this.exported, firstInLog: first ?? 'none', committed: this.director.lastPosition },
            'records after the exported position were compacted before this exporter read them',
          );
        if (first === undefined) {
          this.settleCatchUps(true);
          return;
        }
      }
      this.handedOut = records[records.length - 1]!.position;
      try {
        const exported = this.exporter.export({ partitionId: this.director.partitionId, records });
        if (exported && typeof (exported as Promise<void>).then === 'function') await exported;
      } catch (error) {
        // Offered again from the first record after the exported ones; what it acknowledged meanwhile stays.
        this.handedOut = Math.max(this.exported, this.position);
        this.exported = this.handedOut;
        if (this.attached) this.failed(error);
        return;
      }
      this.exported = records[records.length - 1]!.position;
      if (this.catchUps.length > 0) this.settleCatchUps(false);
      if (this.failure) {
        this.director
          .logFor(this.id)
          .info({ attempts: this.failure.attempts }, 'the exporter takes records again');
        this.failure = undefined;
      }
    }
  }

  /** The buffered records after the exported position, if they continue it. */
  private next(): LoggedRecord[] | undefined {
    while (this.buffered.length > 0) {
      const batch = this.buffered[0]!;
      const last = batch[batch.length - 1]!.position;
      if (last <= this.exported) {
        this.buffered.shift();
        this.bufferedCount -= batch.length;
        continue;
      }
      if (batch[0]!.position > this.exported + 1) {
        // A gap: what lies between is in the log.
        this.dropBuffer();
        return undefined;
      }
      this.buffered.shift();
      this.bufferedCount -= batch.length;
      return batch[0]!.position > this.exported ? batch : batch.filter((r) => r.position > this.exported);
    }
    return undefined;
  }

  private async readLog(): Promise<LoggedRecord[]> {
    const limit = Math.min(CATCH_UP_PAGE, this.director.lastPosition - this.exported);
    const records = await this.director.read(this.exported + 1, limit);
    const last = records[records.length - 1]?.position ?? this.exported;
    // Current again: live batches are taken from here on (those buffered meanwhile continue the log).
    if (last >= this.director.lastPosition) this.behind = false;
    else if (this.buffered.length > 0 && this.buffered[0]![0]!.position <= last + 1) this.behind = false;
    return records;
  }

  private failed(error: unknown): void {
    const attempts = (this.failure?.attempts ?? 0) + 1;
    const message = error instanceof Error ? error.message : String(error);
    this.failure = { message, attempts };
    this.dropBuffer();
    this.settleCatchUps(true);
    const { initialDelayMs, maxDelayMs } = this.director.retryOptions;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempts - 1, 30));
    // The first failure and then every doubling of attempts: a long outage does not flood the log.
    if (Number.isInteger(Math.log2(attempts))) {
      this.director
        .logFor(this.id)
        .warn(
          { error: message, attempts, retryInMs: delay, position: this.exported + 1 },
          'the exporter failed; retrying with back-off (processing goes on, the log is kept for it)',
        );
    }
    // Not unref'd: retrying is work under way, as a queued command is; closing the engine clears it.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
  }

  stats(committed: number): ExporterStats {
    return {
      exporterId: this.id,
      position: this.position,
      lag: Math.max(0, committed - this.position),
      failedAttempts: this.failure?.attempts ?? 0,
      ...(this.failure ? { failure: this.failure.message } : {}),
    };
  }

  /** Stops exporting: no export after this settles. */
  async stop(): Promise<void> {
    this.attached = false;
    this.settleCatchUps(true);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.dropBuffer();
    await this.running;
  }
}
