import { randomUUID } from 'node:crypto';
import type { Engine, Exporter, ExporterContext } from '@baton-engine/baton';
import { parseChangeMessage } from './changes.js';
import type { ReadModelDatabase } from './database.js';
import { PostgresReadModelDatabase } from './postgres-database.js';
import type { PostgresReadModelOptions } from './postgres-database.js';
import { applyBatch, storedPosition } from './projections.js';
import type { BatchResult } from './projections.js';
import { ReadModelQueries } from './queries.js';
import { SqliteReadModelDatabase } from './sqlite-database.js';

/** The id under which the engine keeps the read model's position in every partition. */
export const READ_MODEL_EXPORTER_ID = 'read-model';

/** Where the tables are: a SQLite file (`path`), or a schema in PostgreSQL (`postgres`). */
export type ReadModelOptions = (
  | {
      /** The SQLite file of the tables (the engine's own file is fine), or `:memory:`. */
      readonly path: string;
      readonly postgres?: undefined;
    }
  | {
      /** The tables in a PostgreSQL schema, one set for every node of a cluster. */
      readonly postgres: PostgresReadModelOptions;
      readonly path?: undefined;
    }
) & {
  /**
   * Called once when batches of a partition start being refused (the engine retries them with back-off until
   * they are taken again, and goes on processing meanwhile).
   */
  readonly onError?: (error: unknown, partitionId: number) => void;
};

/**
 * The read side (ARCHITECTURE.md section 4): an exporter that turns the committed log of every partition into
 * SQL tables for searching and the cockpit. Its position is written in the same transaction as the rows, and
 * it tells the engine that position when it opens: after a crash, a restart or a failover to another node it
 * resumes exactly where its tables stopped, nothing applied twice, nothing skipped (the engine keeps the log
 * until it has read it).
 *
 * Either `createEngine({ exporters: [model.exporter] })` with `await ReadModel.open()`, or
 * `ReadModel.attach()` on a running engine.
 */
export class ReadModel extends ReadModelQueries {
  /** The exporter feeding the tables; give it to the engine once. */
  readonly exporter: Exporter;
  private closed = false;
  private detach: (() => Promise<void>) | undefined;
  /** Stops listening to the other nodes' changes (PostgreSQL). */
  private unlisten: (() => Promise<void>) | undefined;
  /** Tags this model's change announcements, so that it does not hear its own. */
  private readonly origin = randomUUID();
  /** Per partition, the error while its batches are refused; the engine retries them until they are taken. */
  private readonly failures = new Map<number, unknown>();

  /** An error while some partition's batches are refused (undefined when the model is current). */
  get failure(): unknown {
    return this.failures.values().next().value;
  }

  private constructor(db: ReadModelDatabase, options: ReadModelOptions) {
    super(db);
    this.exporter = this.createExporter(options);
  }

  /** Opens (creating and migrating) the read model's tables; `model.exporter` is not yet fed by any engine. */
  static async open(options: ReadModelOptions): Promise<ReadModel> {
    if (options.postgres) {
      const model = new ReadModel(await PostgresReadModelDatabase.open(options.postgres), options);
      try {
        model.unlisten = await model.db.changes?.listen((message) => {
          const change = parseChangeMessage(model.origin, message);
          if (change) model.notify(change);
        });
      } catch (error) {
        await model.db.close();
        throw error;
      }
      return model;
    }
    if (typeof options.path !== 'string' || options.path === '')
      throw new Error(
        "read model: give 'path' (a SQLite file or ':memory:') or 'postgres' ({ connectionString, schema })",
      );
    return new ReadModel(SqliteReadModelDatabase.open(options.path), options);
  }

  /** Opens the read model and adds its exporter to a running engine; resolves once it has caught up. */
  static async attach(engine: Engine, options: ReadModelOptions): Promise<ReadModel> {
    const model = await ReadModel.open(options);
    try {
      model.detach = await engine.addExporter(model.exporter);
    } catch (error) {
      await model.close();
      throw error;
    }
    return model;
  }

  /**
   * Stops following the engine (when attached; the engine keeps the log from the model's position on) and
   * closes the database once a batch under way is written. A model given to `createEngine` is closed after
   * the engine.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // No export reaches the model after this line (the rest of the removal settles later).
    const detached = this.detach?.();
    await this.unlisten?.();
    await this.db.close();
    await detached?.catch(() => undefined);
  }

  /**
   * The exporter: applies each partition's batches to the tables, the partition's position with them in one
   * transaction, and resumes after the position the tables hold.
   */
  private createExporter(options: ReadModelOptions): Exporter {
    /** Per partition, the position acknowledged to the engine, and the engine's context. */
    const partitions = new Map<number, { position: number; context: ExporterContext }>();
    return {
      id: READ_MODEL_EXPORTER_ID,
      open: async (context) => {
        const position = await storedPosition(this.db, context.partitionId);
        partitions.set(context.partitionId, { position, context });
        // Led here again (in a cluster): what failed before is offered again from this position.
        this.failures.delete(context.partitionId);
        // The tables' own position wins over the engine's (saved a little later, or reset with the tables).
        context.updatePosition(position);
      },
      export: ({ partitionId, records }) => {
        if (this.closed) throw new Error('the read model is closed');
        const partition = partitions.get(partitionId)!;
        const failed = (error: unknown) => {
          if (!this.failures.has(partitionId)) options.onError?.(error, partitionId);
          this.failures.set(partitionId, error);
          throw error;
        };
        const applied = (result: BatchResult) => {
          // The tables may be past this batch (another node led the partition meanwhile): all of it is there.
          const last = records[records.length - 1]!.position;
          partition.position = Math.max(partition.position, Math.min(result.position, last));
          partition.context.updatePosition(partition.position);
          this.failures.delete(partitionId);
          if (result.change) this.notify(result.change);
        };
        let result: BatchResult | Promise<BatchResult>;
        try {
          result = applyBatch(this.db, partitionId, records, this.origin);
        } catch (error) {
          return failed(error);
        }
        // SQLite applies the batch at once: in the tables when the engine's commit is done.
        if (!(result instanceof Promise)) return applied(result);
        return result.then(applied, failed);
      },
      close: () => partitions.clear(),
    };
  }
}
