import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { LoggedRecord } from '@baton/engine';
import type { PartitionStore, Snapshot, StoreFactory } from '@baton/store';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';

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
}

/** A `StoreFactory` whose partitions all live in one SQLite file. */
export interface SqliteStoreFactory extends StoreFactory {
  /** The database file, as given in the options. */
  readonly path: string;
}

/**
 * Opens (creating if missing, and migrating to the current schema) the SQLite file at `options.path`,
 * in WAL mode. `close()` on the factory closes the database; stores opened from it fail afterwards.
 */
export function createSqliteStoreFactory(options: SqliteStoreOptions): SqliteStoreFactory {
  const { path, synchronous = 'FULL', busyTimeoutMs = 5_000 } = options;
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new Error(`sqlite store: synchronous must be FULL or NORMAL, got ${String(synchronous)}`);
  }
  const db = openDatabase(path, synchronous, busyTimeoutMs);
  const statements = prepareStatements(db);
  return {
    path,
    description: `sqlite:${path}`,
    async open(partitionId: number): Promise<PartitionStore> {
      if (!Number.isSafeInteger(partitionId))
        throw new Error(`partitionId must be an integer, got ${partitionId}`);
      if (!db.open)
        throw new Error(`sqlite store: open of partition ${partitionId} failed: the factory is closed`);
      return new SqlitePartitionStore(partitionId, statements);
    },
    async close(): Promise<void> {
      if (db.open) db.close();
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

/** Prepared once per database and shared by its partitions: the partition is a parameter. */
interface Statements {
  readonly lastPosition: Database.Statement<[number], number>;
  readonly read: Database.Statement<[number, number, number], string>;
  readonly saveSnapshot: (partitionId: number, position: number, chunks: readonly string[]) => void;
  readonly loadSnapshot: Database.Statement<[number], { position: number }>;
  readonly loadChunks: Database.Statement<[number], string>;
  readonly compact: Database.Statement<[number, number]>;
  /** Checks and writes a whole batch in one immediate transaction: one commit (fsync) per batch. */
  readonly append: (partitionId: number, records: readonly LoggedRecord[], texts: readonly string[]) => void;
}

function prepareStatements(db: Database.Database): Statements {
  const lastPosition = db
    .prepare<[number], number>('SELECT last_position FROM partition_meta WHERE partition_id = ?')
    .pluck();
  const setLastPosition = db.prepare<[number, number]>(
    `INSERT INTO partition_meta (partition_id, last_position) VALUES (?, ?)
     ON CONFLICT (partition_id) DO UPDATE SET last_position = excluded.last_position`,
  );
  const insert = db.prepare<[number, number, string]>(
    'INSERT INTO log (partition_id, position, record) VALUES (?, ?, ?)',
  );
  const appendTransaction = db.transaction(
    (partitionId: number, records: readonly LoggedRecord[], texts: readonly string[]) => {
      // Checked under the write lock, so a concurrent writer cannot slip in between check and insert.
      const last = lastPosition.get(partitionId) ?? 0;
      records.forEach((record, index) => {
        const expected = last + 1 + index;
        if (record.position !== expected) {
          throw new AppendRefused(
            `append to partition ${partitionId} refused: record ${index} has position ${record.position}, ` +
              `expected ${expected} (positions must continue the log without gaps)`,
          );
        }
        insert.run(partitionId, record.position, texts[index]!);
      });
      setLastPosition.run(partitionId, last + records.length);
    },
  );
  return {
    lastPosition,
    read: db
      .prepare<[number, number, number], string>(
        'SELECT record FROM log WHERE partition_id = ? AND position >= ? ORDER BY position LIMIT ?',
      )
      .pluck(),
    saveSnapshot: saveSnapshotTransaction(db),
    loadSnapshot: db.prepare<[number], { position: number }>(
      'SELECT position FROM snapshot WHERE partition_id = ?',
    ),
    loadChunks: db
      .prepare<[number], string>('SELECT data FROM snapshot_chunk WHERE partition_id = ? ORDER BY idx')
      .pluck(),
    compact: db.prepare<[number, number]>('DELETE FROM log WHERE partition_id = ? AND position <= ?'),
    append: (partitionId, records, texts) => appendTransaction.immediate(partitionId, records, texts),
  };
}

/** Replaces a partition's snapshot (position and every chunk) in one transaction. */
function saveSnapshotTransaction(db: Database.Database) {
  const upsert = db.prepare<[number, number]>(
    `INSERT INTO snapshot (partition_id, position, data) VALUES (?, ?, '')
     ON CONFLICT (partition_id) DO UPDATE SET position = excluded.position, data = ''`,
  );
  const clear = db.prepare<[number]>('DELETE FROM snapshot_chunk WHERE partition_id = ?');
  const insert = db.prepare<[number, number, string]>(
    'INSERT INTO snapshot_chunk (partition_id, idx, data) VALUES (?, ?, ?)',
  );
  const save = db.transaction((partitionId: number, position: number, chunks: readonly string[]) => {
    upsert.run(partitionId, position);
    clear.run(partitionId);
    chunks.forEach((chunk, idx) => insert.run(partitionId, idx, chunk));
  });
  return (partitionId: number, position: number, chunks: readonly string[]) =>
    save.immediate(partitionId, position, chunks);
}

class SqlitePartitionStore implements PartitionStore {
  private closed = false;

  constructor(
    readonly partitionId: number,
    private readonly statements: Statements,
  ) {}

  async append(records: readonly LoggedRecord[]): Promise<void> {
    this.run('append', () => {
      if (records.length === 0) return;
      records.forEach((record, index) => {
        if (record.partitionId !== this.partitionId) {
          throw new AppendRefused(
            `append to partition ${this.partitionId} refused: record ${index} belongs to partition ${record.partitionId}`,
          );
        }
      });
      // Serialized before the transaction starts, to hold the write lock no longer than needed.
      const texts = records.map((record) => JSON.stringify(record));
      this.statements.append(this.partitionId, records, texts);
    });
  }

  async read(fromPosition: number, limit: number): Promise<LoggedRecord[]> {
    return this.run('read', () => {
      checkInteger('fromPosition', fromPosition);
      checkInteger('limit', limit);
      // A negative LIMIT means "no limit" to SQLite; the contract means "nothing".
      if (limit <= 0) return [];
      const texts = this.statements.read.all(this.partitionId, fromPosition, limit);
      return texts.map((text) => JSON.parse(text) as LoggedRecord);
    });
  }

  async lastPosition(): Promise<number> {
    return this.run('lastPosition', () => this.statements.lastPosition.get(this.partitionId) ?? 0);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.run('saveSnapshot', () => {
      checkInteger('snapshot.position', snapshot.position);
      if (!Array.isArray(snapshot.chunks) || snapshot.chunks.some((c) => typeof c !== 'string')) {
        throw new Error('snapshot.chunks must be an array of strings');
      }
      this.statements.saveSnapshot(this.partitionId, snapshot.position, snapshot.chunks);
    });
  }

  async loadSnapshot(): Promise<Snapshot | undefined> {
    return this.run('loadSnapshot', () => {
      const row = this.statements.loadSnapshot.get(this.partitionId);
      if (row === undefined) return undefined;
      return { position: row.position, chunks: this.statements.loadChunks.all(this.partitionId) };
    });
  }

  async compact(upToPosition: number): Promise<void> {
    this.run('compact', () => {
      checkInteger('upToPosition', upToPosition);
      this.statements.compact.run(this.partitionId, upToPosition);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Runs one operation, turning whatever fails into an error that names the partition and the operation. */
  private run<T>(operation: string, body: () => T): T {
    if (this.closed) {
      throw new Error(
        `sqlite store: ${operation} on partition ${this.partitionId} failed: the store is closed`,
      );
    }
    try {
      return body();
    } catch (error) {
      if (error instanceof AppendRefused) throw error;
      throw new Error(
        `sqlite store: ${operation} on partition ${this.partitionId} failed: ${detail(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

/** A batch the contract refuses; its message already says which partition and why. */
class AppendRefused extends Error {
  override readonly name = 'AppendRefused';
}

function detail(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function checkInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${String(value)}`);
}
