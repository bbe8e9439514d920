import type { RestPlugin } from '../plugin.js';

/** The probe paths, which answer anyone. */
export const HEALTH_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz'];

/**
 * Probes, answered without credentials (Kubernetes conventions):
 * - `GET /livez`: the process answers (restart it when this fails);
 * - `GET /readyz` and `GET /healthz`: the engine can make commands durable now — 503 with the reason when
 *   the store is faulty (a file removed or replaced, a full or read-only disk, a failed write).
 */
export const healthRoutes: RestPlugin = async (app, { engine }) => {
  app.get('/livez', async () => ({ status: 'UP' }));
  for (const path of ['/readyz', '/healthz']) {
    app.get(path, async (_request, reply) => {
      const health = engine.health();
      return reply
        .code(health.healthy ? 200 : 503)
        .send({ status: health.healthy ? 'UP' : 'DOWN', ...health });
    });
  }
};
