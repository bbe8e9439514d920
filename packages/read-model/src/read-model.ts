import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Engine, Exporter, ExporterContext } from '@baton-engine/baton';
import { READ_MODEL_MIGRATIONS } from './schema.js';
import { migrate } from '@baton-engine/store-sqlite';
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
    this.exporter = this.createExporter(options);
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

  /**
   * The exporter: applies each partition's batches to the tables, the partition's position with them in one
   * transaction, and resumes after the position the tables hold.
   */
  private createExporter(options: ReadModelOptions): Exporter {
    const { applyBatch } = prepareProjections(this.db);
    const positionOf = this.db
      .prepare<[number], number>('SELECT position FROM rm_exporter_position WHERE partition_id = ?')
      .pluck();
    /** Per partition, the position the tables hold, and the engine's context. */
    const partitions = new Map<number, { position: number; context: ExporterContext }>();
    return {
      id: READ_MODEL_EXPORTER_ID,
      open: (context) => {
        const position = positionOf.get(context.partitionId) ?? 0;
        partitions.set(context.partitionId, { position, context });
        // The tables' own position wins over the engine's (saved a little later, or reset with the tables).
        context.updatePosition(position);
      },
      export: ({ partitionId, records }) => {
        if (this.closed) throw new Error('the read model is closed');
        const partition = partitions.get(partitionId)!;
        const fresh = records.filter((r) => r.position > partition.position);
        try {
          if (fresh.length > 0) applyBatch(partitionId, fresh);
        } catch (error) {
          if (!this.failures.has(partitionId)) options.onError?.(error, partitionId);
          this.failures.set(partitionId, error);
          throw error;
        }
        partition.position = Math.max(partition.position, records[records.length - 1]!.position);
        partition.context.updatePosition(partition.position);
        this.failures.delete(partitionId);
        if (fresh.length > 0) this.notify(fresh);
      },
      close: () => partitions.clear(),
    };
  }
}
