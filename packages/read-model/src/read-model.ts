import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Engine } from '@baton-engine/baton';
import type { LoggedRecord } from '@baton-engine/engine';
import { READ_MODEL_MIGRATIONS } from './schema.js';
import { migrate } from '@baton-engine/store-sqlite';
import { prepareProjections } from './projections.js';
import { ReadModelQueries } from './queries.js';

const EXPORTER_ID = 'read-model';
const RETRY_MS = 2_000;

/**
 * The read side (ARCHITECTURE.md section 4): an exporter that turns the committed log of every partition into
 * SQL tables for searching and the cockpit. It resumes after a crash exactly where it stopped (its position is
 * written in the same transaction as the rows), and the log is not compacted before it has read it.
 */
export class ReadModel extends ReadModelQueries {
  private readonly unsubscribe: (() => void)[] = [];
  private closed = false;
  /** Per partition, the error while its batches are refused; the model retries until they are taken again. */
  private readonly failures = new Map<number, unknown>();

  /** An error while some partition's batches are refused (undefined when the model is current). */
  get failure(): unknown {
    return this.failures.values().next().value;
  }

  private constructor(db: Database.Database) {
    super(db);
  }

  /** Opens the read model in a SQLite file (the engine's own file is fine) and attaches it to an engine. */
  static async attach(
    engine: Engine,
    options: {
      path: string;
      /** Called when a batch cannot be applied (the model retries every few seconds until it can). */
      onError?: (error: unknown, partitionId: number) => void;
    },
  ): Promise<ReadModel> {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // rebuildable from the log: durability comes from the log
    db.pragma('busy_timeout = 5000');
    // Its own versions table: the log store's migrations share the file.
    migrate(db, READ_MODEL_MIGRATIONS, 'rm_schema_migrations');
    const model = new ReadModel(db);
    const { applyBatch } = prepareProjections(db);
    const positionOf = db
      .prepare<[number], number>('SELECT position FROM rm_exporter_position WHERE partition_id = ?')
      .pluck();
    // Every partition keeps its log from the model's position on before any catching up starts.
    for (const partition of engine.partitionRuntimes)
      partition.setExporterPosition(EXPORTER_ID, positionOf.get(partition.partitionId) ?? 0);
    for (const partition of engine.partitionRuntimes) {
      let position = positionOf.get(partition.partitionId) ?? 0;
      partition.setExporterPosition(EXPORTER_ID, position);
      // Live batches are held back while catching up (or after a failure), so that records apply in log order.
      let pending: LoggedRecord[] | undefined = [];
      const apply = (records: readonly LoggedRecord[]) => {
        const fresh = records.filter((r) => r.position > position);
        if (fresh.length === 0) return;
        applyBatch(partition.partitionId, fresh);
        position = fresh[fresh.length - 1]!.position;
        partition.setExporterPosition(EXPORTER_ID, position);
        model.notify(fresh);
      };
      /** Reads the log from the position on until it is current, then follows live batches again. */
      const catchUp = async (): Promise<void> => {
        pending = [];
        for (;;) {
          const records = await partition.readLog(position + 1, 10_000);
          if (records.length === 0) break;
          apply(records);
        }
        const held = pending;
        pending = undefined;
        apply(held);
      };
      /**
       * A batch the tables refuse (a full disk, a bug) must not stop the engine: the read model stops where it
       * is, says so, and tries again from its position a little later; the log keeps what it has not read.
       */
      const recover = (error: unknown) => {
        if (!model.failures.has(partition.partitionId)) options.onError?.(error, partition.partitionId);
        model.failures.set(partition.partitionId, error);
        pending ??= [];
        setTimeout(() => {
          if (model.closed) return;
          catchUp().then(() => {
            model.failures.delete(partition.partitionId);
          }, recover);
        }, RETRY_MS).unref();
      };
      model.unsubscribe.push(
        partition.onCommit((records) => {
          if (pending) {
            pending.push(...records);
            return;
          }
          try {
            apply(records);
          } catch (error) {
            recover(error);
          }
        }),
      );
      await catchUp();
    }
    return model;
  }

  /** Stops following the engine and closes the database. */
  close(): void {
    this.closed = true;
    for (const off of this.unsubscribe) off();
    this.db.close();
  }
}
