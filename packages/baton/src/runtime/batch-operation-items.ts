import type { BatchOperation, BatchOperationItem, BatchOperationItemOutcome } from '@baton-engine/engine';
import { BatonError } from '../errors.js';

/**
 * Where a batch operation's items come from and what the coordinator needs to know about them beyond the
 * engine's state: the read model (secondary storage), as Zeebe's batch operations search it. The gateway
 * gives one to `Engine.runBatchOperations`. Each call may be async.
 */
export interface BatchOperationItemSource {
  /**
   * The next items of a batch operation after `cursor` ('' for the first page) in a stable order, the cursor
   * to go on from, and whether this was the last page. Throwing fails the batch operation (QUERY_FAILED).
   */
  items(
    operation: Readonly<BatchOperation>,
    cursor: string,
  ): Promise<{ items: BatchOperationItem[]; cursor: string; last: boolean }>;
  /** MODIFY_PROCESS_INSTANCE: the active instances of the given elements in a process instance. */
  activeElementInstances(
    processInstanceKey: string,
    elementIds: readonly string[],
  ): Promise<{ elementInstanceKey: string; elementId: string; flowScopeKey: string }[]>;
  /** RESOLVE_INCIDENT: the job an incident belongs to, if any. */
  jobOfIncident(incidentKey: string): Promise<string | undefined>;
  /** MIGRATE_PROCESS_INSTANCE: the process definition an instance runs on now. */
  processDefinitionOf(processInstanceKey: string): Promise<string | undefined>;
}

/** The engine's commands an item needs, sent through the normal command path (routed to their partition). */
export interface BatchItemCommands {
  cancelInstance(processInstanceKey: string): Promise<void>;
  resolveIncident(incidentKey: string): Promise<void>;
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  migrateInstance(
    processInstanceKey: string,
    targetProcessDefinitionKey: string,
    mapping: Readonly<Record<string, string>>,
  ): Promise<void>;
  modifyInstance(
    processInstanceKey: string,
    modification: {
      activate?: readonly { elementId: string; ancestorElementInstanceKey?: string }[];
      terminate?: readonly string[];
    },
  ): Promise<void>;
}

/** Codes that say nothing about the item: the command may go again later. */
const TRANSIENT = new Set(['RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELED']);

/** A failure that leaves an item's outcome unknown (retried later), as opposed to a rejection of it. */
export function isTransient(error: unknown): boolean {
  return !(error instanceof BatonError) || TRANSIENT.has(error.code);
}

/**
 * Sends one item's command and says what it came to. `retry`: the command may have been sent before (its
 * outcome was not recorded), so a rejection is checked against the effect it would have had. Throws when the
 * outcome is unknown (a transient failure).
 */
export async function executeItem(
  operation: Readonly<BatchOperation>,
  item: BatchOperationItem,
  retry: boolean,
  commands: BatchItemCommands,
  source: BatchOperationItemSource,
): Promise<BatchOperationItemOutcome> {
  try {
    await send(operation, item, commands, source);
    return { itemKey: item.itemKey, state: 'COMPLETED' };
  } catch (error) {
    if (isTransient(error)) throw error;
    if (retry && (await hadEffect(operation, item, error as BatonError, source)))
      return { itemKey: item.itemKey, state: 'COMPLETED' };
    return { itemKey: item.itemKey, state: 'FAILED', errorMessage: (error as Error).message };
  }
}

async function send(
  operation: Readonly<BatchOperation>,
  item: BatchOperationItem,
  commands: BatchItemCommands,
  source: BatchOperationItemSource,
): Promise<void> {
  switch (operation.batchOperationType) {
    case 'CANCEL_PROCESS_INSTANCE':
      return commands.cancelInstance(item.processInstanceKey);
    case 'RESOLVE_INCIDENT': {
      try {
        return await commands.resolveIncident(item.itemKey);
      } catch (error) {
        // A job incident needs retries first, as Operate's resolution gives it (one retry).
        if (!(error instanceof BatonError) || error.code !== 'INVALID_STATE') throw error;
        const jobKey = await source.jobOfIncident(item.itemKey);
        if (jobKey === undefined) throw error;
        await commands.updateJobRetries(jobKey, 1);
        return commands.resolveIncident(item.itemKey);
      }
    }
    case 'MIGRATE_PROCESS_INSTANCE': {
      const plan = operation.migrationPlan!;
      const mapping = Object.fromEntries(
        plan.mappingInstructions.map((m) => [m.sourceElementId, m.targetElementId]),
      );
      return commands.migrateInstance(item.processInstanceKey, plan.targetProcessDefinitionKey, mapping);
    }
    case 'MODIFY_PROCESS_INSTANCE': {
      const moves = operation.moveInstructions ?? [];
      const active = await source.activeElementInstances(
        item.processInstanceKey,
        moves.map((m) => m.sourceElementId),
      );
      if (active.length === 0)
        throw new BatonError(
          'INVALID_STATE',
          `Expected an active instance of ${moves.map((m) => `'${m.sourceElementId}'`).join(', ')} in process instance '${item.processInstanceKey}' to move, but there was none`,
        );
      // Each terminated instance is replaced by one of the target element, in the same flow scope.
      const activate = active.flatMap((instance) =>
        moves
          .filter((m) => m.sourceElementId === instance.elementId)
          .map((m) => ({ elementId: m.targetElementId, ancestorElementInstanceKey: instance.flowScopeKey })),
      );
      return commands.modifyInstance(item.processInstanceKey, {
        activate,
        terminate: active.map((a) => a.elementInstanceKey),
      });
    }
  }
}

/** Whether a rejected re-send found the item's effect there already (the first send did it). */
async function hadEffect(
  operation: Readonly<BatchOperation>,
  item: BatchOperationItem,
  error: BatonError,
  source: BatchOperationItemSource,
): Promise<boolean> {
  switch (operation.batchOperationType) {
    case 'CANCEL_PROCESS_INSTANCE':
    case 'RESOLVE_INCIDENT':
      return error.code === 'NOT_FOUND';
    case 'MIGRATE_PROCESS_INSTANCE':
      return (
        (await source.processDefinitionOf(item.processInstanceKey)) ===
        operation.migrationPlan?.targetProcessDefinitionKey
      );
    case 'MODIFY_PROCESS_INSTANCE':
      // Nothing left at the source elements: the first send moved it.
      return error.code === 'INVALID_STATE' && /to move, but there was none$/.test(error.message);
  }
}
