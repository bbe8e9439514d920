import { createProcess } from '@baton-engine/baton';
import { publish } from './publish.js';

export interface PaymentFlowOptions {
  /** How long a customer has to update a declined card (default 14 days). */
  readonly cardUpdateTimeout?: string;
  /** Attempts to charge the card on transient failures (with the worker's back-off: hours). */
  readonly chargeRetries?: number;
}

/**
 * The payment service's own long-running flow: deduct customer credit, charge the card for the rest (retrying
 * transient failures for hours); a declined card makes it ask the customer for a new one and wait up to 14
 * days; if none comes, the credit deduction is compensated (saga) and the answer is "payment failed".
 */
export function paymentFlow(options: PaymentFlowOptions = {}) {
  return createProcess('payment', { name: 'Payment' })
    .startEvent('payment-requested', { name: 'Payment requested', message: 'payment.retrieve' })
    .serviceTask('deduct-credit', { name: 'Deduct customer credit', type: 'payment.deduct-credit' })
    .boundaryEvent('undo-credit', { compensation: true })
    .serviceTask('refund-credit', { name: 'Give the credit back', type: 'payment.refund-credit' })
    .moveToNode('deduct-credit')
    .exclusiveGateway('card-needed', { name: 'Rest to pay?' })
    .condition('= remaining > 0', { name: 'yes' })
    .serviceTask('charge-card', {
      name: 'Charge credit card',
      type: 'payment.charge-card',
      retries: options.chargeRetries ?? 30,
    })
    .exclusiveGateway('paid')
    .endEvent('payment-received', {
      name: 'Payment received',
      message: publish(
        'payment',
        'payment.events',
        'payment.received',
        '={ orderId: orderId, customerId: customerId, amount: amount, creditUsed: creditUsed, charged: remaining, mode: mode }',
      ),
    })
    .moveToNode('card-needed')
    .defaultFlow({ name: 'no' })
    .connectTo('paid')
    .moveToNode('charge-card')
    .boundaryEvent('card-declined', { name: 'Card declined', error: 'CARD_DECLINED' })
    .sendTask('ask-for-new-card', {
      name: 'Ask customer to update card',
      ...publish(
        'payment',
        'notification.commands',
        'notification.card-update-requested',
        '={ orderId: orderId, customerId: customerId, amount: remaining }',
      ),
    })
    .eventBasedGateway('await-card')
    .intermediateCatchEvent('card-updated', {
      name: 'Card updated',
      message: { name: 'card.updated', correlationKey: '=orderId' },
    })
    .connectTo('charge-card')
    .moveToNode('await-card')
    .intermediateCatchEvent('no-new-card', {
      name: `${options.cardUpdateTimeout ?? 'P14D'} passed`,
      timer: { duration: options.cardUpdateTimeout ?? 'P14D' },
    })
    .intermediateThrowEvent('undo-payment', { name: 'Undo the credit deduction', compensation: true })
    .endEvent('payment-failed', {
      name: 'Payment failed',
      message: publish(
        'payment',
        'payment.events',
        'payment.failed',
        '={ orderId: orderId, customerId: customerId, reason: "card declined and not updated", mode: mode }',
      ),
    })
    .done();
}
