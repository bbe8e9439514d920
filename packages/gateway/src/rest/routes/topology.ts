import { partitionHealth } from '../../partition-health.js';
import type { Route } from '../router.js';

/** `GET /v1/topology`: the partitions of this node, as the gRPC Topology reports them. */
export const topologyRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/topology',
    async handle(ctx) {
      return {
        status: 200,
        body: {
          partitionsCount: ctx.engine.partitionCount,
          partitions: ctx.engine.stats().partitions.map((p) => ({
            partitionId: p.partitionId,
            role: 'LEADER',
            health: partitionHealth(ctx.engine, p.partitionId),
            queuedCommands: p.queuedCommands,
            backPressure: p.backPressure,
          })),
          storage: ctx.engine.storage,
        },
      };
    },
  },
];
