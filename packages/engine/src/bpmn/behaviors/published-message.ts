import type { ProcessingContext } from '../../processing/processing-context.js';
import type { MessageRecordValue } from '../../records/message.js';
import { correlateMessage } from './message-correlation.js';
import { startInstanceAt } from './start-instance.js';

/**
 * A message was published: it correlates to every open subscription of its name and correlation key, at
 * most one per process instance, and (on the deployment partition) starts each process whose latest
 * version has a message start event of that name. Returns the process ids it reached.
 */
export function correlatePublishedMessage(
  ctx: ProcessingContext,
  messageKey: string,
  message: MessageRecordValue,
): void {
  const reachedInstances = new Set<string>();
  for (const subscription of ctx.state.waits.subscriptionsFor(message.name, message.correlationKey)) {
    if (reachedInstances.has(subscription.value.processInstanceKey)) continue;
    if (ctx.state.elementInstance(subscription.value.elementInstanceKey)?.state !== 'ELEMENT_ACTIVATED')
      continue;
    reachedInstances.add(subscription.value.processInstanceKey);
    correlateMessage(ctx, subscription, messageKey, message);
  }
  if (ctx.state.partitionId !== 1) return;
  for (const definition of ctx.state.latestProcesses()) {
    const start = (definition.executable.elements[definition.bpmnProcessId]?.eventStartEventIds ?? [])
      .map((id) => definition.executable.elements[id]!)
      .find(
        (e) =>
          e.eventDefinition?.kind === 'message' &&
          e.eventDefinition.messageName.kind === 'static' &&
          e.eventDefinition.messageName.value === message.name,
      );
    if (!start) continue;
    const instance = startInstanceAt(ctx, definition, start.id, message.variables);
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'MESSAGE_SUBSCRIPTION',
      intent: 'CORRELATED',
      value: {
        elementInstanceKey: '-1',
        processInstanceKey: instance.key,
        processDefinitionKey: definition.key,
        bpmnProcessId: definition.bpmnProcessId,
        targetElementId: start.id,
        messageName: message.name,
        correlationKey: message.correlationKey,
        interrupting: true,
        messageKey,
        variables: message.variables,
      },
    });
  }
}
