import { z } from 'zod';
import { pathKey, zLong } from './keys.js';
import { notImplemented, parseWith } from './problem.js';
import type { V2Routes } from './routes.js';

const deletionBody = z.strictObject({ operationReference: zLong.optional() }).nullable().optional();

/**
 * `POST /v2/resources/{resourceKey}/deletion`: deletes a process definition or a decision (refused with 409
 * while instances of the process run). Reading a resource back (`GET /v2/resources/{key}`, `/content`) is
 * not supported: Baton keeps process XML (see `/process-definitions/{key}/xml`), not resources as uploaded.
 */
export const resourceRoutes: V2Routes = (app, { engine }) => {
  app.post('/resources/:resourceKey/deletion', async (request, reply) => {
    const key = pathKey(request.params, 'resourceKey');
    parseWith(deletionBody, request.body, 'body');
    await engine.deleteResource(key);
    return reply.code(200).send();
  });
  app.get('/resources/:resourceKey', async (request) => {
    pathKey(request.params, 'resourceKey');
    throw notImplemented('Reading a deployed resource (GET /v2/resources/{resourceKey})');
  });
  app.get('/resources/:resourceKey/content', async (request) => {
    pathKey(request.params, 'resourceKey');
    throw notImplemented('Reading a deployed resource (GET /v2/resources/{resourceKey}/content)');
  });
};
