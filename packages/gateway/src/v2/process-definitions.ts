import type { Engine } from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';
import { DEFAULT_TENANT } from '../tenancy.js';
import { pathKey } from './keys.js';
import { invalidField } from './problem.js';
import type { V2Routes } from './routes.js';
import { getOne, requireReadModel, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

/** The process definition search; `hasStartForm` comes from the engine's deployed model. */
function definitions(engine: Engine): SearchDefinition<Record<string, unknown>> {
  return {
    resource: 'processDefinition',
    filter: [
      'name',
      'isLatestVersion',
      'resourceName',
      'version',
      'processDefinitionId',
      'processDefinitionKey',
    ],
    unsupported: ['versionTag', 'hasStartForm'],
    sort: ['processDefinitionKey', 'name', 'resourceName', 'version', 'processDefinitionId'],
    item: async (row) => ({
      ...(row.name === undefined ? {} : { name: row.name }),
      resourceName: row.resourceName,
      version: row.version,
      processDefinitionId: row.processDefinitionId,
      tenantId: row.tenantId,
      processDefinitionKey: row.processDefinitionKey,
      hasStartForm: await hasStartForm(engine, row.processDefinitionKey as string),
    }),
  };
}

async function hasStartForm(engine: Engine, key: string): Promise<boolean> {
  try {
    return (await engine.startForm(key)) !== undefined;
  } catch (error) {
    if (error instanceof BatonError && error.code === 'NOT_FOUND') return false;
    throw error;
  }
}

/**
 * Process definitions: `POST /v2/process-definitions/search`, `GET /v2/process-definitions/{key}`, its
 * `/xml` (text/xml), its start `/form` (204 when it links none), and `POST …/statistics/element-instances`
 * (instances active at, completed, terminated at and with an open incident at each element).
 */
export const processDefinitionRoutes: V2Routes = (app, { engine, readModel }) => {
  const search = definitions(engine);

  app.post('/process-definitions/search', async (request) => runSearch(readModel, search, request.body));

  app.get('/process-definitions/:processDefinitionKey', async (request) => {
    const key = pathKey(request.params, 'processDefinitionKey');
    return getOne(readModel, search, 'processDefinitionKey', key, 'a process definition');
  });

  app.get('/process-definitions/:processDefinitionKey/xml', async (request, reply) => {
    const key = pathKey(request.params, 'processDefinitionKey');
    const xml = await requireReadModel(readModel).processDefinitionXml(key);
    return reply.type('text/xml; charset=utf-8').send(xml);
  });

  app.get('/process-definitions/:processDefinitionKey/form', async (request, reply) => {
    const key = pathKey(request.params, 'processDefinitionKey');
    const form = await engine.startForm(key);
    if (!form) return reply.code(204).send();
    return {
      tenantId: DEFAULT_TENANT,
      formId: form.formId,
      schema: JSON.parse(form.schema) as unknown,
      version: form.version,
      formKey: form.formKey,
    };
  });

  app.post('/process-definitions/:processDefinitionKey/statistics/element-instances', async (request) => {
    const key = pathKey(request.params, 'processDefinitionKey');
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw invalidField('body', 'expected { filter }');
    const filter = body.filter as Record<string, unknown> | undefined;
    if (filter !== undefined && (typeof filter !== 'object' || Object.keys(filter ?? {}).length > 0))
      throw invalidField(
        'filter',
        'Baton computes these statistics over all instances (filters are not supported)',
      );
    const model = requireReadModel(readModel);
    await getOne(readModel, search, 'processDefinitionKey', key, 'a process definition');
    return {
      items: (await model.elementCounts(key)).map((c) => ({
        elementId: c.elementId,
        active: c.active,
        canceled: c.terminated,
        incidents: c.incidents,
        completed: c.completed,
      })),
    };
  });
};
