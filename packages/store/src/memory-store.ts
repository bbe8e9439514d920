import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore, Snapshot, StoreFactory } from './partition-store.js';
import {
  batchRefusal,
  checkChunk,
  checkExporterPosition,
  checkInteger,
  snapshotChunks,
} from './argument-checks.js';

/** What one partition holds; it outlives the `PartitionStore` objects opened on it. */
interface PartitionData {
  /**
   * Records kept as JSON text: callers can never reach a stored object, and records behave as they
   * would after a trip through a real database (only JSON-compatible values survive).
   */
  entries: string[];
  /** Position of `entries[0]`; moves forward on compaction. */
  firstPosition: number;
  lastPosition: number;
  snapshot: Snapshot | undefined;
  exporterPositions: Map<string, number>;
}

/**
 * A `StoreFactory` that keeps every partition's log and snapshot in memory, for tests.
 *
 * The data lives as long as the factory object: closing a store (or the factory itself, which is
 * therefore a no-op) and opening the same partition again sees everything appended before, so that
 * restart and replay can be tested without a file.
 */
export function createMemoryStoreFactory(): StoreFactory {
  const partitions = new Map<number, PartitionData>();
  return {
    description: 'memory',
    async open(partitionId: number): Promise<PartitionStore> {
      checkInteger('partitionId', partitionId);
      let data = partitions.get(partitionId);
      if (data === undefined) {
        data = {
          entries: [],
          firstPosition: 1,
          lastPosition: 0,
          snapshot: undefined,
          exporterPositions: new Map(),
        };
        partitions.set(partitionId, data);
      }
      return new MemoryPartitionStore(partitionId, data);
    },
    async close(): Promise<void> {},
  };
}

class MemoryPartitionStore implements PartitionStore {
  private closed = false;

  constructor(
    readonly partitionId: number,
    private readonly data: PartitionData,
  ) {}

  async append(records: readonly LoggedRecord[]): Promise<void> {
    this.checkOpen('append');
    const { data } = this;
    const refusal = batchRefusal(this.partitionId, records, data.lastPosition + 1);
    if (refusal) throw new Error(refusal);
    // Serialize the whole batch before touching the log, so a record that fails to serialize leaves nothing behind.
    const serialized = records.map((record) => JSON.stringify(record));
    for (const entry of serialized) data.entries.push(entry);
    data.lastPosition += serialized.length;
  }

  async read(fromPosition: number, limit: number): Promise<LoggedRecord[]> {
    this.checkOpen('read');
    checkInteger('fromPosition', fromPosition);
    checkInteger('limit', limit);
    if (limit <= 0) return [];
    const { data } = this;
    const start = Math.max(fromPosition, data.firstPosition) - data.firstPosition;
    return data.entries.slice(start, start + limit).map((entry) => JSON.parse(entry) as LoggedRecord);
  }

  async lastPosition(): Promise<number> {
    this.checkOpen('lastPosition');
    return this.data.lastPosition;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.checkOpen('saveSnapshot');
    checkInteger('snapshot.position', snapshot.position);
    const chunks = snapshotChunks(snapshot);
    const copy: string[] = [];
    for (const chunk of chunks) copy.push(checkChunk(chunk, copy.length));
    this.data.snapshot = { position: snapshot.position, chunks: copy };
  }

  async loadSnapshot(): Promise<Snapshot | undefined> {
    this.checkOpen('loadSnapshot');
    const { snapshot } = this.data;
    return snapshot === undefined ? undefined : { position: snapshot.position, chunks: [...snapshot.chunks] };
  }

  async compact(upToPosition: number): Promise<void> {
    this.checkOpen('compact');
    checkInteger('upToPosition', upToPosition);
    const { data } = this;
    const count = Math.min(upToPosition, data.lastPosition) - data.firstPosition + 1;
    if (count <= 0) return;
    data.entries.splice(0, count);
    data.firstPosition += count;
  }

  async exporterPositions(): Promise<ReadonlyMap<string, number>> {
    this.checkOpen('exporterPositions');
    return new Map(this.data.exporterPositions);
  }

  async saveExporterPosition(exporterId: string, position: number): Promise<void> {
    this.checkOpen('saveExporterPosition');
    checkExporterPosition(exporterId, position);
    this.data.exporterPositions.set(exporterId, position);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(operation: string): void {
    if (this.closed) {
      throw new Error(
        `memory store: ${operation} on partition ${this.partitionId} failed: the store is closed`,
      );
    }
  }
}
