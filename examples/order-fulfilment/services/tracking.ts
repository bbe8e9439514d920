import type { Engine } from '@baton-engine/baton';
import type { InboundConfigInput } from '@baton-engine/connectors';

/**
 * The tracking service of the choreography: its flow (models/tracking-flow.ts) only listens to events; this
 * worker turns an SLA breach into an incident an operator sees in the cockpit. Once an operator has looked
 * at it (updated the retries and resolved the incident), the task completes.
 */
export function startTrackingWorker(engine: Engine): void {
  engine.createWorker<{ orderId: string; placedAt?: string; sla?: string }>({
    type: 'tracking.sla-breached',
    handler: async (job) => {
      if (job.errorMessage) return {}; // an operator resolved the incident: acknowledged
      await job.fail(
        `SLA breached: order ${job.variables.orderId} (placed ${job.variables.placedAt ?? '?'}) is not shipped within ${job.variables.sla ?? 'its SLA'}`,
        { retries: 0 },
      );
    },
  });
}

/** The tracking flow starts for every choreographed order. */
export function trackingSubscriptions(sla: string): InboundConfigInput[] {
  return [
    {
      name: 'tracking: order placed (choreography)',
      subject: 'orders.placed',
      group: 'tracking.orders',
      activationCondition: '=data.mode = "choreographed"',
      correlate: {
        messageName: 'tracking.order-placed',
        correlationKey: '=data.orderId',
        variables: `={ orderId: data.orderId, customerId: data.customerId, placedAt: time, sla: "${sla}" }`,
      },
    },
  ];
}
