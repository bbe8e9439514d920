import type { LoggedRecord } from '@baton-engine/engine';

/**
 * Where the runtime (and an exporter, through its context) reports what an operator should know. The
 * signature is pino's `(fields, message)`, so a pino logger can be passed as it is.
 */
export interface EngineLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the runtime hands an exporter when it opens it for one partition. */
export interface ExporterContext {
  readonly partitionId: number;
  /**
   * The position this exporter last acknowledged in this partition, as the runtime saved it (0 when never).
   * Export resumes after it, unless `updatePosition` is called before `open` settles.
   */
  readonly lastExportedPosition: number;
  /** The engine's logger, with the exporter id and partition id among the fields. */
  readonly logger: EngineLogger;
  /**
   * Acknowledges every record up to `position`: the runtime saves the position in the partition's store
   * (within about a second, and always before compacting the log or closing), keeps the log after it, and
   * after a restart resumes export after it. An exporter that writes its position together with its own
   * writes (one transaction in its database) calls this after committing them, and in `open` with the
   * position it finds there: export then resumes after that one, so a restart or failover neither repeats
   * nor skips a record, even when the runtime's saved position is a little behind.
   *
   * In `open`, any position from 0 to the end of the log is accepted; after `open`, only positions from the
   * last acknowledged one up to the last record handed to `export`. Anything else throws an Error.
   */
  updatePosition(position: number): void;
}

/** Committed records of one partition, in log order. */
export interface ExportBatch {
  readonly partitionId: number;
  /** Never empty; each batch continues where the previous one (of this partition) ended. */
  readonly records: readonly LoggedRecord[];
}

/**
 * Follows the committed log of every partition (ARCHITECTURE.md section 4), as Zeebe's exporters do.
 * Register it with `createEngine({ exporters })` (opened before the engine serves commands) or
 * `engine.addExporter()`.
 *
 * Contract:
 * - `open(context)` is called once per partition before any of that partition's records are exported; if
 *   it throws (or rejects), the engine does not start (or `addExporter` rejects).
 * - `export(batch)` receives committed records only (a batch is exported after it is durable), in log order
 *   per partition, one call at a time per partition (partitions may overlap). When it throws or rejects,
 *   the same records are offered again after a back-off that doubles up to a limit, until it succeeds;
 *   processing goes on meanwhile and the log is kept from the last acknowledged position on.
 * - Positions are acknowledged with `context.updatePosition`; an exporter that never acknowledges holds the
 *   whole log (and shows a growing lag in `engine.stats()`).
 * - `close()` is called once, when the engine closes or the exporter is removed; no `export` call is under
 *   way or follows.
 */
export interface Exporter {
  /** Unique in the engine; its positions are saved under it, so keep it stable across restarts. */
  readonly id: string;
  open(context: ExporterContext): void | Promise<void>;
  export(batch: ExportBatch): void | Promise<void>;
  close(): void | Promise<void>;
}

/** How a failing exporter is retried: after `initialDelayMs`, then twice as long each time up to `maxDelayMs`. */
export interface ExporterRetryOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_EXPORTER_RETRY: ExporterRetryOptions = { initialDelayMs: 500, maxDelayMs: 30_000 };

/** One exporter in one partition, as `engine.stats()` reports it. */
export interface ExporterStats {
  readonly exporterId: string;
  /** The last acknowledged position. */
  readonly position: number;
  /** Records committed after the acknowledged position (what the log keeps for this exporter). */
  readonly lag: number;
  /** Why the last export failed, while the exporter is being retried. */
  readonly failure?: string;
  /** Failed attempts in a row (0 while it exports). */
  readonly failedAttempts: number;
}

/** The default logger: warnings and errors as process warnings, nothing for info. */
export const warningLogger: EngineLogger = {
  info: () => undefined,
  warn: (fields, message) => process.emitWarning(withFields(message, fields), 'BatonWarning'),
  error: (fields, message) => process.emitWarning(withFields(message, fields), 'BatonWarning'),
};

function withFields(message: string, fields: Record<string, unknown>): string {
  const text = Object.entries(fields)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return text ? `${message} (${text})` : message;
}
