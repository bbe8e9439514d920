import { createProcess } from '@baton-engine/baton';
import { BUS_PUBLISH_JOB_TYPE } from '../config.js';

const type = BUS_PUBLISH_JOB_TYPE;

/** A send task that announces an order on `orders.placed`. */
export const announceOrder = () =>
  createProcess('announce-order')
    .startEvent('placed')
    .sendTask('announce', {
      type,
      headers: {
        subject: 'orders.placed',
        messageType: 'order.placed',
        payload: '={ orderId: orderId, total: total }',
        correlationId: '=orderId',
        traceId: '=traceId',
        resultVariable: 'announced',
      },
    })
    .endEvent('done')
    .done();

/** Work first (a service task), then a message throw event and a message end event. */
export const workThenNotify = () =>
  createProcess('work-then-notify')
    .startEvent('start')
    .serviceTask('work', { type: 'work' })
    .intermediateThrowEvent('worked', {
      message: { type, headers: { subject: 'orders.worked', payload: '={ orderId: orderId }' } },
    })
    .endEvent('finished', {
      message: {
        type,
        headers: { subject: 'orders.finished', messageType: 'order.finished', payload: '=orderId' },
      },
    })
    .done();

/** Asks for a payment on the bus and waits for the answer, then says the order is paid. */
export const payOrder = () =>
  createProcess('pay-order')
    .startEvent('start')
    .sendTask('request-payment', {
      type,
      headers: {
        subject: 'payment.requested',
        messageType: 'payment.requested',
        payload: '={ orderId: orderId, amount: amount }',
        correlationId: '=orderId',
      },
    })
    .intermediateCatchEvent('paid', { message: { name: 'payment.received', correlationKey: '=orderId' } })
    .endEvent('order-paid', {
      message: {
        type,
        headers: {
          subject: 'orders.paid',
          messageType: 'order.paid',
          payload: '={ orderId: orderId, receipt: receipt }',
          correlationId: '=orderId',
        },
      },
    })
    .done();

/** Started by a message (from the bus), then waits for a service task. */
export const startedByMessage = () =>
  createProcess('started-by-message')
    .startEvent('order-placed', { message: 'order.placed' })
    .serviceTask('handle', { type: 'handle' })
    .endEvent('handled')
    .done();
