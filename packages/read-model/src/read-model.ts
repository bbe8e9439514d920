import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Engine, ExportBatch, Exporter, ExporterContext } from '@baton-engine/baton';
import { READ_MODEL_MIGRATIONS } from './schema.js';
import { migrate } from '@baton-engine/store-sqlite';
import type { ApplyBatch } from './projections.js';
import { prepareProjections } from './projections.js';
import { ReadModelQueries } from './queries.js';

/** The id under which the engine keeps the read model's position in every partition. */
export const READ_MODEL_EXPORTER_ID = 'read-model';

export interface ReadModelOptions {
  /** The SQLite file of the tables (the engine's own file is fine), or `:memory:`. */
  readonly path: string;
  /**
   * Called once when batches of a partition start being refused (the engine retries them with back-off until
   * they are taken again, and goes on processing meanwhile).
   */
  readonly onError?: (error: unknown, partitionId: number) => void;
}

/**
 * The read side (ARCHITECTURE.md section 4): an exporter that turns the committed log of every partition into
 * SQL tables for searching and the cockpit. Its position is written in the same transaction as the rows, and
 * it tells the engine that position when it opens: after a crash or restart it resumes exactly where its
 * tables stopped, nothing applied twice, nothing skipped (the engine keeps the log until it has read it).
 *
 * Either `createEngine({ exporters: [model.exporter] })` with `ReadModel.open()`, or `ReadModel.attach()` on
 * a running engine.
 */
export class ReadModel extends ReadModelQueries {
  /** The exporter feeding the tables; give it to the engine once. */
  readonly exporter: Exporter;
  private closed = false;
  private detach: (() => Promise<void>) | undefined;
  /** Per partition, the error while its batches are refused; the engine retries them until they are taken. */
  private readonly failures = new Map<number, unknown>();

  /** An error while some partition's batches are refused (undefined when the model is current). */
  get failure(): unknown {
    return this.failures.values().next().value;
  }

  private constructor(db: Database.Database, options: ReadModelOptions) {
    super(db);
    this.exporter = new ReadModelExporter(this, db, prepareProjections(db).applyBatch, options);
  }

  /** Opens (creating and migrating) the read model's tables; `model.exporter` is not yet fed by any engine. */
  static open(options: ReadModelOptions): ReadModel {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // rebuildable from the log: durability comes from the log
    db.pragma('busy_timeout = 5000');
    // Its own versions table: the log store's migrations share the file.
    migrate(db, READ_MODEL_MIGRATIONS, 'rm_schema_migrations');
    return new ReadModel(db, options);
  }

  /** Opens the read model and adds its exporter to a running engine; resolves once it has caught up. */
  static async attach(engine: Engine, options: ReadModelOptions): Promise<ReadModel> {
    const model = ReadModel.open(options);
    try {
      model.detach = await engine.addExporter(model.exporter);
    } catch (error) {
      model.db.close();
      throw error;
    }
    return model;
  }

  /** @internal Called by the exporter. */
  recordFailure(partitionId: number, error: unknown): boolean {
    const first = !this.failures.has(partitionId);
    this.failures.set(partitionId, error);
    return first;
  }

  /** @internal Called by the exporter. */
  recordSuccess(partitionId: number, records: ExportBatch['records']): void {
    this.failures.delete(partitionId);
    if (records.length > 0) this.notify(records);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Stops following the engine (when attached; the engine keeps the log from the model's position on) and
   * closes the database. A model given to `createEngine` is closed after the engine.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Synchronously: no export reaches the model after this line (the rest of the removal settles later).
    void this.detach?.();
    this.db.close();
  }
}

/** Applies each partition's batches to the tables, its position with them in one transaction. */
class ReadModelExporter implements Exporter {
  readonly id = READ_MODEL_EXPORTER_ID;
  /** Per partition, the position the tables hold. */
  private readonly positions = new Map<number, number>();
  private readonly contexts = new Map<number, ExporterContext>();
  private readonly positionOf: Database.Statement<[number], number>;

  constructor(
    private readonly model: ReadModel,
    db: Database.Database,
    private readonly applyBatch: ApplyBatch,
    private readonly options: ReadModelOptions,
  ) {
    this.positionOf = db
      .prepare<[number], number>('SELECT position FROM rm_exporter_position WHERE partition_id = ?')
      .pluck();
  }

  open(context: ExporterContext): void {
    const position = this.positionOf.get(context.partitionId) ?? 0;
    this.positions.set(context.partitionId, position);
    this.contexts.set(context.partitionId, context);
    // The tables' own position wins over the engine's (saved a little later, or reset with the tables).
    context.updatePosition(position);
  }

  export({ partitionId, records }: ExportBatch): void {
    if (this.model.isClosed) throw new Error('the read model is closed');
    const position = this.positions.get(partitionId) ?? 0;
    const fresh = records.filter((r) => r.position > position);
    try {
      if (fresh.length > 0) this.applyBatch(partitionId, fresh);
    } catch (error) {
      if (this.model.recordFailure(partitionId, error)) this.options.onError?.(error, partitionId);
      throw error;
    }
    const last = records[records.length - 1]!.position;
    this.positions.set(partitionId, Math.max(position, last));
    this.contexts.get(partitionId)?.updatePosition(Math.max(position, last));
    this.model.recordSuccess(partitionId, fresh);
  }

  close(): void {
    this.contexts.clear();
  }
}
