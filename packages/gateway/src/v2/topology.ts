import { GATEWAY_VERSION } from '../grpc/handlers.js';
import { partitionHealth } from '../partition-health.js';
import type { V2Routes } from './routes.js';

/**
 * `GET /v2/topology`: this node as the one broker of the cluster, leader of every partition (Baton has no
 * replication of its own). `GET /v2/status`: 204 when every partition can write, 503 otherwise.
 */
export const topologyRoutes: V2Routes = (app, { engine }) => {
  app.get('/topology', async (request) => {
    const port = request.socket.localPort ?? 0;
    return {
      brokers: [
        {
          nodeId: 0,
          host: request.hostname.replace(/:\d+$/, ''),
          port,
          partitions: engine.stats().partitions.map((p) => ({
            partitionId: p.partitionId,
            role: 'leader',
            health: partitionHealth(engine, p.partitionId) === 'HEALTHY' ? 'healthy' : 'unhealthy',
          })),
          version: GATEWAY_VERSION,
        },
      ],
      clusterSize: 1,
      partitionsCount: engine.partitionCount,
      replicationFactor: 1,
      gatewayVersion: GATEWAY_VERSION,
      lastCompletedChangeId: '-1',
    };
  });

  app.get('/status', async (_request, reply) => {
    return reply.code(engine.health().healthy ? 204 : 503).send();
  });
};
