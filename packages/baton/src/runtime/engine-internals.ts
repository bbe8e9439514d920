import type { PartitionRuntime } from './partition.js';

/**
 * Each engine's partition runtimes, kept beside the engine rather than on it, so that the public `Engine`
 * type shows none of them: `internal.ts` reads them for tests and sibling packages that need the runtime.
 */
const partitionsByEngine = new WeakMap<object, readonly PartitionRuntime[]>();

export function registerPartitions(engine: object, partitions: readonly PartitionRuntime[]): void {
  partitionsByEngine.set(engine, partitions);
}

export function registeredPartitions(engine: object): readonly PartitionRuntime[] {
  const partitions = partitionsByEngine.get(engine);
  if (!partitions) throw new Error('not an engine made by createEngine()');
  return partitions;
}
