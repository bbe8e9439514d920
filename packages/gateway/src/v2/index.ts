import type { RestPlugin } from '../rest/plugin.js';
import { invalidField, problemErrorHandler, ProblemError, sendProblem, problemOf } from './problem.js';
import type { V2Routes } from './routes.js';
import { topologyRoutes } from './topology.js';
import { deploymentRoutes } from './deployments.js';
import { resourceRoutes } from './resources.js';
import { processDefinitionRoutes } from './process-definitions.js';
import { processInstanceRoutes } from './process-instances.js';
import { elementInstanceRoutes } from './element-instances.js';
import { incidentRoutes } from './incidents.js';
import { variableRoutes } from './variables.js';
import { messageRoutes } from './messages.js';
import { signalRoutes } from './signals.js';
import { clockRoutes } from './clock.js';
import { identityRoutes } from './identity.js';

/**
 * The route modules of the `/v2` API, one per resource. Add a module here and nowhere else.
 */
const MODULES: readonly V2Routes[] = [
  topologyRoutes,
  deploymentRoutes,
  resourceRoutes,
  processDefinitionRoutes,
  processInstanceRoutes,
  elementInstanceRoutes,
  incidentRoutes,
  variableRoutes,
  messageRoutes,
  signalRoutes,
  clockRoutes,
  identityRoutes,
  // v2-tasks: jobRoutes (jobs.ts), userTaskRoutes (user-tasks.ts), decisionRoutes (decisions.ts),
  // formRoutes (forms.ts).
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
