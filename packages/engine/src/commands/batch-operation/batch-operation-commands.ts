import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import { BATCH_OPERATION_TYPES } from '../../records/batch-operation.js';
import type { BatchOperationItemOutcome } from '../../records/batch-operation.js';
import type { BatchOperation } from '../../state/batch-operation-state.js';
import { ENDED_BATCH_STATES } from '../../state/batch-operation-state.js';

/**
 * CREATE: a batch operation over the process instances a filter finds. Its items are found later, outside
 * the state machine (the runtime's coordinator searches the read model and records them as chunks).
 */
export const createBatchOperation: CommandProcessor<'BATCH_OPERATION:CREATE'> = (command, ctx) => {
  const { batchOperationType: type, filter, migrationPlan, moveInstructions } = command.value;
  const reason = !BATCH_OPERATION_TYPES.includes(type)
    ? `Expected a batch operation type of ${BATCH_OPERATION_TYPES.join(', ')}, but it was '${String(type)}'`
    : typeof filter !== 'object' || filter === null || Array.isArray(filter)
      ? 'Expected the batch operation filter to be an object'
      : type === 'MIGRATE_PROCESS_INSTANCE' && !migrationPlan?.mappingInstructions.length
        ? 'Expected a migration plan with at least one mapping instruction'
        : type === 'MODIFY_PROCESS_INSTANCE' && !moveInstructions?.length
          ? 'Expected at least one move instruction'
          : undefined;
  if (reason) return ctx.reject('INVALID_ARGUMENT', reason);
  if (migrationPlan && !ctx.state.processByKey(migrationPlan.targetProcessDefinitionKey))
    return ctx.reject(
      'NOT_FOUND',
      `Expected to migrate to process definition '${migrationPlan.targetProcessDefinitionKey}', but no such process definition was found`,
    );
  ctx.respond(
    ctx.appendEvent(ctx.nextKey(), { valueType: 'BATCH_OPERATION', intent: 'CREATED', value: command.value }),
  );
};

/** CREATE_CHUNK: items the coordinator found, recorded before it acts on any of them. */
export const createBatchOperationChunk: CommandProcessor<'BATCH_OPERATION:CREATE_CHUNK'> = (command, ctx) => {
  const operation = running(command.key, 'record items of', ctx);
  if (!operation) return;
  if (operation.initialized)
    return ctx.reject(
      'INVALID_STATE',
      `Expected to record items of batch operation '${command.key}', but all its items are recorded already`,
    );
  const items = command.value.items.filter((item) => !operation.items.has(item.itemKey));
  ctx.respond(
    ctx.appendEvent(command.key, {
      valueType: 'BATCH_OPERATION',
      intent: 'CHUNK_CREATED',
      value: { ...command.value, items },
    }),
  );
  completeIfDone(command.key, ctx);
};

/** EXECUTE: the coordinator is about to send these items' commands (refused once the operation is not running). */
export const executeBatchOperationItems: CommandProcessor<'BATCH_OPERATION:EXECUTE'> = (command, ctx) => {
  const operation = running(command.key, 'execute items of', ctx);
  if (!operation) return;
  if (operation.state === 'SUSPENDED')
    return ctx.reject(
      'INVALID_STATE',
      `Expected to execute items of batch operation '${command.key}', but it is suspended`,
    );
  const unknown = command.value.itemKeys.find((key) => operation.items.get(key)?.state !== 'ACTIVE');
  if (unknown !== undefined)
    return ctx.reject(
      'INVALID_STATE',
      `Expected an active item of batch operation '${command.key}', but '${unknown}' is not one`,
    );
  ctx.respond(
    ctx.appendEvent(command.key, { valueType: 'BATCH_OPERATION', intent: 'EXECUTING', value: command.value }),
  );
};

