import { performance } from 'node:perf_hooks';
import type { EngineOptions } from '@baton-engine/baton';

/** The engine's partition store (the store package is not a dependency of the CLI). */
type PartitionStore = Awaited<ReturnType<Exclude<EngineOptions['store'], string | undefined>['open']>>;

/** Told of every append of a partition: how long it took, and whether the database took it. */
export type AppendObserver = (partitionId: number, seconds: number, ok: boolean) => void;

/** The store, its appends timed for the node's metrics; every other call goes straight to it. */
export function timedAppends(store: PartitionStore, observe: AppendObserver): PartitionStore {
  return {
    partitionId: store.partitionId,
    async append(records) {
      const started = performance.now();
      try {
        await store.append(records);
      } catch (error) {
        observe(store.partitionId, (performance.now() - started) / 1_000, false);
        throw error;
      }
      observe(store.partitionId, (performance.now() - started) / 1_000, true);
    },
    read: (fromPosition, limit) => store.read(fromPosition, limit),
    lastPosition: () => store.lastPosition(),
    saveSnapshot: (snapshot) => store.saveSnapshot(snapshot),
    loadSnapshot: () => store.loadSnapshot(),
    compact: (upToPosition) => store.compact(upToPosition),
    exporterPositions: () => store.exporterPositions(),
    saveExporterPosition: (exporterId, position) => store.saveExporterPosition(exporterId, position),
    close: () => store.close(),
  };
}
