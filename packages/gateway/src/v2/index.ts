import type { RestPlugin } from '../rest/plugin.js';
import { invalidField, problemErrorHandler, ProblemError, sendProblem, problemOf } from './problem.js';
import type { V2Routes } from './routes.js';
import { decisionRoutes } from './decisions.js';
import { formRoutes } from './forms.js';
import { jobRoutes } from './jobs.js';
import { userTaskRoutes } from './user-tasks.js';

/**
 * The route modules of the `/v2` API, one per resource. Add a module here and nowhere else.
 */
const MODULES: readonly V2Routes[] = [
  // v2-core: topology, deployments, resources, process definitions, process instances, element instances,
  // messages, signals, incidents, variables, clock, identity (not supported) — added as they land.
  jobRoutes,
  userTaskRoutes,
  decisionRoutes,
  formRoutes,
];

/**
 * Camunda's Orchestration Cluster REST API (8.8) as a Fastify plugin, registered at the prefix `/v2`.
 * Bodies are JSON (deployments: multipart/form-data); every error is an RFC 9457 problem.
 */
export const v2Api: RestPlugin = async (app, options) => {
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemOf(
        new ProblemError(
          404,
          'NOT_FOUND',
          `No endpoint ${request.method} ${request.url.split('?')[0]} in Camunda's REST API /v2 as Baton serves it (see docs/gateway-v2.md)`,
        ),
        request.url.split('?')[0],
      ),
    ),
  );
  // An empty JSON body is no body (clients send `Content-Type: application/json` on POSTs without one).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(invalidField('body', `not JSON (${(error as Error).message})`), undefined);
    }
  });
  // Deployments: the parts are split by the route (multipart.ts).
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  for (const register of MODULES) register(app, options);
};
