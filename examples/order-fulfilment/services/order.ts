import type { InboundConfigInput } from '@baton-engine/connectors';

/** The order service: its flow runs in Baton (models/order-flow.ts); it starts for every orchestrated order. */
export function orderSubscriptions(): InboundConfigInput[] {
  return [
    {
      name: 'order: order placed (orchestration)',
      subject: 'orders.placed',
      group: 'order.orders',
      activationCondition: '=data.mode = "orchestrated"',
      correlate: {
        messageName: 'order.placed',
        correlationKey: '=data.orderId',
        variables:
          '={ orderId: data.orderId, customerId: data.customerId, items: data.items, amount: data.amount, mode: data.mode, traceId: traceId }',
      },
    },
  ];
}

/**
 * The services' result events, as BPMN messages named after their type and correlated by order id: the order
 * flow and the tracking flow (and the payment flow, for nothing) wait for them.
 */
export function resultSubscriptions(): InboundConfigInput[] {
  return ['payment.events', 'inventory.events', 'shipping.events'].map((subject) => ({
    name: `results: ${subject}`,
    subject,
    group: `baton.${subject}`,
    correlate: { messageName: '=type', correlationKey: '=data.orderId', variables: '=data' },
  }));
}
