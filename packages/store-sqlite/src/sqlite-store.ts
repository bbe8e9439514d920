import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore, Snapshot, StoreFactory } from '@baton-engine/store';
import {
  batchRefusal,
  checkChunk,
  checkExporterPosition,
  checkInteger,
  snapshotChunks,
} from '@baton-engine/store';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import { AppendRefused } from './log-writer.js';
import { inlineWriter, threadedWriter } from './threaded-writer.js';
import { acquireFileLock } from './file-lock.js';
import { checkWriteAheadLog } from './wal-check.js';
import type { FileLock } from './file-lock.js';
import { FileWatch } from './file-watch.js';
import type { LogWriter } from './threaded-writer.js';

/**
 * How hard SQLite pushes each commit to disk.
 * - `FULL`: a resolved `append` survives power loss (one fsync per batch).
 * - `NORMAL`: in WAL mode the file stays consistent, and survives a process crash, but the last commits
 *   may be lost on power failure or OS crash. Faster; for deployments that accept that.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

export interface SqliteStoreOptions {
  /** The database file holding all partitions; missing parent directories are created. */
  readonly path: string;
  /** Default `FULL`: acknowledged means durable. */
  readonly synchronous?: SqliteSynchronous;
  /** How long a statement waits for another connection's lock before failing; default 5,000 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * Write (insert, commit, fsync) on a worker thread with a connection of its own, so that the caller's
   * thread goes on while a batch is made durable; default true (always false for `:memory:`). An append
   * still resolves only once its batch is committed.
   */
  readonly writerThread?: boolean;
}

/** A `StoreFactory` whose partitions all live in one SQLite file. */
export interface SqliteStoreFactory extends StoreFactory {
  /** The database file, as given in the options. */
  readonly path: string;
}

/**
 * Opens (creating if missing, and migrating to the current schema) the SQLite file at `options.path`,
 * in WAL mode. `close()` on the factory closes the database; stores opened from it fail afterwards.
 *
 * The log is stored one row per appended batch (a JSON array of its records). Reads, the last position and
 * snapshot loading use this thread's connection; every write goes, in call order, through one writer: a
 * worker thread by default (see `writerThread`).
 */
