import { z } from 'zod';
import type { Variables } from '@baton-engine/baton';
import { pathKey, zLong } from './keys.js';
import { parseWith } from './problem.js';
import type { V2Routes } from './routes.js';
import { getOne, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

/** Element instances as the spec writes them; Baton keeps no element names, so `elementName` is the id. */
export const elementInstanceSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'elementInstance',
  filter: {
    processDefinitionId: 'processDefinitionId',
    state: 'state',
    type: 'type',
    elementId: 'elementId',
    hasIncident: 'hasIncident',
    elementInstanceKey: 'elementInstanceKey',
    processInstanceKey: 'processInstanceKey',
    processDefinitionKey: 'processDefinitionKey',
    incidentKey: 'incidentKey',
    startDate: 'startDate',
    endDate: 'endDate',
    elementInstanceScopeKey: 'flowScopeKey',
  },
  unsupported: ['elementName'],
  sort: {
    elementInstanceKey: 'elementInstanceKey',
    processInstanceKey: 'processInstanceKey',
    processDefinitionKey: 'processDefinitionKey',
    processDefinitionId: 'processDefinitionId',
    startDate: 'startDate',
    endDate: 'endDate',
    elementId: 'elementId',
    elementName: 'elementId',
    type: 'type',
    state: 'state',
    incidentKey: 'incidentKey',
  },
  item: ({ flowScopeKey: _scope, ...row }) => ({ ...row, elementName: row.elementId }),
};

const setVariables = z.strictObject({
  variables: z.record(z.unknown(), { invalid_type_error: 'expected an object of variables' }),
  local: z.boolean().optional(),
  operationReference: zLong.optional(),
});

/**
 * Element instances: search, get, and `PUT /v2/element-instances/{key}/variables` (set variables on its
 * scope, `local` to keep them there). `POST …/ad-hoc-activities/{key}/activation` activates elements of an ad-hoc sub-process.
 */
export const elementInstanceRoutes: V2Routes = (app, { engine, readModel }) => {
  app.post('/element-instances/search', async (request) =>
    runSearch(readModel, elementInstanceSearch, request.body),
  );

  app.get('/element-instances/:elementInstanceKey', async (request) => {
    const key = pathKey(request.params, 'elementInstanceKey');
    return getOne(readModel, elementInstanceSearch, 'elementInstanceKey', key, 'an element instance');
  });

  app.put('/element-instances/:elementInstanceKey/variables', async (request, reply) => {
    const key = pathKey(request.params, 'elementInstanceKey');
    const body = parseWith(setVariables, request.body, 'body');
    await engine.setVariables(key, body.variables as Variables, { local: body.local ?? false });
    return reply.code(204).send();
  });

  app.post(
    '/element-instances/ad-hoc-activities/:adHocSubProcessInstanceKey/activation',
    async (request, reply) => {
      const key = pathKey(request.params, 'adHocSubProcessInstanceKey');
      const body = parseWith(
        z.strictObject({
          elements: z
            .array(
              z.strictObject({
                elementId: z.string().min(1),
                variables: z.record(z.unknown()).optional(),
              }),
            )
            .min(1),
          cancelRemainingInstances: z.literal(false).optional(),
        }),
        request.body,
        'body',
      );
      await engine.activateAdHocSubProcessActivities(
        key,
        body.elements.map((e) => ({
          elementId: e.elementId,
          ...(e.variables ? { variables: e.variables as Variables } : {}),
        })),
      );
      return reply.code(204).send();
    },
  );
};
