import { z } from 'zod';
import { BatonError, MAX_BATCH_OPERATION_ITEMS } from '@baton-engine/baton';
import type { BatchOperation, BatchOperationCreationValue, Engine } from '@baton-engine/baton';
import { instancePage, itemConditions, readModelItemSource } from './batch-item-source.js';
import { dateOut, pathKey, zKey } from './keys.js';
import { invalidField, notFound, parseWith } from './problem.js';
import type { V2Routes } from './routes.js';
import { requireReadModel } from './search.js';
import { searchRows } from './search-rows.js';
import type { RowSearch } from './search-rows.js';

const filter = z.record(z.unknown(), { invalid_type_error: 'expected a process instance filter object' });
const elementMapping = z.strictObject({
  sourceElementId: z.string().min(1),
  targetElementId: z.string().min(1),
});

/** The creation endpoints: path → the operation type and the body's schema. */
const CREATIONS = {
  cancellation: {
    type: 'CANCEL_PROCESS_INSTANCE',
    body: z.strictObject({ filter }),
  },
  'incident-resolution': {
    type: 'RESOLVE_INCIDENT',
    body: z.strictObject({ filter: filter.optional() }),
  },
  migration: {
    type: 'MIGRATE_PROCESS_INSTANCE',
    body: z.strictObject({
      filter,
      migrationPlan: z.strictObject({
        targetProcessDefinitionKey: zKey,
        mappingInstructions: z.array(elementMapping).min(1),
      }),
    }),
  },
  modification: {
    type: 'MODIFY_PROCESS_INSTANCE',
    body: z.strictObject({ filter, moveInstructions: z.array(elementMapping).min(1) }),
  },
} as const;

const OPERATION_TYPES = [
  'CANCEL_PROCESS_INSTANCE',
  'RESOLVE_INCIDENT',
  'MIGRATE_PROCESS_INSTANCE',
  'MODIFY_PROCESS_INSTANCE',
  'DELETE_PROCESS_INSTANCE',
  'ADD_VARIABLE',
  'UPDATE_VARIABLE',
  'DELETE_DECISION_DEFINITION',
  'DELETE_PROCESS_DEFINITION',
];
const OPERATION_STATES = [
  'ACTIVE',
  'CANCELED',
  'COMPLETED',
  'CREATED',
  'FAILED',
  'PARTIALLY_COMPLETED',
  'SUSPENDED',
];
const ITEM_STATES = ['ACTIVE', 'COMPLETED', 'SKIPPED', 'CANCELED', 'FAILED'];

const OPERATION_SEARCH: RowSearch = {
  fields: { batchOperationKey: 'key', operationType: 'string', state: 'string' },
  sort: ['batchOperationKey', 'operationType', 'state', 'startDate', 'endDate'],
  enums: { operationType: OPERATION_TYPES, state: OPERATION_STATES },
  tieBreaker: 'batchOperationKey',
};

const ITEM_SEARCH: RowSearch = {
  fields: { batchOperationKey: 'key', itemKey: 'key', processInstanceKey: 'key', state: 'string' },
  sort: ['batchOperationKey', 'itemKey', 'processInstanceKey', 'state'],
  enums: { state: ITEM_STATES },
  tieBreaker: 'itemKey',
};

/** A batch operation as the spec's `BatchOperationResponse` (searched by `operationType`, answered as `batchOperationType`). */
function operationOut(operation: Readonly<BatchOperation>): Record<string, unknown> {
  return {
    batchOperationKey: operation.key,
    state: operation.state,
    batchOperationType: operation.batchOperationType,
    operationType: operation.batchOperationType,
    startDate: dateOut(operation.startDate),
    ...(operation.endDate !== undefined ? { endDate: dateOut(operation.endDate) } : {}),
    operationsTotalCount: operation.total,
    operationsFailedCount: operation.failed,
    operationsCompletedCount: operation.completed,
    errors: operation.errors.map((e) => ({ partitionId: e.partitionId, type: e.type, message: e.message })),
  };
}

function withoutSearchField({ operationType: _type, ...rest }: Record<string, unknown>) {
  return rest;
}

/**
 * The batch operations whose items an item search looks at: the one its filter names by an exact key (its
 * partition alone is asked, in a cluster of its leader), else every partition's.
 */