/** RECORD_OUTCOMES: what each item's command came to. An item may end only once. */
export const recordBatchOperationOutcomes: CommandProcessor<'BATCH_OPERATION:RECORD_OUTCOMES'> = (
  command,
  ctx,
) => {
  const operation = existing(command.key, ctx);
  if (!operation) return;
  const outcomes: BatchOperationItemOutcome[] = [];
  for (const outcome of command.value.outcomes) {
    const item = operation.items.get(outcome.itemKey);
    if (!item)
      return ctx.reject(
        'NOT_FOUND',
        `Expected an item of batch operation '${command.key}', but '${outcome.itemKey}' is not one`,
      );
    // A late outcome of an item that was in flight when the operation was cancelled still counts.
    if (item.state === 'ACTIVE' || item.state === 'CANCELED') outcomes.push(outcome);
  }
  ctx.respond(
    ctx.appendEvent(command.key, {
      valueType: 'BATCH_OPERATION',
      intent: 'OUTCOMES_RECORDED',
      value: { outcomes },
    }),
  );
  completeIfDone(command.key, ctx);
};

/** FAIL: the coordinator could not find the items (the read model's search failed). */
export const failBatchOperation: CommandProcessor<'BATCH_OPERATION:FAIL'> = (command, ctx) => {
  if (!running(command.key, 'fail', ctx)) return;
  ctx.respond(
    ctx.appendEvent(command.key, { valueType: 'BATCH_OPERATION', intent: 'FAILED', value: command.value }),
  );
};

/** SUSPEND: no further item is acted on until it is resumed (commands in flight still end). */
export const suspendBatchOperation: CommandProcessor<'BATCH_OPERATION:SUSPEND'> = (command, ctx) => {
  const operation = running(command.key, 'suspend', ctx);
  if (!operation) return;
  if (operation.state === 'SUSPENDED')
    return ctx.reject(
      'INVALID_STATE',
      `Expected to suspend batch operation '${command.key}', but it is suspended already`,
    );
  ctx.respond(ctx.appendEvent(command.key, { valueType: 'BATCH_OPERATION', intent: 'SUSPENDED', value: {} }));
};

/** RESUME: a suspended batch operation goes on where it stopped. */
export const resumeBatchOperation: CommandProcessor<'BATCH_OPERATION:RESUME'> = (command, ctx) => {
  const operation = existing(command.key, ctx);
  if (!operation) return;
  if (operation.state !== 'SUSPENDED')
    return ctx.reject(
      'INVALID_STATE',
      `Expected to resume a suspended batch operation, but batch operation '${command.key}' is ${operation.state}`,
    );
  ctx.respond(ctx.appendEvent(command.key, { valueType: 'BATCH_OPERATION', intent: 'RESUMED', value: {} }));
  completeIfDone(command.key, ctx);
};

/** CANCEL: the items not acted on yet are cancelled; the operation ends. */
export const cancelBatchOperation: CommandProcessor<'BATCH_OPERATION:CANCEL'> = (command, ctx) => {
  if (!running(command.key, 'cancel', ctx)) return;
  ctx.respond(ctx.appendEvent(command.key, { valueType: 'BATCH_OPERATION', intent: 'CANCELED', value: {} }));
};

function existing(key: string, ctx: ProcessingContext): Readonly<BatchOperation> | undefined {
  const operation = ctx.state.batchOperations.get(key);
  if (!operation) ctx.reject('NOT_FOUND', `Expected a batch operation with key '${key}', but none was found`);
  return operation;
}

/** The operation if it has not ended; otherwise a rejection naming its state. */
function running(key: string, what: string, ctx: ProcessingContext): Readonly<BatchOperation> | undefined {
  const operation = existing(key, ctx);
  if (!operation || !ENDED_BATCH_STATES.has(operation.state)) return operation;
  ctx.reject(
    'INVALID_STATE',
    `Expected to ${what} batch operation '${key}', but it has ended (${operation.state})`,
  );
  return undefined;
}

/** Once every item is recorded and has its outcome, a running operation completes. */
function completeIfDone(key: string, ctx: ProcessingContext): void {
  const operation = ctx.state.batchOperations.get(key);
  if (!operation || !operation.initialized || operation.pending > 0) return;
  if (operation.state !== 'ACTIVE' && operation.state !== 'CREATED') return;
  ctx.appendEvent(key, {
    valueType: 'BATCH_OPERATION',
    intent: 'COMPLETED',
    value: { state: operation.failed > 0 ? 'PARTIALLY_COMPLETED' : 'COMPLETED' },
  });
}
