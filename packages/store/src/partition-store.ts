import type { LoggedRecord } from '@baton-engine/engine';

/**
 * A point-in-time copy of a partition's working state, covering the log up to `position`.
 *
 * Its chunks travel one at a time in both directions (a large state's snapshot runs to gigabytes, and
 * holding all of it at once would double the memory the state takes): `saveSnapshot` may write them while
 * they are produced, so whoever saves keeps the source unchanged until it settles; `loadSnapshot` may read
 * them while they are iterated, once, before the store is closed.
 */
export interface Snapshot {
  /** Position of the last record whose effect the snapshot contains. */
  readonly position: number;
  /**
   * The serialized state in chunks (opaque to the store), returned in the same order. Chunks keep a large
   * state clear of the runtime's limit on the length of one string.
   */
  readonly chunks: Iterable<string>;
}

/**
 * Durable storage of one partition: an append-only log plus the latest snapshot.
 *
 * Contract (checked by `runPartitionStoreContract`):
 * - `append` writes all records of a batch or none, and resolves only once they are durable. Positions
 *   must follow `lastPosition()` without gaps; any other batch is refused with an error and nothing is written.
 * - `read(from, limit)` returns records with position >= from in position order, at most `limit` of them.
 * - `saveSnapshot` replaces the previous snapshot atomically, also when producing its chunks fails part way
 *   (the previous one then stays); `loadSnapshot` returns the latest or undefined.
 * - `compact(upTo)` may delete records with position <= upTo; `lastPosition` is unaffected by compaction.
 * - `saveExporterPosition(id, position)` durably replaces that exporter's position in this partition (it may
 *   go down as well as up); `exporterPositions()` returns every saved one. Neither touches the log.
 * - After `close()`, a new store opened on the same location sees everything appended and saved before.
 */
export interface PartitionStore {
  readonly partitionId: number;
  append(records: readonly LoggedRecord[]): Promise<void>;
  read(fromPosition: number, limit: number): Promise<LoggedRecord[]>;
  lastPosition(): Promise<number>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  loadSnapshot(): Promise<Snapshot | undefined>;
  compact(upToPosition: number): Promise<void>;
  /** The position saved for each exporter of this partition (by exporter id); empty when none was saved. */
  exporterPositions(): Promise<ReadonlyMap<string, number>>;
  /**
   * Durably saves how far an exporter got in this partition's log (the runtime keeps the log after it). The
   * id is a non-empty string, the position a non-negative integer; anything else is refused with an error.
   */
  saveExporterPosition(exporterId: string, position: number): Promise<void>;
  close(): Promise<void>;
}

/** Whether a store can take writes now, and if not, why (for readiness checks and operators). */
export interface StoreHealth {
  readonly healthy: boolean;
  /** What is wrong, naming the file or connection, when not healthy. */
  readonly detail?: string;
}

/** Opens the stores of one engine; one location (a file, a database) holds all of its partitions. */
export interface StoreFactory {
  /** A human-readable description, e.g. `sqlite:/var/lib/baton.db`. */
  readonly description: string;
  open(partitionId: number): Promise<PartitionStore>;
  /**
   * Optional: the store's own view of its health (a file removed under it, a full disk). Without it, the
   * engine judges by whether its appends succeed.
   */
  health?(): StoreHealth;
  /** Releases what the factory holds (closing partitions first is the caller's job). */
  close(): Promise<void>;
}
