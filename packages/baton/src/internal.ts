/**
 * `@baton-engine/baton/internal`: the runtime behind an engine, for tests and sibling packages that must look
 * at what the public API does not show (the working state, the log, one partition's queue). Nothing here is
 * a stable API; embedding code uses `Engine`, `engine.stats()`, `engine.topology()` and exporters instead.
 */
import type { EngineState } from '@baton-engine/engine';
import type { Engine } from './engine.js';
import { registeredPartitions } from './runtime/engine-internals.js';
import type { PartitionRuntime } from './runtime/partition.js';
import { answerRead } from './runtime/partition-reads.js';
import type { PartitionRead, PartitionReadAnswer } from './runtime/partition-reads.js';
import { BatonError } from './errors.js';

export type { PartitionRuntime } from './runtime/partition.js';

/** The partition runtimes of an engine, partition 1 first. */
export function partitionsOf(engine: Engine): readonly PartitionRuntime[] {
  return registeredPartitions(engine);
}

/** One partition's runtime (default partition 1); throws naming the id when the engine has no such partition. */
export function partitionOf(engine: Engine, partitionId = 1): PartitionRuntime {
  const partition = registeredPartitions(engine)[partitionId - 1];
  if (!partition) throw new Error(`the engine has no partition ${partitionId}`);
  return partition;
}

/**
 * The working state of a partition (default 1), to read between batches. Read-only by convention: changing
 * it bypasses the log, and a restart would not see the change.
 */
export function stateOf(engine: Engine, partitionId = 1): EngineState {
  return partitionOf(engine, partitionId).engineState;
}

/**
 * Answers a read of the state of a partition this engine hosts (for another cluster node: a form, a batch
 * operation); UNAVAILABLE when it does not host the partition (any more), so that the asker tries its leader
 * again.
 */
export function readHostedPartition(
  engine: Engine,
  partitionId: number,
  read: PartitionRead,
): PartitionReadAnswer {
  const partition = registeredPartitions(engine).find((p) => p.partitionId === partitionId);
  if (!partition)
    throw new BatonError('UNAVAILABLE', `partition ${partitionId} is not led by this node (any more)`);
  return answerRead(partition.engineState, read);
}
