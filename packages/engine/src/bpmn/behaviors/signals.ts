import type { ProcessingContext } from '../../processing/processing-context.js';
import type { SignalRecordValue } from '../../records/signal.js';
import { triggerEvent } from './event-triggers.js';
import { startInstanceAt } from './start-instance.js';

/**
 * Broadcasts a signal on this partition: writes SIGNAL BROADCASTED (the runtime forwards a non-distributed
 * one to the other partitions), triggers every subscription of that name, and on the deployment partition
 * starts each process whose latest version has a signal start event of that name.
 */
export function triggerSignal(ctx: ProcessingContext, key: string, signal: SignalRecordValue) {
  const record = ctx.appendEvent(key, { valueType: 'SIGNAL', intent: 'BROADCASTED', value: signal });
  for (const subscription of ctx.state.waits.signalSubscriptionsFor(signal.signalName)) {
    triggerEvent(
      ctx,
      subscription.value.elementInstanceKey,
      subscription.value.targetElementId,
      signal.variables,
    );
  }
  if (ctx.state.partitionId === 1) {
    for (const definition of ctx.state.latestProcesses()) {
      const starts = (definition.executable.elements[definition.bpmnProcessId]?.eventStartEventIds ?? [])
        .map((id) => definition.executable.elements[id]!)
        .filter(
          (e) =>
            e.eventDefinition?.kind === 'signal' &&
            e.eventDefinition.signalName.kind === 'static' &&
            e.eventDefinition.signalName.value === signal.signalName,
        );
      for (const start of starts) startInstanceAt(ctx, definition, start.id, signal.variables);
    }
  }
  return record;
}
