import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { MemoryBroker } from '@baton-engine/connectors';
import { silentLog } from '@baton-engine/connectors';
import { createTestEngine } from '@baton-engine/baton/testing';
import type { OrderView } from './services/checkout.js';
import type { SampleOptions } from './sample.js';
import { startSample } from './sample.js';

/** The sample on an in-memory engine whose clock moves only when told, and an in-process bus. */
async function start(t: TestContext, options: SampleOptions = {}) {
  const harness = await createTestEngine({ waitTimeout: 5_000 });
  const broker = new MemoryBroker();
  const sample = await startSample(harness.engine, () => broker.connect(), {
    carrier: async () => undefined,
    connectorLog: silentLog,
    ...options,
  });
  t.after(async () => {
    await sample.stop();
    await harness.close();
  });
  const instanceOf = (processId: string, order: OrderView) => {
    const instance = harness.instances(processId).find((i) => harness.variables(i).orderId === order.orderId);
    assert.ok(instance, `a ${processId} instance for ${order.orderId}`);
    return harness.expectInstance(instance);
  };
  return { harness, sample, instanceOf };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const events = (order: OrderView) => order.history.map((h) => h.type);

describe('order fulfilment, orchestrated', () => {
  it('retrieves payment, fetches and ships goods, by commands and result events', async (t) => {
    const { sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'baton', quantity: 2 }], 'orchestrated');
    await until(() => order.done, 'the order to be done');
    assert.equal(order.status, 'completed');
    assert.deepEqual(events(order), [
      'order.placed',
      'payment.received',
      'goods.fetched',
      'goods.shipped',
      'order.completed',
    ]);
    await instanceOf('order-fulfilment', order).toHavePassedInOrder(
      'retrieve-payment',
      'payment-received',
      'fetch-goods',
      'goods-fetched',
      'ship-goods',
      'goods-shipped',
      'order-completed',
    );
    await instanceOf('payment', order).toHavePassedInOrder(
      'deduct-credit',
      'charge-card',
      'payment-received',
    );
    // Alice had 20 € of credit: it was used first, the card paid the other 30 €.
    assert.equal(sample.payment.credit.get('alice'), 0);
    assert.equal(sample.payment.charged.get(order.orderId), 30);
    assert.equal(sample.inventory.stock.get('baton'), 48);
    assert.equal(
      sample.shipping.shipments.get(order.orderId)?.trackingId,
      `TRK-${order.orderId.toUpperCase()}`,
    );
    assert.deepEqual(sample.notification.inbox.get('alice'), [
      `Order ${order.orderId} is on its way (tracking TRK-${order.orderId.toUpperCase()}).`,
      `Order ${order.orderId} is complete. Thank you!`,
    ]);
  });

  it('charges a card that fails transiently again after its back-off, for as long as it takes', async (t) => {
    const { harness, sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('carol', [{ sku: 'stand', quantity: 1 }], 'orchestrated');
    const failures = () =>
      harness.records.filter(
        (r) => r.valueType === 'JOB' && r.intent === 'FAILED' && r.value.type === 'payment.charge-card',
      );
    await until(() => failures().length === 1, 'the first attempt to fail');
    await harness.advanceTime('PT10M');
    await until(() => failures().length === 2, 'the second attempt to fail');
    await harness.advanceTime('PT10M');
    await until(() => order.done, 'the order to be done');
    assert.equal(order.status, 'completed');
    const [first] = failures();
    assert.ok(first?.recordType === 'EVENT' && first.valueType === 'JOB');
    assert.match(first.value.errorMessage, /card gateway timed out/);
    await instanceOf('payment', order).toHavePassed('payment-received');
  });

  it('a declined card: asks for a new one, waits 14 days, compensates the credit and answers "payment failed"', async (t) => {
    const { harness, sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('bob', [{ sku: 'stand', quantity: 1 }], 'orchestrated');
    await until(() => order.waitingForCard, 'the customer to be asked for a new card');
    assert.equal(sample.payment.credit.get('bob'), 0, "Bob's 10 € of credit are deducted meanwhile");
    assert.deepEqual(sample.notification.inbox.get('bob'), [
      `Your card was declined for order ${order.orderId}. Please update it within 14 days.`,
    ]);
    const payment = instanceOf('payment', order);
    await payment.toBeWaitingAt('await-card');

    await harness.advanceTime('P13D');
    await payment.toBeWaitingAt('await-card');
    await harness.advanceTime('P1D');
    await until(() => order.done, 'the order to be cancelled');
    await payment.toHavePassedInOrder('no-new-card', 'refund-credit', 'payment-failed');
    assert.equal(sample.payment.credit.get('bob'), 10, 'the credit deduction was compensated');
    assert.equal(order.status, 'cancelled: payment failed');
    // The order flow only ever saw "failed": none of the payment's inner steps.
    await instanceOf('order-fulfilment', order).toHavePassedInOrder(
      'payment-failed',
      'undo-order',
      'order-cancelled',
    );
    await instanceOf('order-fulfilment', order).not.toHavePassed('fetch-goods');
    assert.equal(sample.inventory.stock.get('stand'), 10);
  });

  it('a declined card the customer updates within 14 days: the charge goes through', async (t) => {
    const { harness, sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('bob', [{ sku: 'stand', quantity: 1 }], 'orchestrated');
    await until(() => order.waitingForCard, 'the customer to be asked for a new card');
    await harness.advanceTime('P3D');
    await sample.checkout.updateCard(order.orderId);
    await until(() => order.done, 'the order to be done');
    assert.equal(order.status, 'completed');
    await instanceOf('payment', order).toHavePassedInOrder('card-updated', 'charge-card', 'payment-received');
    assert.equal(sample.payment.charged.get(order.orderId), 50);
  });

  it('goods unavailable: the payment is refunded (compensation) and the order cancelled', async (t) => {
    const { sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'piano', quantity: 3 }], 'orchestrated');
    await until(() => order.done, 'the order to be done');
    assert.equal(order.status, 'cancelled: goods unavailable');
    await instanceOf('order-fulfilment', order).toHavePassedInOrder(
      'goods-unavailable',
      'refund-payment',
      'order-cancelled',
    );
    await until(() => sample.payment.refunded.has(order.orderId), 'the refund');
    assert.equal(sample.payment.credit.get('alice'), 20);
    assert.equal(sample.payment.charged.has(order.orderId), false);
  });

  it('fetch goods before payment: one change in the model', async (t) => {
    const { sample, instanceOf } = await start(t, { fetchGoodsFirst: true });
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'baton', quantity: 1 }], 'orchestrated');
    await until(() => order.done, 'the order to be done');
    assert.deepEqual(events(order), [
      'order.placed',
      'goods.fetched',
      'payment.received',
      'goods.shipped',
      'order.completed',
    ]);
    await instanceOf('order-fulfilment', order).toHavePassedInOrder(
      'fetch-goods',
      'retrieve-payment',
      'ship-goods',
    );
  });
});

