import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams } from '../schemas.js';

/** `POST /v1/incidents/:key/resolve`: retries the failed step (for a job incident, give the job retries first). */
export const incidentRoutes: RestPlugin = async (app, { engine }) => {
  app.post<{ Params: KeyParams }>(
    '/v1/incidents/:key/resolve',
    { schema: { params: keyParams } },
    async (request, reply) => {
      await engine.resolveIncident(request.params.key);
      return reply.code(204).send();
    },
  );
};
