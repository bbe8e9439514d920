import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Engine } from '@baton-engine/baton';
import type { ReadModelQueries } from '@baton-engine/read-model';

/**
 * What a REST plugin gets from the server: the engine, the read model when one is attached, and a logger.
 * The server registers each plugin at its prefix after the authentication hook; a plugin only declares routes.
 */
export interface RestPluginOptions {
  engine: Engine;
  readModel?: ReadModelQueries;
  log?: Logger;
}

export type RestPlugin = FastifyPluginAsync<RestPluginOptions>;
