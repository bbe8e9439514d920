export type { PartitionStore, StoreFactory, Snapshot } from './partition-store.js';
