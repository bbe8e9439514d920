import type { Pool } from 'pg';
import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore, Snapshot } from '@baton-engine/store';
import {
  batchRefusal,
  checkChunk,
  checkExporterPosition,
  checkInteger,
  snapshotChunks,
} from '@baton-engine/store';
import { compress, decompress } from './batch-codec.js';
import { LeaseLostError } from './lease-lost-error.js';
import type { PartitionLeases } from './partition-leases.js';
import type { Statements } from './sql-statements.js';
import type { WriteFence } from './write-fence.js';

/** What the partitions of one factory share. */
export interface StoreContext {
  readonly pool: Pool;
  readonly sql: Statements;
  readonly leases: PartitionLeases;
  /** Per partition, the snapshot save under way (settled either way), shared by the factory's stores. */
  readonly saving: Map<number, Promise<void>>;
  /** Per partition, the last append sent (settled either way): appends reach the database in call order. */
  readonly appending: Map<number, Promise<void>>;
  /** Runs a query, noting for `health()` whether the database answered. */
  readonly query: <R extends object>(text: string, values?: unknown[]) => Promise<R[]>;
}

/**
 * One partition's log and snapshot in PostgreSQL. With a `fence`, every write (append, snapshot, compaction)
 * commits only while the fence's node holds the partition's lease at the fence's epoch, and is refused with
 * a `LeaseLostError`, writing nothing, otherwise.
 */
export class PostgresPartitionStore implements PartitionStore {
  private closed = false;
  /** The batch the last read stopped in, parsed, so that a reader paging through the log parses it once. */
  private resume: { first: number; records: LoggedRecord[] } | undefined;

  constructor(
    readonly partitionId: number,
    private readonly context: StoreContext,
    private readonly fence: WriteFence | undefined,
    private readonly onClose: () => Promise<void>,
  ) {}

  async append(records: readonly LoggedRecord[]): Promise<void> {
    this.checkOpen('append');
    if (records.length === 0) return;
    const first = records[0]!.position;
    const refusal = batchRefusal(this.partitionId, records);
    if (refusal) throw new Error(refusal);
    this.checkLease();
    const text = JSON.stringify(records);
    // The pool runs queries on several connections, in no set order: an append waits for the one before it,
    // as a caller that sends the next batch before the previous one is durable expects.
    const { appending } = this.context;
    const before = appending.get(this.partitionId);
    const appended = (async () => {
      const stored = await compress(text);
      await before;
      await this.insertBatch(first, first + records.length - 1, stored);
    })();
    const settled = appended.catch(() => undefined);
    appending.set(this.partitionId, settled);
    try {
      await appended;
    } finally {
      if (appending.get(this.partitionId) === settled) appending.delete(this.partitionId);
    }
  }

  private async insertBatch(first: number, last: number, stored: Buffer): Promise<void> {
    this.checkLease();
    const [row] = await this.run('append', () =>
      this.context.query<{ leased: boolean; done: boolean }>(this.context.sql.append(!!this.fence), [
        this.partitionId,
        first,
        last,
        stored,
        ...this.fenceValues(),
      ]),
    );
    if (!row!.leased) throw await this.leaseLost();
    if (!row!.done) {
      const now = await this.lastPosition();
      throw new Error(
        `append to partition ${this.partitionId} refused: the batch starts at position ${first}, expected ` +
          `${now + 1} (positions must continue the log without gaps)`,
      );
    }
  }

  async read(fromPosition: number, limit: number): Promise<LoggedRecord[]> {
    this.checkOpen('read');
    checkInteger('fromPosition', fromPosition);
    checkInteger('limit', limit);
    if (limit <= 0) return [];
    const rows = await this.run('read', () =>
      this.context.query<{ from: string; first: string; records: Buffer }>(this.context.sql.read, [
        this.partitionId,
        fromPosition,
        limit,
      ]),
    );
    const out: LoggedRecord[] = [];
    const resume = this.resume;
    this.resume = undefined;
    for (const row of rows) {
      const from = Number(row.from);
      const first = Number(row.first);
      const records =
        resume && resume.first === first
          ? resume.records
          : (JSON.parse(decompress(row.records)) as LoggedRecord[]);
      const start = Math.max(0, from - first);
      const end = Math.min(records.length, start + limit - out.length);
      for (let i = start; i < end; i++) out.push(records[i]!);
      if (end < records.length) this.resume = { first, records };
      if (out.length >= limit) break;
    }
    return out;
  }

  async lastPosition(): Promise<number> {
    this.checkOpen('lastPosition');
    const [row] = await this.run('lastPosition', () =>
      this.context.query<{ last_position: string }>(this.context.sql.lastPosition, [this.partitionId]),
    );
    return row ? Number(row.last_position) : 0;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.checkOpen('saveSnapshot');
    checkInteger('snapshot.position', snapshot.position);
    const chunks = snapshotChunks(snapshot);
    this.checkLease();
    // One save of a partition at a time per factory: each cleans up what failed attempts left behind.
    const { saving } = this.context;
    const before = saving.get(this.partitionId);
    const saved = (async () => {
      await before;
      await this.writeSnapshot(snapshot.position, chunks);
    })();
    const settled = saved.catch(() => undefined);
    saving.set(this.partitionId, settled);
    try {
      await saved;
    } finally {
      if (saving.get(this.partitionId) === settled) saving.delete(this.partitionId);
    }
  }

