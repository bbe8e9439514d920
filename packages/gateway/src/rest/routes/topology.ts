import { partitionHealth } from '../../partition-health.js';
import type { RestPlugin } from '../plugin.js';

/** `GET /v1/topology`: the partitions of this node, as the gRPC Topology reports them. */
export const topologyRoutes: RestPlugin = async (app, { engine }) => {
  app.get('/v1/topology', async () => ({
    partitionsCount: engine.partitionCount,
    partitions: engine.stats().partitions.map((p) => ({
      partitionId: p.partitionId,
      role: 'LEADER',
      health: partitionHealth(engine, p.partitionId),
      queuedCommands: p.queuedCommands,
      backPressure: p.backPressure,
    })),
    storage: engine.storage,
  }));
};
