import pg from 'pg';
import { migrate, quotedSchema } from '@baton-engine/store-postgres';
import type { ChangeFeed, ReadModelDatabase, Row, SqlDialect, SqlExecutor, SqlValue } from './database.js';
import { READ_MODEL_MIGRATIONS } from './schema.js';

const POSTGRES: SqlDialect = {
  name: 'postgres',
  lockRow: ' FOR UPDATE',
  bool: (value) => value,
  // PostgreSQL sorts absent values as the largest; SQLite (the reference) as the smallest.
  nulls: (order) => (order === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST'),
};

/** The channel of the read models' change announcements; a message starts with its schema and a space. */
const CHANNEL = 'baton_read_model';
/** How long a lost listening connection waits before it connects again. */
const RELISTEN_MS = 1_000;

/** Deadlock and serialization failures: the transaction is run again, a few times, before it fails. */
const RETRIED_CODES = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

/** bigint (counts, epoch milliseconds, positions) and numeric as JavaScript numbers: all are safe integers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresReadModelOptions {
  /** A postgres:// URL. */
  readonly connectionString: string;
  /** The schema of the tables (created if missing): a plain lower-case identifier. */
  readonly schema: string;
  /** Connections in the pool (default 4). */
  readonly poolSize?: number;
}

/**
 * The read model in PostgreSQL: its `rm_*` tables in one schema, shared by every node of a cluster (each
 * partition's leader writes its partition's rows and position). Statements are the shared SQL, rewritten
 * once per text for PostgreSQL: `?` → `$n`, `CAST(… AS INTEGER)` → `NUMERIC` (keys are 64-bit, and the
 * decision instances' keys longer), SQLite's ISO-date `strftime` → `EXTRACT(EPOCH …)`, and `LIKE` → `ILIKE`
 * (SQLite's LIKE ignores the case of ASCII letters).
 */
export class PostgresReadModelDatabase implements ReadModelDatabase {
  readonly dialect = POSTGRES;
  private readonly rewritten = new Map<string, string>();
  /** The name each SQL text is prepared under (on a connection that has prepared it, see `execute`). */
  private readonly names = new Map<string, string>();
  /** Per connection, the statements it has prepared. */
  private readonly prepared = new WeakMap<pg.PoolClient, Set<string>>();

  readonly changes: ChangeFeed;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
    connection: pg.ClientConfig,
  ) {
    const prefix = `${schema} `;
    this.changes = {
      announce: (message) => ({ sql: 'SELECT pg_notify(?, ?) AS sent', params: [CHANNEL, prefix + message] }),
      listen: (listener) =>
        // Named, so that an operator sees what the connection is for (pg_stat_activity).
        listen({ ...connection, application_name: `baton read model ${schema}`.slice(0, 63) }, (payload) => {
          if (payload.startsWith(prefix)) listener(payload.slice(prefix.length));
        }),
    };
  }

  /** Connects, creating the schema and migrating the tables (several nodes at once apply each step once). */
  static async open(options: PostgresReadModelOptions): Promise<PostgresReadModelDatabase> {
    const schema = quotedSchema(options.schema);
    const connection: pg.ClientConfig = {
      connectionString: options.connectionString,
      // Unqualified table names are the schema's.
      options: `-c search_path=${schema}`,
      types,
    };
    const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 4 });
    pool.on('error', () => undefined); // an idle connection lost: the next query opens another
    try {
      await migrate(pool, options.schema, READ_MODEL_MIGRATIONS, 'rm_schema_migrations');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(
        `read model: cannot prepare the schema ${options.schema} in PostgreSQL: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new PostgresReadModelDatabase(pool, options.schema, connection);
  }

  async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.pool.query<T>(this.rewrite(sql), params as SqlValue[])).rows;
  }

  async get<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.pool.query(this.rewrite(sql), params as SqlValue[])).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        // BEGIN waits for the transaction's first query, and the deferred statements for the next one or
        // COMMIT: a transaction of deferred statements and one read costs two round trips.
        const tx = new Pipeline(client, this);
        tx.queue('BEGIN');
        // Rebuildable from the log, as SQLite's synchronous NORMAL: the commit does not wait for the disk. A
        // crash of the server loses the last commits whole (rows and position together); the engine, told
        // the position only after the commit, saves it later (on this server, a later commit flushes the
        // earlier ones with it), so the records after the tables' position are still in its log.
        tx.queue('SET LOCAL synchronous_commit = off');
        try {
          const value = await work(tx);
          await tx.send('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          await this.unprepare(client).catch(() => undefined);
          const code = (error as { code?: string }).code;
          if (attempt >= ATTEMPTS || code === undefined || !RETRIED_CODES.has(code)) throw error;
        }
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * The statement as an EXECUTE of a statement prepared on the connection (queueing its PREPARE first when
   * it is not yet), its values written in as literals escaped by the driver: for several statements sent in
   * one simple query, which takes no parameters, without parsing and planning each again.
   */
  execute(
    client: pg.PoolClient,
    queue: (text: string) => void,
    sql: string,
    params: readonly SqlValue[],
  ): string {
    let name = this.names.get(sql);
    if (name === undefined) {
      name = `baton_rm_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    let prepared = this.prepared.get(client);
    if (prepared === undefined) this.prepared.set(client, (prepared = new Set()));
    if (!prepared.has(name)) {
      queue(`PREPARE ${name} AS ${this.rewrite(sql)}`);
      prepared.add(name);
    }
    return params.length === 0
      ? `EXECUTE ${name}`
      : `EXECUTE ${name}(${params.map((p) => literal(client, p)).join(', ')})`;
  }

  /**
   * After a failed transaction, forgets what the connection had prepared: a PREPARE queued with the failed
   * statements may not have run.
   */
  private async unprepare(client: pg.PoolClient): Promise<void> {
    if (!this.prepared.delete(client)) return;
    await client.query('DEALLOCATE ALL');
  }

  rewrite(sql: string): string {
    let out = this.rewritten.get(sql);
    if (out === undefined) {
      out = toPostgres(sql);
      if (this.rewritten.size >= 1_000) this.rewritten.clear();
      this.rewritten.set(sql, out);
    }
    return out;
  }
}

