export type { PartitionStore, StoreFactory, StoreHealth, Snapshot } from './partition-store.js';
export { createMemoryStoreFactory } from './memory-store.js';
export { checkChunk, checkExporterPosition, checkInteger, snapshotChunks } from './argument-checks.js';
