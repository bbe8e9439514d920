import type { BatchOperation, BatchOperationItem, BatchOperationItemSource } from '@baton-engine/baton';
import type { FieldCondition, ReadModelQueries } from '@baton-engine/read-model';
import { MAX_LIMIT } from '@baton-engine/read-model';
import { instances } from './process-instances.js';
import { runSearch } from './search.js';

/** Process instances per page of a batch operation's item search (and so per chunk of items recorded). */
export const BATCH_PAGE_SIZE = 100;

/** The instances a batch operation acts on: those its filter finds that are still active, as Zeebe does. */
const ACTIVE: readonly FieldCondition[] = [{ field: 'state', op: '$eq', value: 'ACTIVE' }];

/** Cancellation takes root instances only, as Zeebe's: a called instance ends with its root. */
const ROOT: FieldCondition = { field: 'parentProcessInstanceKey', op: '$eq', value: '-1' };

/**
 * A page of the process instances a batch operation's filter finds, oldest key first, from an offset (the
 * request's filter is run as `POST /v2/process-instances/search` runs it, so a bad filter is refused there).
 */
export async function instancePage(
  readModel: ReadModelQueries,
  filter: Readonly<Record<string, unknown>>,
  from: number,
  limit: number,
  fixed: readonly FieldCondition[] = ACTIVE,
) {
  return await runSearch(
    readModel,
    instances(readModel),
    { filter, sort: [{ field: 'processInstanceKey', order: 'ASC' }], page: { from, limit } },
    fixed,
  );
}

/**
 * The read model as the source of batch operations' items (Camunda searches its secondary storage the same
 * way). Items are found page by page while the operation initializes; the cursor is the offset in the
 * instance search, which does not move under the search since nothing is acted on before every item is
 * recorded.
 */
export function readModelItemSource(readModel: ReadModelQueries): BatchOperationItemSource {
  return {
    async items(operation: Readonly<BatchOperation>, cursor: string) {
      const from = cursor === '' ? 0 : Number(cursor);
      const incidents = operation.batchOperationType === 'RESOLVE_INCIDENT';
      const fixed = incidents
        ? [...ACTIVE, { field: 'hasIncident', op: '$eq', value: true } as const]
        : operation.batchOperationType === 'CANCEL_PROCESS_INSTANCE'
          ? [...ACTIVE, ROOT]
          : ACTIVE;
      const page = await instancePage(readModel, operation.filter, from, BATCH_PAGE_SIZE, fixed);
      const keys = page.items.map((i) => String(i.processInstanceKey));
      const next = from + page.items.length;
      const last = page.items.length < BATCH_PAGE_SIZE || next >= page.page.totalItems;
      const items: BatchOperationItem[] = incidents
        ? await openIncidents(readModel, keys)
        : keys.map((key) => ({ itemKey: key, processInstanceKey: key }));
      return { items, cursor: String(next), last };
    },

    async activeElementInstances(processInstanceKey, elementIds) {
      const found = await readModel.search('elementInstance', {
        conditions: [
          { field: 'processInstanceKey', op: '$eq', value: processInstanceKey },
          { field: 'elementId', op: '$in', value: [...elementIds] },
          { field: 'state', op: '$eq', value: 'ACTIVE' },
        ],
        limit: MAX_LIMIT,
      });
      return found.items.map((row) => ({
        elementInstanceKey: String(row.elementInstanceKey),
        elementId: String(row.elementId),
        flowScopeKey: String(row.flowScopeKey),
      }));
    },

    async jobOfIncident(incidentKey) {
      const found = await readModel.search('incident', {
        conditions: [{ field: 'incidentKey', op: '$eq', value: incidentKey }],
        limit: 1,
      });
      const jobKey = found.items[0]?.jobKey;
      return typeof jobKey === 'string' && jobKey !== '-1' && jobKey !== '' ? jobKey : undefined;
    },

    async processDefinitionOf(processInstanceKey) {
      const found = await readModel.search('processInstance', {
        conditions: [{ field: 'processInstanceKey', op: '$eq', value: processInstanceKey }],
        limit: 1,
      });
      const key = found.items[0]?.processDefinitionKey;
      return key === undefined || key === null ? undefined : String(key);
    },
  };
}

/** The open incidents of some instances, as items (the incident is the item, as in Zeebe). */
async function openIncidents(readModel: ReadModelQueries, keys: string[]): Promise<BatchOperationItem[]> {
  if (keys.length === 0) return [];
  const found = await readModel.search('incident', {
    conditions: [
      { field: 'processInstanceKey', op: '$in', value: keys },
      { field: 'state', op: '$eq', value: 'ACTIVE' },
    ],
    sort: [{ field: 'incidentKey', order: 'ASC' }],
    limit: MAX_LIMIT,
  });
  return found.items.map((row) => ({
    itemKey: String(row.incidentKey),
    processInstanceKey: String(row.processInstanceKey),
  }));
}