  /**
   * Writes the chunks under a new generation, group by group while the state produces them (at most two
   * groups under way, so a large state's chunks never pile up here), then makes that generation the
   * partition's snapshot in one statement, fenced like an append.
   */
  private async writeSnapshot(position: number, chunks: Iterable<string>): Promise<void> {
    const { sql, query } = this.context;
    const [{ generation } = { generation: '0' }] = await this.run('saveSnapshot', () =>
      query<{ generation: string }>(sql.nextGeneration),
    );
    const id = this.partitionId;
    let count = 0;
    let group: unknown[] = [];
    let groupChars = 0;
    let previous: Promise<unknown> | undefined;
    const send = async () => {
      const values = [id, generation, ...group];
      const written = query(sql.insertChunks(group.length / 2), values);
      written.catch(() => undefined); // observed below; a failure must not go unhandled meanwhile
      group = [];
      groupChars = 0;
      await previous;
      previous = written;
    };
    let complete = false;
    try {
      await query(sql.dropUnfinished, [id, generation]);
      try {
        for (const chunk of chunks) {
          const text = checkChunk(chunk, count);
          group.push(count, await compress(text));
          groupChars += text.length;
          count += 1;
          if (groupChars >= SNAPSHOT_GROUP_CHARS || group.length >= 2 * SNAPSHOT_GROUP_CHUNKS) await send();
        }
        if (group.length > 0) await send();
      } finally {
        // Never leave a write unobserved, whichever way this ends.
        await previous?.catch(() => undefined);
      }
      await previous;
      const [row] = await query<{ leased: boolean; written: string; done: boolean }>(
        sql.saveSnapshot(!!this.fence),
        [id, generation, position, count, ...this.fenceValues()],
      );
      if (!row!.leased) throw await this.leaseLost();
      if (!row!.done) {
        throw new Error(
          Number(row!.written) === count
            ? `a newer snapshot was saved meanwhile`
            : `${row!.written} chunks were written, expected ${count}`,
        );
      }
      complete = true;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      throw this.failure('saveSnapshot', error);
    } finally {
      if (!complete) await query(sql.dropGeneration, [id, generation]).catch(() => undefined);
    }
  }

  async loadSnapshot(): Promise<Snapshot | undefined> {
    this.checkOpen('loadSnapshot');
    const rows = await this.run('loadSnapshot', () =>
      this.context.query<{ position: string; data: Buffer | null }>(this.context.sql.loadSnapshot, [
        this.partitionId,
      ]),
    );
    if (rows.length === 0) return undefined;
    // The compressed chunks are all in memory (one consistent read); each is inflated only when iterated.
    const stored = rows.flatMap((row) => (row.data ? [row.data] : []));
    return {
      position: Number(rows[0]!.position),
      chunks: {
        *[Symbol.iterator]() {
          for (const data of stored) yield decompress(data);
        },
      },
    };
  }

  async compact(upToPosition: number): Promise<void> {
    this.checkOpen('compact');
    checkInteger('upToPosition', upToPosition);
    this.checkLease();
    const [row] = await this.run('compact', () =>
      this.context.query<{ leased: boolean }>(this.context.sql.compact(!!this.fence), [
        this.partitionId,
        upToPosition,
        ...this.fenceValues(),
      ]),
    );
    if (!row!.leased) throw await this.leaseLost();
  }

  async exporterPositions(): Promise<ReadonlyMap<string, number>> {
    this.checkOpen('exporterPositions');
    const rows = await this.run('exporterPositions', () =>
      this.context.query<{ id: string; position: string }>(this.context.sql.exporterPositions, [
        this.partitionId,
      ]),
    );
    return new Map(rows.map((row) => [row.id, Number(row.position)]));
  }

  /** Fenced like every write: a deposed leader's exporters cannot move the compaction floor. */
  async saveExporterPosition(exporterId: string, position: number): Promise<void> {
    this.checkOpen('saveExporterPosition');
    checkExporterPosition(exporterId, position);
    this.checkLease();
    const [row] = await this.run('saveExporterPosition', () =>
      this.context.query<{ leased: boolean }>(this.context.sql.saveExporterPosition(!!this.fence), [
        this.partitionId,
        exporterId,
        position,
        ...this.fenceValues(),
      ]),
    );
    if (!row!.leased) throw await this.leaseLost();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.resume = undefined;
    await this.onClose();
  }

  private fenceValues(): unknown[] {
    return this.fence ? [this.fence.node, this.fence.epoch] : [];
  }

  /** A lease already known lost refuses the write without asking the database. */
  private checkLease(): void {
    const lost = this.fence?.lostError;
    if (lost) throw lost;
  }

  /** The error for a write the database refused under the fence, and the fence told of it. */
  private async leaseLost(): Promise<LeaseLostError> {
    const fence = this.fence!;
    const now = await this.context.leases.current(this.partitionId).catch(() => undefined);
    const reason =
      now === undefined
        ? 'the partition has no lease'
        : now.epoch !== fence.epoch || now.node !== fence.node
          ? `node ${now.node} leads it at epoch ${now.epoch}`
          : 'the lease expired';
    const error = new LeaseLostError(
      this.partitionId,
      fence.node,
      fence.epoch,
      `${reason}; nothing was written`,
    );
    fence.markLost?.(error);
    return error;
  }

  private checkOpen(operation: string): void {
    if (this.closed) {
      throw new Error(
        `postgres store: ${operation} on partition ${this.partitionId} failed: the store is closed`,
      );
    }
  }

  /** An error that names the partition and the operation. */
  private failure(operation: string, error: unknown): Error {
    return new Error(
      `postgres store: ${operation} on partition ${this.partitionId} failed: ${detail(error)}`,
      { cause: error },
    );
  }

  private async run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }
}

/** A database error with its SQLSTATE, anything else with its message. */
export function detail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

/** Characters of snapshot chunks written in one statement, and chunks at most (bound parameters are 65,535). */
const SNAPSHOT_GROUP_CHARS = 16 * 1024 * 1024;
const SNAPSHOT_GROUP_CHUNKS = 1_000;
