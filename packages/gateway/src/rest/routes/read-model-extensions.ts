import type { ReadModelQueries } from '@baton-engine/read-model';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serveEventStream } from '../event-stream.js';
import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams, objectSchema } from '../schemas.js';
import { extensionPath } from './extension-paths.js';
import { requireReadModel } from './read-model.js';

/** Live updates are coalesced: at most one `update` event per interval and client. */
const UPDATE_INTERVAL_MS = 250;

const noQuery = objectSchema({});

/**
 * Baton's read-model extensions, where Camunda's `/v2` has no counterpart: `GET /baton/v1/dashboard` (the
 * cockpit's figures), `GET /baton/v1/updates` (what changed, as server-sent events) and
 * `GET /baton/v1/process-instances/{key}` (one instance with its element instances, variables, incidents,
 * jobs, children and taken flows, in one bounded call).
 */
export const readModelExtensionRoutes: RestPlugin = async (app, { readModel }) => {
  const model = () => requireReadModel(readModel);
  app.get(extensionPath('/dashboard'), { schema: { querystring: noQuery } }, async () => model().dashboard());
  app.get(extensionPath('/updates'), { schema: { querystring: noQuery } }, (request, reply) =>
    liveUpdates(model(), request, reply),
  );
  app.get<{ Params: KeyParams }>(
    extensionPath('/process-instances/:key'),
    { schema: { params: keyParams, querystring: noQuery } },
    async (request) => model().instance(request.params.key),
  );
};

/**
 * `GET /baton/v1/updates`: one `update` event per interval naming the process instances whose read-model rows
 * changed (and whether definitions or incidents did), so that open pages reload only what changed.
 */
function liveUpdates(model: ReadModelQueries, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return serveEventStream(request, reply, (send) => {
    let pending: { keys: Set<string>; definitions: boolean; incidents: boolean } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (!pending) return;
      send('update', {
        processInstanceKeys: [...pending.keys],
        processDefinitions: pending.definitions,
        incidents: pending.incidents,
      });
      pending = undefined;
    };
    // Every partition's changes: on PostgreSQL those applied by the other nodes of a cluster too.
    const off = model.onUpdate((change) => {
      pending ??= { keys: new Set(), definitions: false, incidents: false };
      pending.definitions ||= change.processDefinitions;
      pending.incidents ||= change.incidents;
      for (const key of change.processInstanceKeys) pending.keys.add(key);
      timer ??= setTimeout(flush, UPDATE_INTERVAL_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  });
}
