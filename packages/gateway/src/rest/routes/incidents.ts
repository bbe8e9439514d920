import type { Route } from '../router.js';
import { pathKey } from '../schemas.js';

/** `POST /v1/incidents/:key/resolve`: retries the failed step (for a job incident, give the job retries first). */
export const incidentRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/incidents/:key/resolve',
    async handle(ctx) {
      await ctx.engine.resolveIncident(pathKey(ctx.params));
      return { status: 204 };
    },
  },
];
