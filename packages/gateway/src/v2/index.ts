import type { RestPlugin } from '../rest/plugin.js';
import { problemErrorHandler } from './problem.js';
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
import { messageSubscriptionRoutes } from './message-subscriptions.js';
import { signalRoutes } from './signals.js';
import { clockRoutes } from './clock.js';
import { identityRoutes } from './identity.js';
import { jobRoutes } from './jobs.js';
import { userTaskRoutes } from './user-tasks.js';
import { decisionRoutes } from './decisions.js';
import { formRoutes } from './forms.js';
import { batchOperationRoutes } from './batch-operations.js';

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
  messageSubscriptionRoutes,
  signalRoutes,
  clockRoutes,
  identityRoutes,
  jobRoutes,
  userTaskRoutes,
  decisionRoutes,
  formRoutes,
  batchOperationRoutes,
];

/**
 * Camunda's Orchestration Cluster REST API (8.8) as a Fastify plugin, registered by the REST server at the
 * prefix `/v2` (behind its authentication, body parsers, multipart support and limits). Every error a route
 * throws is answered as an RFC 9457 problem titled with its code (problem.ts), as Camunda answers.
 */
export const v2Api: RestPlugin = async (app, options) => {
  app.setErrorHandler(problemErrorHandler);
  for (const register of MODULES) register(app, options);
};
