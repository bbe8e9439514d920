import type {
  BatchOperation,
  BatchOperationItemEntry,
  FormRecordValue,
  ReadonlyEngineState,
} from '@baton-engine/engine';
import { isKey } from '@baton-engine/engine';
import type { Form } from '../api-types.js';
import { BatonError } from '../errors.js';

/**
 * A question about one partition's state that its leader answers (in a cluster, for a node that does not
 * lead it): forms as its deployments and user tasks have them, and the batch operations it owns.
 */
export type PartitionRead =
  | { readonly kind: 'form'; readonly formKey: string }
  | { readonly kind: 'latest-form'; readonly formId: string }
  | { readonly kind: 'start-form'; readonly processDefinitionKey: string }
  | { readonly kind: 'user-task-form'; readonly userTaskKey: string }
  | { readonly kind: 'batch-operation'; readonly batchOperationKey: string }
  | { readonly kind: 'batch-operations'; readonly withItems: boolean };

/** A batch operation as it travels between nodes: its items as a list (JSON has no Map). */
export type BatchOperationOnWire = Omit<BatchOperation, 'items'> & { items: BatchOperationItemEntry[] };

/** What a partition answers: a form or a batch operation (`null` for none), or a partition's batch operations. */
export type PartitionReadAnswer = Form | BatchOperationOnWire | BatchOperationOnWire[] | null;

/** Answers a read from a partition's state; NOT_FOUND where the engine's own method says so. */
export function answerRead(state: ReadonlyEngineState, read: PartitionRead): PartitionReadAnswer {
  switch (read.kind) {
    case 'form':
      return formAnswer(state.forms.byKey(read.formKey));
    case 'latest-form':
      return formAnswer(state.forms.latest(read.formId));
    case 'start-form':
      return startFormOf(state, read.processDefinitionKey) ?? null;
    case 'user-task-form':
      return userTaskFormOf(state, read.userTaskKey) ?? null;
    case 'batch-operation': {
      const operation = state.batchOperations.get(read.batchOperationKey);
      return operation ? toWire(operation, true) : null;
    }
    case 'batch-operations':
      return [...state.batchOperations.all()].map((operation) => toWire(operation, read.withItems));
  }
}

/**
 * The start form of a process definition of this partition: the latest version of the form its none start
 * event links to. NOT_FOUND when the partition has no such definition; undefined when it links no form.
 */
export function startFormOf(state: ReadonlyEngineState, processDefinitionKey: string): Form | undefined {
  const definition = state.processByKey(processDefinitionKey);
  if (!definition)
    throw new BatonError(
      'NOT_FOUND',
      `Expected to find a process definition with key '${processDefinitionKey}', but none was found`,
    );
  const { elements, bpmnProcessId } = definition.executable;
  const start = elements[elements[bpmnProcessId]?.noneStartEventId ?? ''];
  const formId = start?.startForm?.formId;
  const form = formId === undefined ? undefined : state.forms.latest(formId);
  return form && formOf(form);
}

/** The linked form of an open user task of this partition; NOT_FOUND when there is no such task. */
export function userTaskFormOf(state: ReadonlyEngineState, userTaskKey: string): Form | undefined {
  const task = state.userTask(userTaskKey);
  if (!task)
    throw new BatonError(
      'NOT_FOUND',
      `Expected to find an open user task with key '${userTaskKey}', but none was found`,
    );
  const form = isKey(task.value.formKey) ? state.forms.byKey(task.value.formKey) : undefined;
  return form && formOf(form);
}

export function formOf(form: FormRecordValue): Form {
  return {
    formId: form.formId,
    version: form.version,
    formKey: form.formKey,
    versionTag: form.versionTag,
    resourceName: form.resourceName,
    deploymentKey: form.deploymentKey,
    schema: form.resource,
  };
}

function formAnswer(form: FormRecordValue | undefined): Form | null {
  return form ? formOf(form) : null;
}

function toWire(operation: Readonly<BatchOperation>, withItems: boolean): BatchOperationOnWire {
  return { ...operation, items: withItems ? [...operation.items.values()] : [] };
}

/** A batch operation as another node sent it, with its items by key again. */
export function fromWire(operation: BatchOperationOnWire): Readonly<BatchOperation> {
  return { ...operation, items: new Map(operation.items.map((item) => [item.itemKey, item])) };
}
