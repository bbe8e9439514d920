// Example processes shared by the builder's tests. Together they use every element and option.
import { createProcess } from './index.js';
import type { ProcessBuilder } from './index.js';

/** Every element kind and every option, with an exclusive branch, a parallel fork/join and defaults. */
export function everything(): ProcessBuilder {
  return createProcess('everything', { name: 'Every element' })
    .startEvent('start', { name: 'Order received' })
    .serviceTask('charge', {
      name: 'Charge card',
      type: 'payment',
      retries: 5,
      headers: { currency: 'EUR', note: 'says "hi" <&>' },
      inputs: [
        { source: '= order.total', target: 'amount' },
        { source: '= order.customer.id', target: 'customerId' },
      ],
      outputs: [{ source: '= receipt', target: 'receiptId' }],
    })
    .exclusiveGateway('paid', { name: 'Paid?' })
    .condition('= amount > 100', { name: 'large' })
    .sequenceFlowId('large-order')
    .parallelGateway('fork')
    .scriptTask('discount', {
      name: 'Compute discount',
      expression: 'amount * 0.1',
      resultVariable: 'discount',
      inputs: [{ source: '= amount', target: 'amount' }],
      outputs: [{ source: '= discount', target: 'orderDiscount' }],
    })
    .parallelGateway('join')
    .moveToNode('fork')
    .manualTask('pack', { name: 'Pack goods' })
    .connectTo('join')
    .serviceTask('ship', { type: '= "ship-" + region', retries: '= retriesFor(region)' })
    .endEvent('shipped', { name: 'Shipped' })
    .moveToNode('paid')
    .condition('amount <= 100')
    .task('small', { name: 'Small order' })
    .endEvent()
    .moveToLastGateway()
    .defaultFlow({ name: 'otherwise' })
    .endEvent('rejected');
}

/** The model the rendering test draws: a decision, a parallel branch and a join. */
export function branchAndJoin(): ProcessBuilder {
  return createProcess('branch-and-join', { name: 'Branch and join' })
    .startEvent('received', { name: 'Order received' })
    .exclusiveGateway('in-stock', { name: 'In stock?' })
    .condition('= stock >= quantity', { name: 'yes' })
    .parallelGateway('fork')
    .serviceTask('invoice', { name: 'Send invoice', type: 'invoice' })
    .parallelGateway('join')
    .moveToNode('fork')
    .serviceTask('pick', { name: 'Pick items', type: 'pick' })
    .connectTo('join')
    .exclusiveGateway('merge')
    .endEvent('done', { name: 'Order done' })
    .moveToNode('in-stock')
    .defaultFlow({ name: 'no' })
    .serviceTask('backorder', { name: 'Backorder', type: 'backorder' })
    .connectTo('merge');
}

/** A loop: retry until done, drawn with connectTo back to an earlier element. */
export function retryLoop(): ProcessBuilder {
  return createProcess('retry-loop')
    .startEvent()
    .serviceTask('attempt', { type: 'attempt' })
    .exclusiveGateway('ok')
    .condition('= succeeded')
    .endEvent('finished')
    .moveToNode('ok')
    .defaultFlow()
    .scriptTask('count', { expression: '= tries + 1', resultVariable: 'tries' })
    .connectTo('attempt');
}

/**
 * Events, boundary events, a compensation handler, an embedded and an event sub-process, user and
 * call activities, inclusive and event-based gateways: the model the layout and rendering tests draw
 * beside the simple ones.
 */
export function boundariesAndSubProcesses(): ProcessBuilder {
  return createProcess('boundaries-and-sub-processes', { name: 'Boundaries and sub-processes' })
    .eventSubProcess('on-cancel', { name: 'Cancel' }, (sub) =>
      sub
        .startEvent('cancel-requested', { message: { name: 'cancel', correlationKey: '= orderId' } })
        .endEvent('cancelled', { terminate: true }),
    )
    .startEvent('received', { name: 'Order received' })
    .serviceTask('reserve', { name: 'Reserve stock', type: 'reserve' })
    .boundaryEvent('undo-reserve', { compensation: true })
    .serviceTask('release', { name: 'Release stock', type: 'release' })
    .moveToNode('reserve')
    .subProcess('payment', { name: 'Payment' }, (sub) =>
      sub
        .startEvent('pay-start')
        .serviceTask('charge', { name: 'Charge', type: 'charge' })
        .boundaryEvent('declined', { error: 'DECLINED' })
        .endEvent('pay-failed', { error: 'PAYMENT_FAILED' })
        .moveToNode('charge')
        .endEvent('pay-end'),
    )
    .boundaryEvent('payment-failed', { name: 'Payment failed', error: 'PAYMENT_FAILED' })
    .intermediateThrowEvent('compensate', { compensation: true })
    .endEvent('failed', { name: 'Failed' })
    .moveToNode('payment')
    .boundaryEvent('slow', { timer: { duration: 'PT1H' }, interrupting: false })
    .userTask('check', { name: 'Check payment', candidateGroups: ['finance'] })
    .endEvent('checked')
    .moveToNode('payment')
    .inclusiveGateway('extras')
    .condition('= gift')
    .callActivity('wrap', { name: 'Wrap gift', processId: 'gift-wrapping' })
    .inclusiveGateway('extras-done')
    .moveToNode('extras')
    .defaultFlow()
    .task('no-extras')
    .connectTo('extras-done')
    .eventBasedGateway('wait')
    .intermediateCatchEvent('picked-up', { message: { name: 'picked-up', correlationKey: '= orderId' } })
    .endEvent('done', { name: 'Done' })
    .moveToNode('wait')
    .intermediateCatchEvent('a-week', { timer: { duration: 'P7D' } })
    .endEvent('returned');
}
