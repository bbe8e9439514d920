import type { Engine } from '@baton-engine/baton';

/** A partition's health as Zeebe's topology names it: HEALTHY, or UNHEALTHY while it cannot write. */
export function partitionHealth(engine: Engine, partitionId: number): 'HEALTHY' | 'UNHEALTHY' {
  const partition = engine.health().partitions.find((p) => p.partitionId === partitionId);
  return partition?.healthy === false ? 'UNHEALTHY' : 'HEALTHY';
}
