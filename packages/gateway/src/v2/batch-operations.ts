import { z } from 'zod';
import type { BatchOperation, BatchOperationCreationValue } from '@baton-engine/baton';
import { instancePage, readModelItemSource } from './batch-item-source.js';
import { dateOut, pathKey, zKey } from './keys.js';
import { notFound, parseWith } from './problem.js';
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
    operationsTotalCount: operation.items.size,
    operationsFailedCount: operation.failed,
    operationsCompletedCount: operation.completed,
    errors: operation.errors.map((e) => ({ partitionId: e.partitionId, type: e.type, message: e.message })),
  };
}

function withoutSearchField({ operationType: _type, ...rest }: Record<string, unknown>) {
  return rest;
}

/**
 * Batch operations (Camunda 8.8): created over the process instances a filter finds (cancel them, resolve
 * their incidents, migrate or modify them), then run by the engine's coordinator with the read model as the
 * source of their items; got, searched, suspended, resumed and cancelled here. They are engine state, so a
 * node answers for the batch operations of the partitions it hosts.
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
      // The filter is checked now, as the search runs it: a bad property is a 400 naming it.
      await instancePage(model, given, 0, 0);
      return await engine.createBatchOperation({
        batchOperationType: type,
        filter: given,
        ...(body.migrationPlan ? { migrationPlan: body.migrationPlan } : {}),
        ...(body.moveInstructions ? { moveInstructions: body.moveInstructions } : {}),
      });
    });

  app.get('/batch-operations/:batchOperationKey', async (request) => {
    const key = pathKey(request.params, 'batchOperationKey');
    const operation = engine.batchOperation(key);
    if (!operation) throw notFound('batch operation', key);
    return withoutSearchField(operationOut(operation));
  });

  app.post('/batch-operations/search', async (request) => {
    const result = searchRows(engine.batchOperations().map(operationOut), OPERATION_SEARCH, request.body);
    return { ...result, items: result.items.map(withoutSearchField) };
  });

  for (const [path, act] of [
    ['cancellation', (key: string) => engine.cancelBatchOperation(key)],
    ['suspension', (key: string) => engine.suspendBatchOperation(key)],
    ['resumption', (key: string) => engine.resumeBatchOperation(key)],
  ] as const)
    app.post(`/batch-operations/:batchOperationKey/${path}`, async (request, reply) => {
      const key = pathKey(request.params, 'batchOperationKey');
      if (!engine.batchOperation(key)) throw notFound('batch operation', key);
      await act(key);
      return reply.code(204).send();
    });

  app.post('/batch-operation-items/search', async (request) => {
    const rows = engine.batchOperations().flatMap((operation) =>
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
