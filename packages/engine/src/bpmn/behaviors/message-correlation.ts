import type { ProcessingContext } from '../../processing/processing-context.js';
import type { MessageRecordValue } from '../../records/message.js';
import { MessageSubscription } from '../../state/wait-state.js';
import type { ElementContext } from '../element-context.js';
import { triggerEvent } from './event-triggers.js';

/** Writes the correlation of a message to a subscription and triggers the event it waits for. */
export function correlateMessage(
  ctx: ProcessingContext,
  subscription: MessageSubscription,
  messageKey: string,
  message: MessageRecordValue,
): void {
  ctx.appendEvent(subscription.key, {
    valueType: 'MESSAGE_SUBSCRIPTION',
    intent: 'CORRELATED',
    value: { ...subscription.value, messageKey, variables: message.variables },
  });
  triggerEvent(
    ctx,
    subscription.value.elementInstanceKey,
    subscription.value.targetElementId,
    message.variables,
  );
}

/**
 * An element instance just opened message subscriptions: a buffered message that matches one and was not
 * yet correlated to this process correlates now (a message may be published before anyone waits for it).
 */
export function correlateBufferedMessages(ctx: ProcessingContext, el: ElementContext): void {
  const waits = ctx.state.waits;
  for (const subscription of waits.waitsOf(el.key)) {
    if (!(subscription instanceof MessageSubscription)) continue;
    const { messageName, correlationKey, bpmnProcessId } = subscription;
    const message = waits
      .bufferedMessages(messageName, correlationKey)
      .find((m) => m.value.deadline > ctx.timestamp && !m.correlatedProcesses.includes(bpmnProcessId));
    if (!message) continue;
    correlateMessage(ctx, subscription, message.key, message.value);
    if (ctx.state.elementInstance(el.key)?.state !== 'ELEMENT_ACTIVATED' || subscription.value.interrupting)
      return;
  }
}
