import { pathKey } from './keys.js';
import type { V2Routes } from './routes.js';
import { getOne, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

/** The error types the spec knows; Baton's own (PROCESSING_LIMIT_EXCEEDED) are answered as UNKNOWN. */
const ERROR_TYPES = new Set([
  'UNSPECIFIED',
  'UNKNOWN',
  'IO_MAPPING_ERROR',
  'JOB_NO_RETRIES',
  'EXECUTION_LISTENER_NO_RETRIES',
  'TASK_LISTENER_NO_RETRIES',
  'AD_HOC_SUB_PROCESS_NO_RETRIES',
  'CONDITION_ERROR',
  'EXTRACT_VALUE_ERROR',
  'CALLED_ELEMENT_ERROR',
  'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED',
  'CALLED_DECISION_ERROR',
  'DECISION_EVALUATION_ERROR',
  'FORM_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
]);

const FIELDS = [
  'processDefinitionId',
  'errorType',
  'errorMessage',
  'elementId',
  'creationTime',
  'state',
  'incidentKey',
  'processDefinitionKey',
  'processInstanceKey',
  'elementInstanceKey',
  'jobKey',
];

/** Incidents as the spec writes them: `state` ACTIVE (open) or RESOLVED. */
export const incidentSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'incident',
  filter: FIELDS,
  sort: FIELDS,
  item: (row) => ({
    ...row,
    errorType: ERROR_TYPES.has(row.errorType as string) ? row.errorType : 'UNKNOWN',
  }),
};

/** Incidents: search, get, and resolution (the failed step is retried; a job's retries must be raised first). */
export const incidentRoutes: V2Routes = (app, { engine, readModel }) => {
  app.post('/incidents/search', async (request) => runSearch(readModel, incidentSearch, request.body));

  app.get('/incidents/:incidentKey', async (request) => {
    const key = pathKey(request.params, 'incidentKey');
    return getOne(readModel, incidentSearch, 'incidentKey', key, 'an incident');
  });

  app.post('/incidents/:incidentKey/resolution', async (request, reply) => {
    const key = pathKey(request.params, 'incidentKey');
    await engine.resolveIncident(key);
    return reply.code(204).send();
  });
};
