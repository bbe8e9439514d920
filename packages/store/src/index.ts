export type { PartitionStore, StoreFactory, StoreHealth, Snapshot } from './partition-store.js';
export { createMemoryStoreFactory } from './memory-store.js';
export {
  batchRefusal,
  checkChunk,
  checkExporterPosition,
  checkInteger,
  snapshotChunks,
} from './argument-checks.js';
