import { HttpError } from '../http-error.js';
import { requireReadModel } from './read-model.js';
import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams, keySchema, objectSchema } from '../schemas.js';

const text = { type: 'string' } as const;
const integer = { type: 'integer' } as const;
const PAGING = { page: integer, pageSize: integer } as const;

interface Paging {
  readonly page?: number;
  readonly pageSize?: number;
}
interface InstanceQuery extends Paging {
  readonly bpmnProcessId?: string;
  readonly processDefinitionKey?: string;
  readonly version?: number;
  readonly state?: string;
  readonly startedAfter?: string;
  readonly startedBefore?: string;
  readonly hasIncident?: boolean;
  readonly variableName?: string;
  readonly variableValue?: string;
  readonly sort?: string;
  readonly order?: string;
}
interface IncidentQuery extends Paging {
  readonly state?: string;
  readonly bpmnProcessId?: string;
  readonly processInstanceKey?: string;
}
interface JobQuery extends Paging {
  readonly state?: string;
  readonly type?: string;
  readonly processInstanceKey?: string;
}
interface VariableQuery extends Paging {
  readonly processInstanceKey?: string;
  readonly scopeKey?: string;
  readonly name?: string;
}
interface UserTaskQuery extends Paging {
  readonly state?: string;
  readonly assignee?: string;
  readonly processInstanceKey?: string;
}

/** A query with exactly these parameters: an unknown one (a typo) is a 400 naming it, never a wider search. */
const query = (properties: Readonly<Record<string, object>> = {}) => objectSchema(properties);

/**
 * Searches over the read model (issue 7): what the cockpit and `baton instances` / `baton incidents` show.
 * Every list is paged (`page`, `pageSize` ≤ 1000) and answers `{ items, total, page, pageSize }`.
 */
export const queryRoutes: RestPlugin = async (app, { readModel }) => {
  const model = () => requireReadModel(readModel);
  const withoutQuery = { querystring: query() };
  const withKey = { params: keyParams, querystring: query() };

  app.get('/v1/process-definitions', { schema: withoutQuery }, async () => ({
    items: model().processDefinitions(),
  }));
  app.get<{ Params: KeyParams }>(
    '/v1/process-definitions/:key/xml',
    { schema: { params: keyParams } },
    async (request, reply) =>
      reply.type('application/xml; charset=utf-8').send(model().processDefinitionXml(request.params.key)),
  );
  app.get<{ Params: KeyParams }>(
    '/v1/process-definitions/:key/statistics',
    { schema: withKey },
    async (request) => ({ items: model().elementCounts(request.params.key) }),
  );
  app.get<{ Querystring: InstanceQuery }>(
    '/v1/process-instances',
    {
      schema: {
        querystring: query({
          bpmnProcessId: text,
          processDefinitionKey: keySchema,
          version: integer,
          state: text,
          startedAfter: text,
          startedBefore: text,
          hasIncident: { type: 'boolean' },
          variableName: text,
          variableValue: text,
          sort: text,
          order: text,
          ...PAGING,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      if ((q.variableName === undefined) !== (q.variableValue === undefined))
        throw invalid('variableName and variableValue go together');
      return model().searchInstances({
        bpmnProcessId: q.bpmnProcessId,
        processDefinitionKey: q.processDefinitionKey,
        version: q.version,
        state: oneOf('state', q.state, ['ACTIVE', 'COMPLETED', 'TERMINATED']),
        startedAfter: time('startedAfter', q.startedAfter),
        startedBefore: time('startedBefore', q.startedBefore),
        hasIncident: q.hasIncident,
        variableName: q.variableName,
        variableValue: jsonValue('variableValue', q.variableValue),
        sort: q.sort as 'startTime' | undefined,
        order: q.order?.toLowerCase() as 'asc' | undefined,
        page: q.page,
        pageSize: q.pageSize,
      });
    },
  );
  app.get<{ Params: KeyParams; Querystring: Paging }>(
    '/v1/process-instances/:key/element-instances',
    { schema: { params: keyParams, querystring: query(PAGING) } },
    async (request) =>
      model().searchElementInstances({ processInstanceKey: request.params.key, ...request.query }),
  );
  app.get<{ Querystring: IncidentQuery }>(
    '/v1/incidents',
    {
      schema: {
        querystring: query({ state: text, bpmnProcessId: text, processInstanceKey: keySchema, ...PAGING }),
      },
    },
    async (request) => {
      const q = request.query;
      return model().searchIncidents({ ...q, state: oneOf('state', q.state, ['OPEN', 'RESOLVED']) });
    },
  );
  app.get<{ Querystring: JobQuery }>(
    '/v1/jobs',
    { schema: { querystring: query({ state: text, type: text, processInstanceKey: keySchema, ...PAGING }) } },
    async (request) => model().searchJobs({ ...request.query, state: request.query.state?.toUpperCase() }),
  );
  app.get<{ Querystring: VariableQuery }>(
    '/v1/variables',
    {
      schema: {
        querystring: query({ processInstanceKey: keySchema, scopeKey: keySchema, name: text, ...PAGING }),
      },
    },
    async (request) => model().searchVariables({ ...request.query }),
  );
  app.get<{ Querystring: UserTaskQuery }>(
    '/v1/user-tasks',
    {
      schema: {
        querystring: query({ state: text, assignee: text, processInstanceKey: keySchema, ...PAGING }),
      },
    },
    async (request) =>
      model().searchUserTasks({ ...request.query, state: request.query.state?.toUpperCase() }),
  );
};

function invalid(message: string): HttpError {
  return new HttpError(400, 'INVALID_ARGUMENT', `Invalid query: ${message}`);
}

/** One of `values`, whatever its case. */
function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  values: readonly T[],
): T | undefined {
  const upper = value?.toUpperCase();
  if (upper === undefined) return undefined;
  if (!(values as readonly string[]).includes(upper))
    throw invalid(`'${name}' must be one of ${values.join(', ')}, got '${value}'`);
  return upper as T;
}

/** A point in time as epoch milliseconds or an ISO 8601 date-time. */
function time(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const millis = /^[0-9]+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(millis))
    throw invalid(`'${name}' must be a time (epoch milliseconds or ISO 8601), got '${value}'`);
  return millis;
}

/** A JSON value (a bare word that is not JSON is taken as a string, so `?variableValue=gold` works). */
function jsonValue(name: string, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    if (/^[\w.@-]+$/.test(value)) return value;
    throw invalid(`'${name}' must be a JSON value, got '${value}'`);
  }
}