export function createSqliteStoreFactory(options: SqliteStoreOptions): SqliteStoreFactory {
  const { path, synchronous = 'FULL', busyTimeoutMs = 5_000 } = options;
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new Error(`sqlite store: synchronous must be FULL or NORMAL, got ${String(synchronous)}`);
  }
  const inMemory = path === ':memory:' || path === '';
  // One engine per file: a second one is refused before it touches the database, naming the holder.
  const lock = inMemory ? undefined : lockedFile(path);
  let db: Database.Database;
  try {
    db = openDatabase(path, synchronous, busyTimeoutMs);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const watch = inMemory ? undefined : new FileWatch(resolve(path));
  const writer = watched(
    options.writerThread === false || inMemory
      ? inlineWriter(db)
      : threadedWriter({ path: resolve(path), synchronous, busyTimeoutMs }),
    watch,
  );
  const reads = prepareReads(db);
  const saving = new Map<number, Promise<void>>();
  return {
    path,
    description: `sqlite:${path}`,
    async open(partitionId: number): Promise<PartitionStore> {
      if (!Number.isSafeInteger(partitionId))
        throw new Error(`partitionId must be an integer, got ${partitionId}`);
      if (!db.open)
        throw new Error(`sqlite store: open of partition ${partitionId} failed: the factory is closed`);
      return new SqlitePartitionStore(partitionId, reads, writer, saving);
    },
    health: () => watch?.health() ?? { healthy: true },
    async close(): Promise<void> {
      // The writer finishes what it was asked to write before the file is released.
      try {
        await writer.close();
        if (db.open) db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * Takes the file's lock, after refusing a file that cannot be a database: an empty file (a failed copy, a
 * truncated volume) would otherwise silently become an empty engine and its instances would be gone; and a
 * write-ahead log damaged before committed transactions, which SQLite would silently cut short.
 */
function lockedFile(path: string): FileLock {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const lock = acquireFileLock(resolve(path));
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isFile() && stat.size === 0) {
    lock.release();
    throw new Error(
      `sqlite store: ${path} is an empty file (0 bytes), not a Baton database; a new engine starts on a ` +
        'path where no file exists, so remove it if it should start empty, or restore the right file',
    );
  }
  try {
    checkWriteAheadLog(path);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

/** Every write first checks that the files are still the ones opened, and its outcome is remembered. */
function watched(writer: LogWriter, watch: FileWatch | undefined): LogWriter {
  if (!watch) return writer;
  return {
    threaded: writer.threaded,
    close: () => writer.close(),
    async write(request, transfer) {
      watch.checkBeforeWrite();
      try {
        await writer.write(request, transfer);
      } catch (error) {
        if (!(error instanceof AppendRefused)) {
          watch.wrote(error);
          // The caller's refusal names the fault too, not only the health probe.
          if (error instanceof Error) error.message += watch.hint(error);
        }
        throw error;
      }
      watch.wrote(undefined);
    },
  };
}

function openDatabase(
  path: string,
  synchronous: SqliteSynchronous,
  busyTimeoutMs: number,
): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  let db: Database.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { timeout: busyTimeoutMs });
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    if (!inMemory && journalMode !== 'wal')
      throw new Error(`WAL journal mode refused (got ${String(journalMode)})`);
    db.pragma(`synchronous = ${synchronous}`);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db?.close();
    throw new Error(`sqlite store: opening ${path} failed: ${detail(error)}`, { cause: error });
  }
}

/** The reading statements, prepared once per database and shared by its partitions. */
interface Reads {
  readonly meta: Database.Statement<[number], { last: number; compacted: number }>;
  readonly batches: Database.Statement<[number, number], StoredBatch>;
  readonly loadSnapshot: Database.Statement<[number], { position: number; generation: number }>;
  readonly countChunks: Database.Statement<[number, number], number>;
  readonly loadChunk: Database.Statement<
    [number, number, number],
    { data: string | Buffer; checksum: number | null }
  >;
  readonly exporterPositions: Database.Statement<[number], { id: string; position: number }>;
  /** Runs a function in one read transaction: what it reads belongs to one committed state. */
  readonly consistently: <T>(read: () => T) => T;
}

function prepareReads(db: Database.Database): Reads {
  return {
    meta: db.prepare<[number], { last: number; compacted: number }>(
      'SELECT last_position AS last, compacted_position AS compacted FROM partition_meta WHERE partition_id = ?',
    ),
    // The batches holding positions >= ?, in log order: the first is the one that holds the position.
    batches: db.prepare<[number, number], StoredBatch>(
      `SELECT first_position AS first, last_position AS last, records, checksum FROM log_batch
       WHERE partition_id = ? AND last_position >= ? ORDER BY last_position`,
    ),
    loadSnapshot: db.prepare<[number], { position: number; generation: number }>(
      'SELECT position, generation FROM snapshot WHERE partition_id = ?',
    ),
    countChunks: db
      .prepare<[number, number], number>(
        'SELECT COUNT(*) FROM snapshot_chunk WHERE partition_id = ? AND generation = ?',
      )
      .pluck(),
    loadChunk: db.prepare<[number, number, number], { data: string | Buffer; checksum: number | null }>(
      'SELECT data, checksum FROM snapshot_chunk WHERE partition_id = ? AND generation = ? AND idx = ?',
    ),
    exporterPositions: db.prepare<[number], { id: string; position: number }>(
      'SELECT exporter_id AS id, position FROM exporter_position WHERE partition_id = ? ORDER BY exporter_id',
    ),
    consistently: (read) => db.transaction(read).deferred(),
  };
}

class SqlitePartitionStore implements PartitionStore {
  private closed = false;
  /** The parsed batch the last read stopped in, and the first of its records not handed out yet. */
  private resume: { first: number; records: LoggedRecord[]; next: number } | undefined;

  constructor(
    readonly partitionId: number,
    private readonly reads: Reads,
    private readonly writer: LogWriter,
    /** Per partition, the snapshot save under way (settled either way), shared by its stores. */
    private readonly saving: Map<number, Promise<void>>,
  ) {}

  async append(records: readonly LoggedRecord[]): Promise<void> {
    this.checkOpen('append');
    if (records.length === 0) return;
    const first = records[0]!.position;
    const refusal = batchRefusal(this.partitionId, records);
    if (refusal) throw new AppendRefused(refusal);
    // Serialized here, as one JSON array, so that the writer only inserts and commits.
    let text: string;
    try {
      text = JSON.stringify(records);
    } catch (error) {
      throw this.failure('append', error);
    }
    try {
      await this.writer.write({
        op: 'append',
        partitionId: this.partitionId,
        firstPosition: first,
        count: records.length,
        text,
      });
    } catch (error) {
      throw error instanceof AppendRefused ? error : this.failure('append', error);
    }
  }

  async read(fromPosition: number, limit: number): Promise<LoggedRecord[]> {
    return this.run('read', () => {
      checkInteger('fromPosition', fromPosition);
      checkInteger('limit', limit);
      if (limit <= 0) return [];
      // Compacted records are gone, even where their batch row still holds them.
      const from = Math.max(fromPosition, (this.reads.meta.get(this.partitionId)?.compacted ?? 0) + 1);
      const out: LoggedRecord[] = [];
      const resume = this.resume;
      this.resume = undefined;
      for (const batch of this.reads.batches.iterate(this.partitionId, from)) {
        // A reader paging through the log (recovery, exporters) continues in the batch its last page ended
        // in: that batch is parsed once, and none of its records is handed out twice.
        const records =
          resume && resume.first === batch.first && from >= resume.next ? resume.records : parseBatch(batch);
        const start = Math.max(0, from - batch.first);
        const end = Math.min(records.length, start + limit - out.length);
        for (let i = start; i < end; i++) out.push(records[i]!);
        if (out.length >= limit) {
          if (end < records.length) this.resume = { first: batch.first, records, next: batch.first + end };
          break;
        }
      }
      return out;
    });
  }

  async lastPosition(): Promise<number> {
    return this.run('lastPosition', () => this.reads.meta.get(this.partitionId)?.last ?? 0);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.checkOpen('saveSnapshot');
    checkInteger('snapshot.position', snapshot.position);
    const chunks = snapshotChunks(snapshot);
    // One save of a partition at a time: the writer knows one snapshot being written per partition, and the
    // chunks of two saves under way together would go into one generation, committed as one of them.
    const before = this.saving.get(this.partitionId);
    const saved = (async () => {
      await before;
      await this.writeSnapshot(snapshot.position, chunks);
    })();
    const settled = saved.catch(() => undefined);
    this.saving.set(this.partitionId, settled);
    try {
      await saved;
    } finally {
      if (this.saving.get(this.partitionId) === settled) this.saving.delete(this.partitionId);
    }
  }

  private async writeSnapshot(position: number, chunks: Iterable<string>): Promise<void> {
    // Written group by group while the state produces the chunks, at most two groups under way: the chunks
    // of a large state never pile up here. To the writer thread as bytes it takes over: strings would be
    // copied (through structured cloning), and a large state's snapshot runs to gigabytes.
    const encoder = this.writer.threaded ? new TextEncoder() : undefined;
    let count = 0;
    let group: (string | Uint8Array)[] = [];
    let groupBytes = 0;
    let previous: Promise<void> | undefined;
    const send = async () => {
      const request = {
        op: 'snapshotChunks',
        partitionId: this.partitionId,
        first: count - group.length,
        chunks: group,
      } as const;
      const transfer = encoder ? (group as Uint8Array[]).map((chunk) => chunk.buffer as ArrayBuffer) : [];
      const written = this.writer.write(request, transfer);
      written.catch(() => undefined); // observed below; a failure must not go unhandled meanwhile
      group = [];
      groupBytes = 0;
      await previous;
      previous = written;
    };
    try {
      try {
        for (const chunk of chunks) {
          const text = checkChunk(chunk, count);
          group.push(encoder ? encoder.encode(text) : text);
          groupBytes += text.length;
          count += 1;
          if (groupBytes >= SNAPSHOT_GROUP_BYTES) await send();
        }
        if (group.length > 0) await send();
      } finally {
        // Never leave a write unobserved, whichever way this ends.
        await previous?.catch(() => undefined);
      }
      await previous;
      await this.writer.write({
        op: 'saveSnapshot',
        partitionId: this.partitionId,
        position,
        count,
      });
    } catch (error) {
      throw this.failure('saveSnapshot', error);
    }
  }

  async loadSnapshot(): Promise<Snapshot | undefined> {
    const row = this.run('loadSnapshot', () =>
      this.reads.consistently(() => {
        const snapshot = this.reads.loadSnapshot.get(this.partitionId);
        return (
          snapshot && {
            ...snapshot,
            count: this.reads.countChunks.get(this.partitionId, snapshot.generation)!,
          }
        );
      }),
    );
    if (row === undefined) return undefined;
    return { position: row.position, chunks: this.readChunks(row.generation, row.count) };
  }

  /** The chunks of a snapshot, read one at a time as they are iterated (they run to gigabytes). */
  private *readChunks(generation: number, count: number): Generator<string> {
    for (let idx = 0; idx < count; idx++) {
      const chunk = this.run('loadSnapshot', () =>
        this.reads.loadChunk.get(this.partitionId, generation, idx),
      );
      if (chunk === undefined) {
        throw this.failure(
          'loadSnapshot',
          new Error(
            `chunk ${idx} of ${count} is gone (a newer snapshot replaced this one while it was read)`,
          ),
        );
      }
      if (chunk.checksum !== null && crc32(chunk.data) !== chunk.checksum) {
        throw this.failure(
          'loadSnapshot',
          new Error(
            `chunk ${idx} of ${count} of the snapshot fails its checksum (stored ${chunk.checksum}, ` +
              `computed ${crc32(chunk.data)}): the stored data was changed after it was written`,
          ),
        );
      }
      yield typeof chunk.data === 'string' ? chunk.data : chunk.data.toString('utf8');
    }
  }

  async compact(upToPosition: number): Promise<void> {
    this.checkOpen('compact');
    checkInteger('upToPosition', upToPosition);
    try {
      await this.writer.write({ op: 'compact', partitionId: this.partitionId, upToPosition });
    } catch (error) {
      throw this.failure('compact', error);
    }
  }

  async exporterPositions(): Promise<ReadonlyMap<string, number>> {
    return this.run(
      'exporterPositions',
      () => new Map(this.reads.exporterPositions.all(this.partitionId).map((r) => [r.id, r.position])),
    );
  }

  async saveExporterPosition(exporterId: string, position: number): Promise<void> {
    this.checkOpen('saveExporterPosition');
    checkExporterPosition(exporterId, position);
    try {
      await this.writer.write({
        op: 'exporterPosition',
        partitionId: this.partitionId,
        exporterId,
        position,
      });
    } catch (error) {
      throw this.failure('saveExporterPosition', error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(operation: string): void {
    if (this.closed) {
      throw new Error(
        `sqlite store: ${operation} on partition ${this.partitionId} failed: the store is closed`,
      );
    }
  }

  /** An error that names the partition and the operation. */
  private failure(operation: string, error: unknown): Error {
    return new Error(`sqlite store: ${operation} on partition ${this.partitionId} failed: ${detail(error)}`, {
      cause: error,
    });
  }

  /** Runs one reading operation, turning whatever fails into an error that names the partition and the operation. */
  private run<T>(operation: string, body: () => T): T {
    this.checkOpen(operation);
    try {
      return body();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }
}

/** A row of the log: a batch of records from `first` to `last`, and the checksum of what is stored. */
interface StoredBatch {
  readonly first: number;
  readonly last: number;
  readonly records: Buffer | string;
  /** CRC-32 of `records` as stored; null for rows written before schema 5. */
  readonly checksum: number | null;
}

/**
 * A stored batch: compressed JSON (see `compressBatch`), or plain JSON text for rows of schema 2; refused
 * when it does not match its checksum.
 */
function parseBatch(batch: StoredBatch): LoggedRecord[] {
  const stored = batch.records;
  if (batch.checksum !== null && crc32(stored) !== batch.checksum) {
    throw new Error(
      `the batch of positions ${batch.first}-${batch.last} fails its checksum (stored ${batch.checksum}, ` +
        `computed ${crc32(stored)}): the stored data was changed after it was written`,
    );
  }
  const text = typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
  return JSON.parse(text) as LoggedRecord[];
}

function detail(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Characters of snapshot chunks sent to the writer in one transaction. */
const SNAPSHOT_GROUP_BYTES = 32 * 1024 * 1024;
