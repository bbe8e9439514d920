import { createProcess } from '@baton/builder';

/** The sample process `npm start` deploys: an order that is paid, then (in parallel) packed and invoiced. */
export const sampleOrder = createProcess('order', { name: 'Order fulfilment' })
  .startEvent('orderPlaced', { name: 'Order placed' })
  .serviceTask('payment', { name: 'Retrieve payment', type: 'payment', retries: 3 })
  .exclusiveGateway('paid', { name: 'Paid?' })
  .condition('= paid', { name: 'yes' })
  .parallelGateway('fork')
  .serviceTask('fetchGoods', { name: 'Fetch goods', type: 'inventory' })
  .parallelGateway('join')
  .serviceTask('ship', { name: 'Ship goods', type: 'shipping' })
  .endEvent('delivered', { name: 'Order delivered' })
  .moveToNode('fork')
  .scriptTask('invoice', {
    name: 'Write invoice',
    expression: '= {number: "INV-" + string(orderId), total: total}',
    resultVariable: 'invoice',
  })
  .connectTo('join')
  .moveToNode('paid')
  .defaultFlow({ name: 'no' })
  .endEvent('cancelled', { name: 'Order cancelled' })
  .done();
