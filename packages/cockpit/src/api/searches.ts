import { api, ApiError } from './client';
import type { Query } from './client';
import type {
  ElementStatistics,
  Incident,
  InstanceState,
  InstanceSummary,
  Page,
  ProcessDefinition,
} from './types';

/**
 * The cockpit's searches over Camunda's `/v2` API (`POST /v2/<resource>/search` with `{ filter, sort, page }`),
 * turned into the pages the views show (`{ items, total, page, pageSize }`, page numbers from 1). The views keep
 * their filters in the page's query string; this module maps them onto `/v2` filters.
 */

interface SearchResult<T> {
  readonly items: T[];
  readonly page: { readonly totalItems: number; readonly endCursor?: string };
}

type Filter = Record<string, unknown>;

const DEFAULT_PAGE_SIZE = 50;
/** The largest page `/v2` answers (the read model's limit). */
const MAX_LIMIT = 10_000;

function search<T>(resource: string, body: Record<string, unknown>, signal?: AbortSignal) {
  return api.post<SearchResult<T>>(`/v2/${resource}/search`, body, signal);
}

/** `page` (from 1) and `pageSize` from the query string, as the `/v2` `{ from, limit }`. */
function paging(query: Query): { page: number; pageSize: number; from: number } {
  const page = positive('page', query.page) ?? 1;
  const pageSize = positive('pageSize', query.pageSize) ?? DEFAULT_PAGE_SIZE;
  if (pageSize > 1000) throw invalid(`'pageSize' must be at most 1000, got ${pageSize}`);
  return { page, pageSize, from: (page - 1) * pageSize };
}

function positive(name: string, value: Query[string]): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw invalid(`'${name}' must be a whole number of 1 or more, got '${value}'`);
  return n;
}

/** A malformed filter in the page's query string: shown like the server's own 400. */
function invalid(message: string): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', `Invalid query: ${message}`);
}

function text(value: Query[string]): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** A point in time (epoch milliseconds or ISO 8601) as the ISO 8601 text `/v2` filters take. */
function time(name: string, value: Query[string]): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const millis = /^[0-9]+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(millis))
    throw invalid(`'${name}' must be a time (epoch milliseconds or ISO 8601), got '${raw}'`);
  return new Date(millis).toISOString();
}

/** A variable value as its JSON text; a bare word that is not JSON is a string (`gold` is `"gold"`). */
function jsonText(name: string, value: string): string {
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    if (/^[\w.@-]+$/.test(value)) return JSON.stringify(value);
    throw invalid(`'${name}' must be a JSON value, got '${value}'`);
  }
}

function millis(iso: unknown): number | null {
  return typeof iso === 'string' ? Date.parse(iso) : null;
}

/** Every deployed process version, newest version first per process id. */
export async function searchDefinitions(signal?: AbortSignal): Promise<ProcessDefinition[]> {
  const all: ProcessDefinition[] = [];
  let after: string | undefined;
  for (;;) {
    const result = await search<Record<string, unknown>>(
      'process-definitions',
      {
        sort: [
          { field: 'processDefinitionId', order: 'ASC' },
          { field: 'version', order: 'DESC' },
        ],
        page: after ? { after, limit: MAX_LIMIT } : { from: 0, limit: MAX_LIMIT },
      },
      signal,
    );
    for (const d of result.items)
      all.push({
        key: d.processDefinitionKey as string,
        bpmnProcessId: d.processDefinitionId as string,
        version: d.version as number,
        name: typeof d.name === 'string' ? d.name : null,
        resourceName: d.resourceName as string,
      });
    if (result.items.length < MAX_LIMIT || !result.page.endCursor) return all;
    after = result.page.endCursor;
  }
}

/** Per element of one process version: instances active there, completed, terminated, and open incidents. */
export async function elementStatistics(
  definitionKey: string,
  signal?: AbortSignal,
): Promise<ElementStatistics[]> {
  const { items } = await api.post<{
    items: { elementId: string; active: number; completed: number; canceled: number; incidents: number }[];
  }>(`/v2/process-definitions/${definitionKey}/statistics/element-instances`, {}, signal);
  return items.map((s) => ({
    elementId: s.elementId,
    active: s.active,
    completed: s.completed,
    terminated: s.canceled,
    incidents: s.incidents,
  }));
}

/**
 * Process instances by the instance list's filters: `bpmnProcessId`, `processDefinitionKey`, `version`,
 * `state`, `hasIncident`, `startedAfter` / `startedBefore`, `variableName` with `variableValue`, `sort`
 * (startTime) and `order`, `page` and `pageSize`.
 */