async function itemsOf(engine: Engine, body: unknown): Promise<Readonly<BatchOperation>[]> {
  const key = (body as { filter?: { batchOperationKey?: unknown } } | undefined)?.filter?.batchOperationKey;
  if (typeof key === 'string' && /^[1-9][0-9]*$/.test(key)) {
    const operation = await engine.getBatchOperation(key);
    return operation ? [operation] : [];
  }
  return engine.listBatchOperations({ withItems: true });
}

/**
 * Batch operations (Camunda 8.8): created over the process instances a filter finds (cancel them, resolve
 * their incidents, migrate or modify them), then run by the engine's coordinator with the read model as the
 * source of their items; got, searched, suspended, resumed and cancelled here. They are engine state of the
 * partition that created them: in a cluster a node asks the leaders of the partitions it does not lead.
 */
export const batchOperationRoutes: V2Routes = (app, { engine, readModel }) => {
  if (readModel) {
    const detach = engine.runBatchOperations(readModelItemSource(readModel));
    app.addHook('onClose', async () => detach());
  }

  for (const [path, { type, body: schema }] of Object.entries(CREATIONS))
    app.post(`/process-instances/${path}`, async (request) => {
      const model = requireReadModel(readModel);
      const body = parseWith(schema, request.body ?? {}, 'body') as {
        filter?: Record<string, unknown>;
        migrationPlan?: BatchOperationCreationValue['migrationPlan'];
        moveInstructions?: BatchOperationCreationValue['moveInstructions'];
      };
      const given = body.filter ?? {};
      // The filter is checked now, as the search runs it: a bad property is a 400 naming it; so is a filter
      // that finds more instances than a batch operation takes (each item is engine state until it ends).
      const found = await instancePage(model, given, 0, 0, itemConditions(type));
      if (found.page.totalItems > MAX_BATCH_OPERATION_ITEMS)
        throw invalidField(
          'filter',
          `finds ${found.page.totalItems} process instances to act on, more than the ${MAX_BATCH_OPERATION_ITEMS} a batch operation takes; narrow the filter or split the operation`,
        );
      try {
        return await engine.createBatchOperation({
          batchOperationType: type,
          filter: given,
          ...(body.migrationPlan ? { migrationPlan: body.migrationPlan } : {}),
          ...(body.moveInstructions ? { moveInstructions: body.moveInstructions } : {}),
        });
      } catch (error) {
        // The spec's creation errors are 400, 401, 403 and 500: an unknown migration target is bad input.
        if (error instanceof BatonError && error.code === 'NOT_FOUND' && body.migrationPlan)
          throw invalidField('migrationPlan.targetProcessDefinitionKey', error.message);
        throw error;
      }
    });

  app.get('/batch-operations/:batchOperationKey', async (request) => {
    const key = pathKey(request.params, 'batchOperationKey');
    const operation = await engine.getBatchOperation(key);
    if (!operation) throw notFound('batch operation', key);
    return withoutSearchField(operationOut(operation));
  });

  app.post('/batch-operations/search', async (request) => {
    const operations = await engine.listBatchOperations();
    const result = searchRows(operations.map(operationOut), OPERATION_SEARCH, request.body);
    return { ...result, items: result.items.map(withoutSearchField) };
  });

  for (const [path, act] of [
    ['cancellation', (key: string) => engine.cancelBatchOperation(key)],
    ['suspension', (key: string) => engine.suspendBatchOperation(key)],
    ['resumption', (key: string) => engine.resumeBatchOperation(key)],
  ] as const)
    app.post(`/batch-operations/:batchOperationKey/${path}`, async (request, reply) => {
      const key = pathKey(request.params, 'batchOperationKey');
      if (!(await engine.getBatchOperation(key))) throw notFound('batch operation', key);
      await act(key);
      return reply.code(204).send();
    });

  app.post('/batch-operation-items/search', async (request) => {
    const operations = await itemsOf(engine, request.body);
    const rows = operations.flatMap((operation) =>
      [...operation.items.values()].map((item) => ({
        operationType: operation.batchOperationType,
        batchOperationKey: operation.key,
        itemKey: item.itemKey,
        processInstanceKey: item.processInstanceKey,
        state: item.state,
        ...(item.processedDate !== undefined ? { processedDate: dateOut(item.processedDate) } : {}),
        ...(item.errorMessage !== undefined ? { errorMessage: item.errorMessage } : {}),
      })),
    );
    return searchRows(rows, ITEM_SEARCH, request.body);
  });
};
