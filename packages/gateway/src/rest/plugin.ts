import type { Engine } from '@baton-engine/baton';
import type { ReadModelQueries } from '@baton-engine/read-model';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';

/**
 * What the REST server hands to each plugin it registers (see `HttpGatewayOptions.plugins`): the engine, the
 * read model behind search endpoints when the server has one, and its logger.
 */
export interface RestPluginOptions {
  readonly engine: Engine;
  readonly readModel?: ReadModelQueries;
  readonly log?: Logger;
}

/**
 * A set of REST routes served under a prefix (the Camunda `/v2` API is one). The server registers it after
 * its authentication hook, its error handler (refusals become RFC 9457 problem details) and its body limit,
 * so a plugin only declares routes.
 */
export type RestPlugin = FastifyPluginAsync<RestPluginOptions>;
