import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import type { ElementInstance, ProcessDefinition } from '../../state/types.js';
import { compensationProblem, migrateCompensations, migrateWaits, waitsProblem } from './migrate-waits.js';
import { innerInstanceIdOf } from '../../model/compile-ad-hoc.js';

/**
 * MIGRATE: moves a running instance to another process definition. Every active element instance must be
 * mapped to an element of the same type, in the mapped flow scope; a multi-instance body to a multi-instance
 * activity of the same kind (parallel or sequential); what an element waits for (timers, messages, signals,
 * its boundary events, event sub-process starts) to events of the same kind (boundary events and event
 * sub-process starts map to the same id unless mapped). A call activity keeps its running child. Nothing
 * changes unless all is safe.
 */
export const migrateProcessInstance: CommandProcessor<'PROCESS_INSTANCE_MIGRATION:MIGRATE'> = (
  command,
  ctx,
) => {
  const { value } = command;
  const root = ctx.state.elementInstance(value.processInstanceKey);
  if (!root || root.value.flowScopeKey !== '-1') {
    ctx.reject(
      'NOT_FOUND',
      `Expected to migrate process instance '${value.processInstanceKey}', but no such process instance was found`,
    );
    return;
  }
  const target = ctx.state.processByKey(value.targetProcessDefinitionKey);
  if (!target) {
    ctx.reject(
      'NOT_FOUND',
      `Expected to migrate to process definition '${value.targetProcessDefinitionKey}', but it was not found`,
    );
    return;
  }
  const mapping = new Map(
    (value.mappingInstructions ?? []).map((m) => [m.sourceElementId, m.targetElementId]),
  );
  mapping.set(root.value.elementId, target.bpmnProcessId);
  // As in Zeebe, the inner instances of an ad-hoc sub-process follow the sub-process's mapping.
  for (const [sourceId, targetId] of [...mapping]) {
    const inner = innerInstanceIdOf(sourceId);
    if (!mapping.has(inner)) mapping.set(inner, innerInstanceIdOf(targetId));
  }
  const instances = [root, ...descendants(ctx, root.key)];
  const problem =
    instances.map((i) => unsafe(ctx, i, target, mapping)).find(Boolean) ??
    instances.map((i) => compensationProblem(ctx, i.key, target, mapping)).find(Boolean);
  if (problem) {
    ctx.reject('INVALID_STATE', `Expected to migrate process instance '${root.key}', but ${problem}`);
    return;
  }
  for (const instance of instances) {
    migrateWaits(ctx, instance, target, mapping);
    migrateCompensations(ctx, instance.key, target, mapping);
    const elementId = mapping.get(instance.value.elementId)!;
    const migrated = {
      ...instance.value,
      elementId,
      bpmnProcessId: target.bpmnProcessId,
      version: target.version,
      processDefinitionKey: target.key,
    };
    ctx.appendEvent(instance.key, {
      valueType: 'PROCESS_INSTANCE',
      intent: 'ELEMENT_MIGRATED',
      value: migrated,
    });
    const common = { elementId, bpmnProcessId: target.bpmnProcessId, processDefinitionKey: target.key };
    const job = instance.jobKey === undefined ? undefined : ctx.state.job(instance.jobKey);
    if (job) {
      ctx.appendEvent(job.key, {
        valueType: 'JOB',
        intent: 'MIGRATED',
        value: { ...job.value, ...common, processDefinitionVersion: target.version },
      });
    }
    const task = instance.userTaskKey === undefined ? undefined : ctx.state.userTask(instance.userTaskKey);
    if (task) {
      ctx.appendEvent(task.key, {
        valueType: 'USER_TASK',
        intent: 'MIGRATED',
        value: { ...task.value, ...common, processDefinitionVersion: target.version },
      });
    }
    const incident =
      ctx.state.incidentOfElementInstance(instance.key) ??
      (job ? ctx.state.incidentOfJob(job.key) : undefined);
    if (incident)
      ctx.appendEvent(incident.key, {
        valueType: 'INCIDENT',
        intent: 'MIGRATED',
        value: { ...incident.value, ...common },
      });
  }
  ctx.respond(
    ctx.appendEvent(ctx.nextKey(), { valueType: 'PROCESS_INSTANCE_MIGRATION', intent: 'MIGRATED', value }),
  );
};

function descendants(ctx: ProcessingContext, key: string): Readonly<ElementInstance>[] {
  const out = [...ctx.state.childrenOf(key)];
  for (let i = 0; i < out.length; i++) out.push(...ctx.state.childrenOf(out[i]!.key));
  return out;
}

/** Why an element instance cannot be migrated with this mapping, or undefined when it can. */
function unsafe(
  ctx: ProcessingContext,
  instance: Readonly<ElementInstance>,
  target: ProcessDefinition,
  mapping: Map<string, string>,
): string | undefined {
  const sourceId = instance.value.elementId;
  const targetId = mapping.get(sourceId);
  if (targetId === undefined) return `the active element '${sourceId}' is not mapped`;
  const targetElement = target.executable.elements[targetId];
  if (!targetElement)
    return `the element '${targetId}' (mapped from '${sourceId}') does not exist in the target`;
  const sourceType = instance.value.bpmnElementType;
  const source = ctx.state.processByKey(instance.value.processDefinitionKey);
  if (sourceType === 'MULTI_INSTANCE_BODY') {
    const sequential = source?.executable.elements[sourceId]?.multiInstance?.sequential;
    if (targetElement.multiInstance?.sequential !== sequential) {
      return targetElement.multiInstance
        ? `the multi-instance activity '${sourceId}' is mapped to '${targetId}', which is ${sequential ? 'parallel' : 'sequential'}`
        : `the multi-instance activity '${sourceId}' is mapped to '${targetId}', which is not multi-instance`;
    }
  } else if (targetElement.type !== sourceType) {
    return `the element '${sourceId}' (${sourceType}) is mapped to '${targetId}' of another type (${targetElement.type})`;
  }
  const scope =
    instance.value.flowScopeKey === '-1' ? undefined : ctx.state.elementInstance(instance.value.flowScopeKey);
  // The inner instances of a multi-instance body stay in it; other elements must keep their mapped scope.
  const expectedScope =
    scope?.value.bpmnElementType === 'MULTI_INSTANCE_BODY' ? targetId : targetElement.flowScopeId;
  if (scope && mapping.get(scope.value.elementId) !== expectedScope) {
    return `the element '${sourceId}' would move to another flow scope ('${targetElement.flowScopeId}')`;
  }
  return waitsProblem(ctx, instance, target, mapping);
}