/** Characters of deferred statements sent at once, whatever comes next (the server takes up to 1 GB). */
const QUEUED_CHARS = 4_000_000;

/**
 * A transaction's statements on its connection, the deferred ones queued (`SqlExecutor.defer`) and sent in
 * one simple query together with the next statement whose result is needed, or with COMMIT.
 */
class Pipeline implements SqlExecutor {
  private queued: string[] = [];
  private chars = 0;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly db: PostgresReadModelDatabase,
  ) {}

  async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  async get<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  defer(sql: string, params: readonly SqlValue[]): Promise<void> | undefined {
    this.queue(this.statement(sql, params));
    return this.chars < QUEUED_CHARS ? undefined : this.send().then(() => undefined);
  }

  /** Queues a statement already in PostgreSQL's text, values written in. */
  queue(text: string): void {
    this.queued.push(text);
    this.chars += text.length;
  }

  /** Sends the queue, and `last` after it (a statement in PostgreSQL's text), in one round trip. */
  async send(last?: string): Promise<pg.QueryResult> {
    if (last !== undefined) this.queue(last);
    const text = this.queued.join(';\n');
    this.queued = [];
    this.chars = 0;
    const results = (await this.client.query(text)) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(results) ? results[results.length - 1]! : results;
  }

  /** One statement, after the queue (in the same round trip) when something waits in it. */
  private query<T extends Row>(sql: string, params: readonly SqlValue[]): Promise<pg.QueryResult<T>> {
    if (this.queued.length === 0) return this.client.query<T>(this.db.rewrite(sql), params as SqlValue[]);
    return this.send(this.statement(sql, params)) as Promise<pg.QueryResult<T>>;
  }

  /** A statement to queue, its values written in (see `execute`). */
  private statement(sql: string, params: readonly SqlValue[]): string {
    return this.db.execute(this.client, (text) => this.queue(text), sql, params);
  }
}

/**
 * A value as a literal of PostgreSQL's SQL, as the driver would send it as a parameter: text (numbers and
 * booleans too, as `String` writes them) that the statement reads as the type it needs, escaped by the
 * driver; NULL for null.
 */
function literal(client: pg.PoolClient, value: SqlValue): string {
  if (value === null) return 'NULL';
  const text = String(value);
  // The simple query is a C string: a NUL would end it. PostgreSQL's text cannot hold one either.
  if (text.includes('\0'))
    throw new Error(
      `read model: a value holds a NUL character (U+0000), which PostgreSQL text cannot hold: ${JSON.stringify(text.slice(0, 80))}`,
    );
  return client.escapeLiteral(text);
}

/**
 * A connection of its own that LISTENs on the channel and hands each payload to `listener`; connects again
 * after losing the connection, until stopped.
 */
async function listen(
  connection: pg.ClientConfig,
  listener: (payload: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client(connection);
    next.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload !== undefined) listener(message.payload);
    });
    const lost = () => {
      // Another connection, unless stopped. What changed meanwhile is not announced again.
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      if (!stopped) retry ??= setTimeout(again, RELISTEN_MS);
    };
    next.on('error', lost);
    next.on('end', lost);
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    client = next;
    if (stopped) await next.end().catch(() => undefined);
  };
  const again = () => {
    retry = undefined;
    if (stopped) return;
    connect().catch(() => {
      if (!stopped) retry ??= setTimeout(again, RELISTEN_MS);
    });
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/** The shared SQL (SQLite's spelling) as PostgreSQL reads it; see `PostgresReadModelDatabase`. */
export function toPostgres(sql: string): string {
  const text = sql
    .replace(
      /CAST\(strftime\('%s', ([\w.]+)\) AS INTEGER\) \* 1000/g,
      (_, column: string) => `CAST(EXTRACT(EPOCH FROM CAST(${column} AS TIMESTAMPTZ)) * 1000 AS BIGINT)`,
    )
    .replaceAll(' AS INTEGER)', ' AS NUMERIC)')
    .replaceAll(' LIKE ', ' ILIKE ');
  // Placeholders, outside of string literals.
  let out = '';
  let n = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}
