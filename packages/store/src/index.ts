export type { PartitionStore, StoreFactory, Snapshot } from './partition-store.js';
export { createMemoryStoreFactory } from './memory-store.js';
