import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '@baton-engine/store-sqlite';
import type {
  ReadModelDatabase,
  Row,
  SqlDialect,
  SqlExecutor,
  SqlValue,
  SyncSqlExecutor,
} from './database.js';
import { READ_MODEL_MIGRATIONS } from './schema.js';

const SQLITE: SqlDialect = {
  name: 'sqlite',
  lockRow: '',
  bool: (value) => (value ? 1 : 0),
  nulls: () => '',
};

/** Prepared statements kept per SQL text; searches build their SQL from a bounded set of fields. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The read model in a SQLite file (WAL), or in memory (`:memory:`). better-sqlite3 is synchronous: every
 * call runs at once, and transactions take turns (one connection, one transaction at a time).
 */
export class SqliteReadModelDatabase implements ReadModelDatabase {
  readonly dialect = SQLITE;
  private readonly statements = new Map<string, Database.Statement>();
  /** The transaction under way: the next one starts after it settles. */
  private turn: Promise<unknown> = Promise.resolve();

  readonly sync: { transaction<T>(work: (tx: SyncSqlExecutor) => T): T };

  private constructor(private readonly db: Database.Database) {
    const tx: SyncSqlExecutor = {
      get: (sql, params) => this.statement(sql).get(...bind(params)) as Row | undefined,
      run: (sql, params) => this.statement(sql).run(...bind(params)).changes,
    };
    this.sync = {
      transaction: <T>(work: (tx: SyncSqlExecutor) => T): T => {
        // An asynchronous transaction is under way on the connection: the caller tries again later.
        if (this.db.inTransaction) throw new Error('read model: the SQLite connection is in a transaction');
        return this.db.transaction(() => work(tx)).immediate();
      },
    };
  }

  /** Opens (creating and migrating) the tables in `path`; the log store's own tables may share the file. */
  static open(path: string): SqliteReadModelDatabase {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL'); // rebuildable from the log: durability comes from the log
      db.pragma('busy_timeout = 5000');
      // Its own versions table: the log store's migrations share the file.
      migrate(db, READ_MODEL_MIGRATIONS, 'rm_schema_migrations');
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteReadModelDatabase(db);
  }

  all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return Promise.resolve(this.statement(sql).all(...bind(params)) as T[]);
  }

  get<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return Promise.resolve(this.statement(sql).get(...bind(params)) as T | undefined);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return Promise.resolve(this.statement(sql).run(...bind(params)).changes);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = this.turn.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const value = await work(this);
        this.db.exec('COMMIT');
        return value;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.turn = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.turn;
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** SQLite binds no booleans. */
function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}
