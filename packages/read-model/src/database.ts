/**
 * The read model's storage behind one narrow, asynchronous interface, so that the projections and the
 * searches are written once for SQLite (one file, beside the log) and PostgreSQL (one set of tables for a
 * cluster). SQL is written once, in SQLite's spelling with `?` placeholders and double-quoted aliases; an
 * implementation may rewrite it for its dialect (see `SqlDialect`).
 */

/** A row as the database returns it, by column name. */
export type Row = Record<string, unknown>;

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null;

/** Runs statements; inside `ReadModelDatabase.transaction` on the transaction, else each on its own. */
export interface SqlExecutor {
  /** Every row of a query. */
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row of a query, or undefined. */
  get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement that changes rows; resolves to how many it changed (inserted, updated, deleted). */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Present where a round trip is dear (PostgreSQL), on a transaction: queues a statement whose result is not
   * needed, to be sent in one round trip with the statements queued after it and the transaction's next
   * query or its commit (so a batch of them costs one round trip, not one each). Statements still run in the
   * order they were given; an error of a queued one rejects that query or the commit (the transaction rolls
   * back). Returns a promise when it sent the queue at once (it had grown large): await it.
   */
  defer?(sql: string, params: readonly SqlValue[]): Promise<void> | undefined;
}

/** Statements answered at once (SQLite's), for the projections' synchronous path. */
export interface SyncSqlExecutor {
  get(sql: string, params: readonly SqlValue[]): Row | undefined;
  run(sql: string, params: readonly SqlValue[]): number;
}

/**
 * Changes announced between the processes that share the tables (PostgreSQL's LISTEN/NOTIFY), so that every
 * node of a cluster sees live updates of every partition.
 */
export interface ChangeFeed {
  /** The statement announcing `message`; run in the transaction of the change, it is delivered on commit. */
  announce(message: string): { readonly sql: string; readonly params: readonly SqlValue[] };
  /**
   * Calls `listener` with every message announced on these tables (this process's own included) until the
   * returned function is called; a lost connection is opened again.
   */
  listen(listener: (message: string) => void): Promise<() => Promise<void>>;
}

/** The few things SQLite and PostgreSQL spell differently, as the shared SQL needs them. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Appended to a `SELECT` that reads a row to change it in the same transaction (`FOR UPDATE`). */
  readonly lockRow: string;
  /** A boolean as a bound parameter (SQLite has no boolean type: 1 / 0). */
  bool(value: boolean): SqlValue;
  /**
   * Appended to an ORDER BY term so that absent values sort as SQLite sorts them (before every value
   * ascending, after every value descending), whatever the database.
   */
  nulls(order: 'ASC' | 'DESC'): string;
}

/**
 * The read model's database: statements, and transactions that see their own writes and commit all or
 * nothing. Contract (one test suite, `read-model.test.ts`, runs the read model on each implementation):
 * - queries resolve numbers as numbers (counts and epoch milliseconds included), text as strings;
 * - a boolean expression reads back as 1/0 or true/false (callers accept both);
 * - `transaction` runs `work` on one connection, commits when it resolves and rolls back when it rejects;
 *   transactions are serialized where the database cannot run them side by side.
 */
export interface ReadModelDatabase extends SqlExecutor {
  readonly dialect: SqlDialect;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Present on a database that answers synchronously (SQLite): a transaction run at once, so that the read
   * model applies a batch within the engine's commit (a search right after `engine.flush()` sees it).
   */
  readonly sync?: { transaction<T>(work: (tx: SyncSqlExecutor) => T): T };
  /** Present where several processes share the tables (PostgreSQL). */
  readonly changes?: ChangeFeed;
  close(): Promise<void>;
}
