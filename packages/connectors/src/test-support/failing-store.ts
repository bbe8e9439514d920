import type { LoggedRecord } from '@baton-engine/engine';
import type { EngineOptions } from '@baton-engine/baton';

type StoreFactory = Exclude<EngineOptions['store'], string | undefined>;
type PartitionStore = Awaited<ReturnType<StoreFactory['open']>>;
type Snapshot = NonNullable<Awaited<ReturnType<PartitionStore['loadSnapshot']>>>;

/**
 * An in-memory store whose appends can be made to fail, as a disk that refuses a write would: the batch is
 * not durable, the engine rebuilds its state and the callers get UNAVAILABLE. For "nothing leaves a partition
 * before commit" tests.
 */
export class FailingStoreFactory implements StoreFactory {
  readonly description = 'memory (with failing appends)';
  private readonly logs = new Map<number, LoggedRecord[]>();
  private readonly snapshots = new Map<number, Snapshot>();
  private readonly exporterPositions = new Map<number, Map<string, number>>();
  private failing: ((records: readonly LoggedRecord[]) => boolean) | undefined;
  /** Appends refused so far. */
  refused = 0;

  /** The next append whose batch matches fails (once). */
  failNextAppend(matching: (records: readonly LoggedRecord[]) => boolean): void {
    this.failing = matching;
  }

  async open(partitionId: number): Promise<PartitionStore> {
    const log = this.logs.get(partitionId) ?? [];
    this.logs.set(partitionId, log);
    const clone = <T>(value: T): T => structuredClone(value);
    const exporterPositions = this.exporterPositions.get(partitionId) ?? new Map<string, number>();
    this.exporterPositions.set(partitionId, exporterPositions);
    return {
      partitionId,
      append: async (records) => {
        if (this.failing?.(records)) {
          this.failing = undefined;
          this.refused++;
          throw new Error('disk full (simulated)');
        }
        log.push(...clone(records));
      },
      read: async (from, limit) => clone(log.filter((r) => r.position >= from).slice(0, limit)),
      lastPosition: async () => log.at(-1)?.position ?? 0,
      saveSnapshot: async ({ position, chunks }) =>
        void this.snapshots.set(partitionId, { position, chunks: [...chunks] }),
      loadSnapshot: async () => clone(this.snapshots.get(partitionId)),
      compact: async (upTo) => {
        const keep = log.filter((r) => r.position > upTo);
        log.splice(0, log.length, ...keep);
      },
      exporterPositions: async () => new Map(exporterPositions),
      saveExporterPosition: async (id, position) => void exporterPositions.set(id, position),
      close: async () => undefined,
    };
  }

  async close(): Promise<void> {}
}