export async function searchInstances(query: Query, signal?: AbortSignal): Promise<Page<InstanceSummary>> {
  const filter: Filter = {};
  const put = (name: string, value: unknown) => {
    if (value !== undefined) filter[name] = value;
  };
  put('processDefinitionId', text(query.bpmnProcessId));
  put('processDefinitionKey', text(query.processDefinitionKey));
  const version = text(query.version);
  if (version !== undefined) {
    if (!/^[0-9]+$/.test(version)) throw invalid(`'version' must be a whole number, got '${version}'`);
    put('processDefinitionVersion', Number(version));
  }
  const state = text(query.state)?.toUpperCase();
  if (state !== undefined && !['ACTIVE', 'COMPLETED', 'TERMINATED'].includes(state))
    throw invalid(`'state' must be one of ACTIVE, COMPLETED, TERMINATED, got '${query.state}'`);
  put('state', state);
  const hasIncident = text(query.hasIncident);
  if (hasIncident !== undefined) {
    if (hasIncident !== 'true' && hasIncident !== 'false')
      throw invalid(`'hasIncident' must be true or false, got '${hasIncident}'`);
    put('hasIncident', hasIncident === 'true');
  }
  const after = time('startedAfter', query.startedAfter);
  const before = time('startedBefore', query.startedBefore);
  if (after !== undefined || before !== undefined)
    put('startDate', { ...(after ? { $gt: after } : {}), ...(before ? { $lt: before } : {}) });
  const variableName = text(query.variableName);
  const variableValue = text(query.variableValue);
  if ((variableName === undefined) !== (variableValue === undefined))
    throw invalid('variableName and variableValue go together');
  if (variableName !== undefined && variableValue !== undefined)
    put('variables', [{ name: variableName, value: jsonText('variableValue', variableValue) }]);
  const sortField = text(query.sort);
  if (sortField !== undefined && sortField !== 'startTime')
    throw invalid(`'sort' must be startTime, got '${sortField}'`);
  const order = (text(query.order) ?? 'desc').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw invalid(`'order' must be asc or desc, got '${query.order}'`);
  const { page, pageSize, from } = paging(query);
  const result = await search<Record<string, unknown>>(
    'process-instances',
    { filter, sort: [{ field: 'startDate', order }], page: { from, limit: pageSize } },
    signal,
  );
  return {
    items: result.items.map((i) => ({
      key: i.processInstanceKey as string,
      bpmnProcessId: i.processDefinitionId as string,
      version: i.processDefinitionVersion as number,
      processDefinitionKey: i.processDefinitionKey as string,
      state: i.state as InstanceState,
      startTime: millis(i.startDate) ?? 0,
      endTime: millis(i.endDate),
      hasIncident: i.hasIncident === true,
      parentProcessInstanceKey: (i.parentProcessInstanceKey as string | undefined) ?? null,
    })),
    total: result.page.totalItems,
    page,
    pageSize,
  };
}

/** Incidents by `state` (OPEN or RESOLVED), `bpmnProcessId` and `processInstanceKey`, newest first. */
export async function searchIncidents(query: Query, signal?: AbortSignal): Promise<Page<Incident>> {
  const filter: Filter = {};
  const state = text(query.state)?.toUpperCase();
  if (state !== undefined && state !== 'OPEN' && state !== 'RESOLVED')
    throw invalid(`'state' must be one of OPEN, RESOLVED, got '${query.state}'`);
  if (state !== undefined) filter.state = state === 'OPEN' ? 'ACTIVE' : 'RESOLVED';
  const bpmnProcessId = text(query.bpmnProcessId);
  if (bpmnProcessId !== undefined) filter.processDefinitionId = bpmnProcessId;
  const processInstanceKey = text(query.processInstanceKey);
  if (processInstanceKey !== undefined) filter.processInstanceKey = processInstanceKey;
  const { page, pageSize, from } = paging(query);
  const result = await search<Record<string, unknown>>(
    'incidents',
    { filter, sort: [{ field: 'creationTime', order: 'DESC' }], page: { from, limit: pageSize } },
    signal,
  );
  return {
    items: result.items.map((i) => ({
      key: i.incidentKey as string,
      processInstanceKey: i.processInstanceKey as string | undefined,
      bpmnProcessId: i.processDefinitionId as string | undefined,
      elementId: i.elementId as string,
      elementInstanceKey: i.elementInstanceKey as string,
      jobKey: (i.jobKey as string | undefined) ?? null,
      errorType: i.errorType as string,
      errorMessage: (i.errorMessage as string | undefined) ?? '',
      state: i.state === 'ACTIVE' ? 'OPEN' : 'RESOLVED',
      createdAt: millis(i.creationTime) ?? 0,
      resolvedAt: null,
    })),
    total: result.page.totalItems,
    page,
    pageSize,
  };
}
