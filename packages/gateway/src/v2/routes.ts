import type { FastifyInstance } from 'fastify';
import type { RestPluginOptions } from '../rest/plugin.js';

/** What every `/v2` route module gets: the plugin's options (engine, read model, logger). */
export type V2Context = RestPluginOptions;

/**
 * One resource's routes (`topology.ts`, `process-instances.ts` …): declares them on the plugin's instance,
 * with paths relative to `/v2`. Errors thrown by a handler become problem details (problem.ts).
 */
export type V2Routes = (app: FastifyInstance, context: V2Context) => void;
