import type { EngineMetrics } from '../../metrics.js';
import { HttpError } from '../http-error.js';
import type { Route } from '../router.js';

/** `GET /metrics`: Prometheus metrics in the text exposition format (with the same credentials as the API). */
export function metricsRoutes(metrics: EngineMetrics | undefined): readonly Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      async handle(ctx) {
        if (!metrics) throw new HttpError(503, 'UNAVAILABLE', 'This server runs without metrics');
        const text = await metrics.text();
        ctx.res.writeHead(200, {
          'content-type': metrics.contentType,
          'content-length': Buffer.byteLength(text),
        });
        ctx.res.end(text);
        return undefined;
      },
    },
  ];
}
