import type { ReadModelQueries } from '@baton-engine/read-model';
import { HttpError } from '../http-error.js';
import { serveEventStream } from '../event-stream.js';
import { QueryParams } from '../query-params.js';
import type { Route, RouteContext } from '../router.js';
import { pathKey } from '../schemas.js';

const PAGING = ['page', 'pageSize'] as const;

/** Live updates are coalesced: at most one `update` event per interval and client. */
const UPDATE_INTERVAL_MS = 250;

function readModelOf(ctx: RouteContext): ReadModelQueries {
  if (!ctx.readModel)
    throw new HttpError(
      503,
      'UNAVAILABLE',
      'This server runs without a read model; searches are unavailable',
    );
  return ctx.readModel;
}

/** A GET route on the read model with the given query parameters. */
function search(
  path: string,
  known: readonly string[],
  answer: (model: ReadModelQueries, query: QueryParams, ctx: RouteContext) => unknown,
): Route {
  return {
    method: 'GET',
    path,
    async handle(ctx) {
      const model = readModelOf(ctx);
      return { status: 200, body: answer(model, new QueryParams(ctx.query, known), ctx) };
    },
  };
}

const paging = (q: QueryParams) => ({ page: q.integer('page'), pageSize: q.integer('pageSize') });

/**
 * Searches over the read model (issue 7): what the cockpit and `baton instances` / `baton incidents` show.
 * Every list is paged (`page`, `pageSize` ≤ 1000) and answers `{ items, total, page, pageSize }`.
 */
export const queryRoutes: readonly Route[] = [
  search('/v1/process-definitions', [], (model) => ({ items: model.processDefinitions() })),
  {
    method: 'GET',
    path: '/v1/process-definitions/:key/xml',
    async handle(ctx) {
      const xml = readModelOf(ctx).processDefinitionXml(pathKey(ctx.params));
      ctx.res.writeHead(200, {
        'content-type': 'application/xml; charset=utf-8',
        'content-length': Buffer.byteLength(xml),
      });
      ctx.res.end(xml);
      return undefined;
    },
  },
  search('/v1/process-definitions/:key/statistics', [], (model, _q, ctx) => ({
    items: model.elementCounts(pathKey(ctx.params)),
  })),
  search(
    '/v1/process-instances',
    [
      'bpmnProcessId',
      'processDefinitionKey',
      'version',
      'state',
      'startedAfter',
      'startedBefore',
      'hasIncident',
      'variableName',
      'variableValue',
      'sort',
      'order',
      ...PAGING,
    ],
    (model, q) => {
      const variableName = q.string('variableName');
      const variableValue = q.json('variableValue');
      if ((variableName === undefined) !== (variableValue === undefined))
        throw new HttpError(
          400,
          'INVALID_ARGUMENT',
          'Invalid query: variableName and variableValue go together',
        );
      return model.searchInstances({
        bpmnProcessId: q.string('bpmnProcessId'),
        processDefinitionKey: q.key('processDefinitionKey'),
        version: q.integer('version'),
        state: q.oneOf('state', ['ACTIVE', 'COMPLETED', 'TERMINATED']),
        startedAfter: q.time('startedAfter'),
        startedBefore: q.time('startedBefore'),
        hasIncident: q.boolean('hasIncident'),
        variableName,
        variableValue,
        sort: q.string('sort') as 'startTime' | undefined,
        order: q.string('order')?.toLowerCase() as 'asc' | undefined,
        ...paging(q),
      });
    },
  ),
  search('/v1/process-instances/:key', [], (model, _q, ctx) => model.instance(pathKey(ctx.params))),
  search('/v1/process-instances/:key/element-instances', [...PAGING], (model, q, ctx) =>
    model.searchElementInstances({ processInstanceKey: pathKey(ctx.params), ...paging(q) }),
  ),
  search('/v1/incidents', ['state', 'bpmnProcessId', 'processInstanceKey', ...PAGING], (model, q) =>
    model.searchIncidents({
      state: q.oneOf('state', ['OPEN', 'RESOLVED']),
      bpmnProcessId: q.string('bpmnProcessId'),
      processInstanceKey: q.key('processInstanceKey'),
      ...paging(q),
    }),
  ),
  search('/v1/jobs', ['state', 'type', 'processInstanceKey', ...PAGING], (model, q) =>
    model.searchJobs({
      state: q.string('state')?.toUpperCase(),
      type: q.string('type'),
      processInstanceKey: q.key('processInstanceKey'),
      ...paging(q),
    }),
  ),
  search('/v1/variables', ['processInstanceKey', 'scopeKey', 'name', ...PAGING], (model, q) =>
    model.searchVariables({
      processInstanceKey: q.key('processInstanceKey'),
      scopeKey: q.key('scopeKey'),
      name: q.string('name'),
      ...paging(q),
    }),
  ),
  search('/v1/user-tasks', ['state', 'assignee', 'processInstanceKey', ...PAGING], (model, q) =>
    model.searchUserTasks({
      state: q.string('state')?.toUpperCase(),
      assignee: q.string('assignee'),
      processInstanceKey: q.key('processInstanceKey'),
      ...paging(q),
    }),
  ),
  search('/v1/dashboard', [], (model) => model.dashboard()),
  {
    method: 'GET',
    path: '/v1/updates',
    handle(ctx) {
      const model = readModelOf(ctx);
      new QueryParams(ctx.query, []);
      return serveEventStream(ctx, (send) => {
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
        const off = model.onUpdate((records) => {
          pending ??= { keys: new Set(), definitions: false, incidents: false };
          for (const r of records) {
            if (r.recordType !== 'EVENT') continue;
            if (r.valueType === 'PROCESS') pending.definitions = true;
            else if (r.valueType === 'INCIDENT') pending.incidents = true;
            const value = r.value as { processInstanceKey?: string };
            if (typeof value.processInstanceKey === 'string' && value.processInstanceKey !== '-1')
              pending.keys.add(value.processInstanceKey);
          }
          timer ??= setTimeout(flush, UPDATE_INTERVAL_MS);
        });
        return () => {
          off();
          if (timer) clearTimeout(timer);
        };
      });
    },
  },
];