describe('order fulfilment, choreographed', () => {
  it('the services pass the order on by events; the tracking flow follows it to the end', async (t) => {
    const { harness, sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'baton', quantity: 1 }], 'choreographed');
    await until(() => order.done, 'the order to be shipped');
    assert.deepEqual(events(order), ['order.placed', 'payment.received', 'goods.fetched', 'goods.shipped']);
    const tracking = instanceOf('order-tracking', order);
    await tracking.toHaveCompleted();
    await tracking.not.toHavePassed('raise-sla-incident');
    assert.equal(harness.instances('order-fulfilment').length, 0, 'no orchestrating flow ran');
    await instanceOf('payment', order).toHaveCompleted();
  });

  it('goods unavailable after the payment: the payment service refunds on the event, nobody commands it', async (t) => {
    const { sample, instanceOf } = await start(t);
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'piano', quantity: 3 }], 'choreographed');
    await until(() => order.done, 'the order to be done');
    await until(() => events(order).includes('payment.refunded'), 'the refund to be announced');
    assert.deepEqual(events(order), [
      'order.placed',
      'payment.received',
      'goods.unavailable',
      'payment.refunded',
    ]);
    assert.equal(sample.payment.credit.get('alice'), 20, 'the credit is back');
    assert.deepEqual(
      sample.payment.ledger.map((e) => [e.kind, e.amount]),
      [
        ['credit-deducted', 20],
        ['card-charged', 2_680],
        ['credit-returned', 20],
        ['card-refunded', 2_680],
      ],
    );
    await instanceOf('order-tracking', order).toHavePassed('order-not-fulfilled');
  });

  it('an order that takes longer than the SLA raises an incident in the tracking flow', async (t) => {
    let deliver: () => void = () => undefined;
    const carrier = () => new Promise<void>((resolve) => (deliver = resolve));
    const { harness, sample, instanceOf } = await start(t, { carrier, sla: 'PT30S' });
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'piano', quantity: 1 }], 'choreographed');
    await until(() => sample.shipping.shipments.has(order.orderId), 'the goods to reach the carrier');
    const tracking = instanceOf('order-tracking', order);
    await tracking.toBeWaitingAt('goods-shipped');
    await harness.advanceTime('PT31S');
    await tracking.toHaveIncident('raise-sla-incident', `SLA breached: order ${order.orderId}`);

    // The carrier delivers after all; an operator acknowledges the incident.
    deliver();
    await until(() => order.done, 'the order to be shipped');
    const [incident] = harness.incidents();
    await harness.engine.updateJobRetries(incident!.jobKey!, 1);
    await harness.engine.resolveIncident(incident!.key);
    await tracking.toHaveCompleted();
    await tracking.toHavePassed('order-delivered', 'sla-handled');
  });

  it('fetch goods before payment: three services change, the business outcome is the same', async (t) => {
    const { sample, instanceOf } = await start(t, { fetchGoodsFirst: true });
    const order = await sample.checkout.placeOrder('alice', [{ sku: 'baton', quantity: 1 }], 'choreographed');
    await until(() => order.done, 'the order to be shipped');
    assert.deepEqual(events(order), ['order.placed', 'goods.fetched', 'payment.received', 'goods.shipped']);
    await instanceOf('order-tracking', order).toHaveCompleted();
  });
});
