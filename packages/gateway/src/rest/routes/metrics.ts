import type { EngineMetrics } from '../../metrics.js';
import { HttpError } from '../http-error.js';
import type { RestPlugin } from '../plugin.js';

/** `GET /metrics`: Prometheus metrics in the text exposition format (with the same credentials as the API). */
export function metricsRoutes(metrics: EngineMetrics | undefined): RestPlugin {
  return async (app) => {
    app.get('/metrics', async (_request, reply) => {
      if (!metrics) throw new HttpError(503, 'UNAVAILABLE', 'This server runs without metrics');
      return reply.type(metrics.contentType).send(await metrics.text());
    });
  };
}
