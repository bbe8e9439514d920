import { createProcess } from '@baton-engine/baton';

export interface TrackingFlowOptions {
  /** How long an order may take from placed to shipped before an SLA incident is raised. */
  readonly sla?: string;
}

/**
 * The choreography's tracking flow: it commands nothing. It starts when an order is placed and only listens to
 * the services' events (in any order); when the order takes longer than the SLA it raises an incident, and it
 * ends when the goods are shipped or the order failed.
 */
export function trackingFlow(options: TrackingFlowOptions = {}) {
  const wait = (name: string) => ({ message: { name, correlationKey: '=orderId' } });
  return createProcess('order-tracking', { name: 'Order tracking (choreography)' })
    .startEvent('order-placed', { name: 'Order placed', message: 'tracking.order-placed' })
    .subProcess('on-its-way', { name: 'Order on its way' }, (sub) =>
      sub
        .startEvent('tracking-started')
        .parallelGateway('any-order')
        .intermediateCatchEvent('payment-received', { name: 'Payment received', ...wait('payment.received') })
        .parallelGateway('all-done')
        .endEvent('delivered')
        .moveToNode('any-order')
        .intermediateCatchEvent('goods-fetched', { name: 'Goods fetched', ...wait('goods.fetched') })
        .connectTo('all-done')
        .moveToNode('any-order')
        .intermediateCatchEvent('goods-shipped', { name: 'Goods shipped', ...wait('goods.shipped') })
        .connectTo('all-done'),
    )
    .endEvent('order-delivered', { name: 'Order delivered' })
    .moveToNode('on-its-way')
    .boundaryEvent('payment-failed', { name: 'Payment failed', ...wait('payment.failed') })
    .endEvent('order-failed', { name: 'Order failed' })
    .moveToNode('on-its-way')
    .boundaryEvent('goods-unavailable', { name: 'Goods unavailable', ...wait('goods.unavailable') })
    .endEvent('order-not-fulfilled', { name: 'Order not fulfilled' })
    .moveToNode('on-its-way')
    .boundaryEvent('sla-breached', {
      name: 'SLA',
      timer: { duration: options.sla ?? 'PT30S' },
      interrupting: false,
    })
    .serviceTask('raise-sla-incident', {
      name: 'Raise SLA incident',
      type: 'tracking.sla-breached',
      retries: 1,
    })
    .endEvent('sla-handled', { name: 'SLA breach handled' })
    .done();
}
