import { GATEWAY_VERSION } from '../grpc/handlers.js';
import { topologyOf } from '../topology.js';
import type { V2Routes } from './routes.js';

/**
 * `GET /v2/topology`: this node as the one broker, leader of every partition (Baton has no replication of its
 * own), or in a cluster every live node with the partitions it leads. `GET /v2/status`: 204 when every
 * partition here can write, 503 otherwise.
 */
export const topologyRoutes: V2Routes = (app, { engine }) => {
  app.get('/topology', async (request) => {
    const here = { host: request.hostname.replace(/:\d+$/, ''), port: request.socket.localPort ?? 0 };
    const topology = await topologyOf(engine, here);
    return {
      ...topology,
      brokers: topology.brokers.map((broker) => ({
        ...broker,
        partitions: broker.partitions.map((p) => ({
          partitionId: p.partitionId,
          role: 'leader',
          health: p.health === 'HEALTHY' ? 'healthy' : 'unhealthy',
        })),
      })),
      gatewayVersion: GATEWAY_VERSION,
      lastCompletedChangeId: '-1',
    };
  });

  app.get('/status', async (_request, reply) => {
    return reply.code(engine.health().healthy ? 204 : 503).send();
  });
};
