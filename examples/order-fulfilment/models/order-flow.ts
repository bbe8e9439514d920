import { createProcess } from '@baton-engine/baton';
import type { ProcessBuilder } from '@baton-engine/baton';
import { publish } from './publish.js';

export interface OrderFlowOptions {
  /** The one model change of "fetch goods before payment". */
  readonly fetchGoodsFirst?: boolean;
  /** How long the order waits for the payment service's answer (payment may wait 14 days for a new card). */
  readonly paymentTimeout?: string;
  readonly fetchTimeout?: string;
  readonly shippingTimeout?: string;
}

const order = '={ orderId: orderId, customerId: customerId, items: items, amount: amount, mode: mode }';

/**
 * The order service's flow (orchestration): retrieve payment → fetch goods → ship goods, each a command on the
 * bus and a wait for the result event, with a timeout. A failure compensates what was done (refund, return
 * goods) and cancels the order. The payment service's answer is only ever "received" or "failed".
 */
export function orderFlow(options: OrderFlowOptions = {}) {
  const failures: string[] = [];
  const reason = (text: string) => [{ source: `="${text}"`, target: 'cancelReason' }];

  const retrievePayment = (flow: ProcessBuilder) =>
    flow
      .sendTask('retrieve-payment', {
        name: 'Retrieve payment',
        ...publish('order', 'payment.commands', 'payment.retrieve', order),
      })
      .boundaryEvent('undo-payment', { compensation: true })
      .sendTask('refund-payment', {
        name: 'Refund payment',
        ...publish(
          'order',
          'payment.commands',
          'payment.refund',
          '={ orderId: orderId, customerId: customerId }',
        ),
      })
      .moveToNode('retrieve-payment')
      .eventBasedGateway('await-payment')
      .intermediateCatchEvent('payment-failed', {
        name: 'Payment failed',
        message: { name: 'payment.failed', correlationKey: '=orderId' },
        outputs: reason('payment failed'),
      })
      .moveToNode('await-payment')
      .intermediateCatchEvent('payment-timeout', {
        name: 'No answer',
        timer: { duration: options.paymentTimeout ?? 'P16D' },
        outputs: reason('no answer from payment'),
      })
      .moveToNode('await-payment')
      .intermediateCatchEvent('payment-received', {
        name: 'Payment received',
        message: { name: 'payment.received', correlationKey: '=orderId' },
      });

  const fetchGoods = (flow: ProcessBuilder) =>
    flow
      .sendTask('fetch-goods', {
        name: 'Fetch goods',
        ...publish('order', 'inventory.commands', 'inventory.fetch-goods', order),
      })
      .boundaryEvent('undo-fetch', { compensation: true })
      .sendTask('return-goods', {
        name: 'Return goods',
        ...publish('order', 'inventory.commands', 'inventory.return-goods', '={ orderId: orderId }'),
      })
      .moveToNode('fetch-goods')
      .eventBasedGateway('await-goods')
      .intermediateCatchEvent('goods-unavailable', {
        name: 'Goods unavailable',
        message: { name: 'goods.unavailable', correlationKey: '=orderId' },
        outputs: reason('goods unavailable'),
      })
      .moveToNode('await-goods')
      .intermediateCatchEvent('fetch-timeout', {
        name: 'No answer',
        timer: { duration: options.fetchTimeout ?? 'PT1H' },
        outputs: reason('no answer from inventory'),
      })
      .moveToNode('await-goods')
      .intermediateCatchEvent('goods-fetched', {
        name: 'Goods fetched',
        message: { name: 'goods.fetched', correlationKey: '=orderId' },
      });

  let flow: ProcessBuilder = createProcess('order-fulfilment', {
    name: 'Order fulfilment (orchestrated)',
  }).startEvent('order-placed', { name: 'Order placed', message: 'order.placed' });
  const steps = options.fetchGoodsFirst ? [fetchGoods, retrievePayment] : [retrievePayment, fetchGoods];
  for (const step of steps) flow = step(flow);
  failures.push(
    'payment-failed',
    'payment-timeout',
    'goods-unavailable',
    'fetch-timeout',
    'shipping-timeout',
  );

  flow = flow
    .sendTask('ship-goods', {
      name: 'Ship goods',
      ...publish('order', 'shipping.commands', 'shipping.ship-goods', order),
    })
    .eventBasedGateway('await-shipping')
    .intermediateCatchEvent('shipping-timeout', {
      name: 'No answer',
      timer: { duration: options.shippingTimeout ?? 'P2D' },
      outputs: reason('no answer from shipping'),
    })
    .moveToNode('await-shipping')
    .intermediateCatchEvent('goods-shipped', {
      name: 'Goods shipped',
      message: { name: 'goods.shipped', correlationKey: '=orderId' },
    })
    .endEvent('order-completed', {
      name: 'Order completed',
      message: publish(
        'order',
        'orders.events',
        'order.completed',
        '={ orderId: orderId, customerId: customerId, trackingId: trackingId, mode: mode }',
      ),
    });

  // Every failure undoes what was done (in reverse order) and cancels the order.
  const [first, ...others] = failures;
  flow = flow
    .moveToNode(first!)
    .intermediateThrowEvent('undo-order', { name: 'Undo what was done', compensation: true })
    .endEvent('order-cancelled', {
      name: 'Order cancelled',
      message: publish(
        'order',
        'orders.events',
        'order.cancelled',
        '={ orderId: orderId, customerId: customerId, reason: cancelReason, mode: mode }',
      ),
    });
  for (const failure of others) flow = flow.moveToNode(failure).connectTo('undo-order');
  return flow.done();
}
