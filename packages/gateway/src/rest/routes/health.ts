import type { Route } from '../router.js';

/**
 * Probes, answered without credentials (Kubernetes conventions):
 * - `GET /livez`: the process answers (restart it when this fails);
 * - `GET /readyz` and `GET /healthz`: the engine can make commands durable now — 503 with the reason when
 *   the store is faulty (a file removed or replaced, a full or read-only disk, a failed write).
 */
export const healthRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/livez',
    handle: async () => ({ status: 200, body: { status: 'UP' } }),
  },
  ...['/readyz', '/healthz'].map((path): Route => ({
    method: 'GET',
    path,
    async handle(ctx) {
      const health = ctx.engine.health();
      return {
        status: health.healthy ? 200 : 503,
        body: { status: health.healthy ? 'UP' : 'DOWN', ...health },
      };
    },
  })),
];

/** The probe paths, which answer anyone. */
export const HEALTH_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz'];
