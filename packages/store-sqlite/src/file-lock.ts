import { hostname } from 'node:os';
import Database from 'better-sqlite3';

/** Who holds a store's lock, as the holder wrote it when it took the lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the holder took the lock. */
  readonly since: string;
}

/** A held lock; `release()` lets the next process take it. */
export interface FileLock {
  readonly path: string;
  release(): void;
}

/** The store is in use by another engine (another process, or another factory in this one). */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
  constructor(
    readonly databasePath: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `process ${holder.pid} on ${holder.host} (since ${holder.since})`
      : 'another process (it has not said who it is yet)';
    super(
      `sqlite store: ${databasePath} is in use by ${who}; only one engine may open a database file. ` +
        'Stop the other one, or give this one another file (--db / BATON_DB).',
    );
  }
}

/**
 * Takes the exclusive lock of the database at `databasePath`: a small SQLite file beside it (`<path>-lock`)
 * on which a write transaction is held open for as long as the store is open. SQLite locks it with the
 * operating system's file locks, so the lock goes with the process — a crashed holder leaves no stale lock —
 * and a second connection in the same process is refused as well. Other processes can still read the
 * holder's row (a reserved lock lets readers in), which names the holder in the refusal.
 */
export function acquireFileLock(databasePath: string): FileLock {
  const path = `${databasePath}-lock`;
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    throw lockFailure(databasePath, path, error);
  }
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid, host, since)');
    const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new StoreLockedError(databasePath, currentHolder(db));
      throw error;
    }
    // Taken: from here on, wait a little for a reader (a refused contender reading our row) to let go.
    db.pragma('busy_timeout = 2000');
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, host, since) VALUES (1, ?, ?, ?)').run(
      holder.pid,
      holder.host,
      holder.since,
    );
    // The row becomes readable to others, and the transaction that keeps the lock starts at once after it.
    db.exec('COMMIT; BEGIN IMMEDIATE');
  } catch (error) {
    db.close();
    throw error instanceof StoreLockedError ? error : lockFailure(databasePath, path, error);
  }
  return {
    path,
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** Says which file and why: a bare "attempt to write a readonly database" names neither. */
function lockFailure(databasePath: string, path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const readOnly = /readonly|read-only/i.test(message) ? ' (the file or its directory is read-only)' : '';
  return new Error(`sqlite store: cannot take the lock of ${databasePath} (${path}): ${message}${readOnly}`, {
    cause: error,
  });
}

function currentHolder(db: Database.Database): LockHolder | undefined {
  try {
    return db.prepare('SELECT pid, host, since FROM holder WHERE id = 1').get() as LockHolder | undefined;
  } catch {
    return undefined;
  }
}
