import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import { FailingStoreFactory } from './test-support/failing-store.js';
import { badlyBoundXml, boundOrderXml } from './test-support/bound-models.js';
import { completed, instancesOf, publishEnvelope, startFixture, waitUntil } from './test-support/fixture.js';
import { payOrder, startedByMessage } from './test-support/models.js';

const published = (records: readonly LoggedRecord[]) =>
  records.filter((r) => r.recordType === 'EVENT' && r.valueType === 'MESSAGE' && r.intent === 'PUBLISHED');

const isWaitingForMessage = (records: readonly LoggedRecord[]) =>
  records.some((r) => r.valueType === 'MESSAGE_SUBSCRIPTION' && r.intent === 'CREATED');

const paymentEvents = {
  subject: 'payment.events.*',
  group: 'orders.payment-events',
  correlate: {
    messageName: '=type',
    correlationKey: '=data.orderId',
    variables: '={ receipt: data.receipt }',
  },
};

describe('inbound connector', () => {
  it('correlates bus messages to waiting instances by FEEL mappings, acknowledging after the commit', async (t) => {
    const f = await startFixture({ config: { inbound: [paymentEvents] } });
    t.after(() => f.close());
    await f.engine.deploy(payOrder());
    const { processInstanceKey } = await f.engine.createInstance('pay-order', { orderId: 'o-1', amount: 10 });
    await waitUntil(() => isWaitingForMessage(f.records), 'the instance to wait for the payment');
    await publishEnvelope(f.peer, 'payment.events.received', {
      type: 'payment.received',
      id: 'pay:o-1',
      data: { orderId: 'o-1', receipt: 'R-1', card: 'not mapped' },
    });
    await waitUntil(() => completed(f.records, processInstanceKey), 'the instance to complete');
    const [message] = published(f.records);
    assert.ok(message && message.valueType === 'MESSAGE');
    assert.deepEqual(
      { ...message.value, deadline: undefined },
      {
        name: 'payment.received',
        correlationKey: 'o-1',
        messageId: 'pay:o-1',
        timeToLive: 3_600_000,
        variables: { receipt: 'R-1' },
        deadline: undefined,
      },
    );
    await waitUntil(
      () => f.broker!.backlog('orders.payment-events') === 0,
      'the delivery to be acknowledged',
    );
    assert.equal(f.connectors.metrics.inboundCommitted.get({ subscription: 'payment.events.*' }), 1);
  });

  it('gives a message back to the broker when the engine could not commit it, and takes it again', async (t) => {
    const store = new FailingStoreFactory();
    const f = await startFixture({ engine: { store }, config: { inbound: [paymentEvents] } });
    t.after(() => f.close());
    await f.engine.deploy(payOrder());
    const { processInstanceKey } = await f.engine.createInstance('pay-order', { orderId: 'o-2', amount: 10 });
    await waitUntil(() => isWaitingForMessage(f.records), 'the instance to wait for the payment');
    store.failNextAppend((records) => records.some((r) => r.valueType === 'MESSAGE'));
    await publishEnvelope(f.peer, 'payment.events.received', {
      type: 'payment.received',
      id: 'pay:o-2',
      data: { orderId: 'o-2', receipt: 'R-2' },
    });
    await waitUntil(
      () => completed(f.records, processInstanceKey),
      'the instance to complete after the redelivery',
      10_000,
    );
    assert.equal(store.refused, 1);
    assert.equal(f.connectors.metrics.inboundRetried.get(), 1);
    assert.equal(f.connectors.metrics.inboundCommitted.get(), 1);
    assert.ok(f.log.has(/WARN inbound: the engine did not take the message now/));
  });

  it('de-duplicates by the envelope id: a message delivered twice starts one instance', async (t) => {
    const f = await startFixture({
      config: {
        inbound: [
          {
            subject: 'orders.placed',
            correlate: { messageName: 'order.placed', correlationKey: '=data.orderId' },
          },
        ],
      },
    });
    t.after(() => f.close());
    await f.engine.deploy(startedByMessage());
    const order = { type: 'order.placed', id: 'checkout:o-3', data: { orderId: 'o-3' } };
    await publishEnvelope(f.peer, 'orders.placed', order);
    await publishEnvelope(f.peer, 'orders.placed', order); // a redelivery, or a publisher retrying
    await publishEnvelope(f.peer, 'orders.placed', {
      ...order,
      id: 'checkout:o-4',
      data: { orderId: 'o-4' },
    });
    await waitUntil(() => f.connectors.metrics.inboundReceived.get() === 3, 'three deliveries');
    await waitUntil(
      () => f.connectors.metrics.inboundDuplicates.get() === 1,
      'the duplicate to be recognised',
    );
    assert.equal(instancesOf(f.records, 'started-by-message').length, 2);
    assert.equal(published(f.records).length, 2);
  });

  it('starts instances, skipping messages whose activation condition is false', async (t) => {
    const f = await startFixture({
      config: {
        inbound: [
          {
            subject: 'orders.placed',
            activationCondition: '=data.total >= 100',
            createInstance: {
              bpmnProcessId: 'big-order',
              variables: '={ orderId: data.orderId, total: data.total }',
            },
          },
        ],
      },
    });
    t.after(() => f.close());
    await f.engine.deploy(
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="big-order" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:userTask id="review"/>
  <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="review"/></bpmn:process></bpmn:definitions>`,
    );
    await publishEnvelope(f.peer, 'orders.placed', {
      type: 'order.placed',
      id: 'a',
      data: { orderId: 'small', total: 5 },
    });
    await publishEnvelope(f.peer, 'orders.placed', {
      type: 'order.placed',
      id: 'b',
      data: { orderId: 'big', total: 500 },
    });
    await waitUntil(() => f.connectors.metrics.inboundReceived.get() === 2, 'two deliveries');
    await waitUntil(() => instancesOf(f.records, 'big-order').length === 1, 'one instance');
    assert.equal(f.connectors.metrics.inboundSkipped.get(), 1);
    const variables = f.records.filter((r) => r.valueType === 'VARIABLE' && r.intent === 'CREATED');
    assert.deepEqual(
      variables.map((r) => (r.valueType === 'VARIABLE' ? [r.value.name, r.value.value] : [])),
      [
        ['orderId', 'big'],
        ['total', 500],
      ],
    );
  });

  it('parks a message that can never be processed on the dead-letter subject, and goes on', async (t) => {
    const f = await startFixture({ config: { inbound: [paymentEvents] } });
    t.after(() => f.close());
    await f.engine.deploy(payOrder());
    const { processInstanceKey } = await f.engine.createInstance('pay-order', { orderId: 'o-6', amount: 10 });
    await waitUntil(() => isWaitingForMessage(f.records), 'the instance to wait for the payment');
    await f.peer.publish('payment.events.received', {
      id: 'junk-1',
      body: new TextEncoder().encode('<xml/>'),
    });
    await publishEnvelope(f.peer, 'payment.events.received', {
      type: 'payment.received',
      id: 'no-order',
      data: { receipt: 'R' },
    });
    await publishEnvelope(f.peer, 'payment.events.received', {
      type: 'payment.received',
      id: 'pay:o-6',
      data: { orderId: 'o-6', receipt: 'R-6' },
    });
    await waitUntil(() => completed(f.records, processInstanceKey), 'the good message to go through');
    const metrics = f.connectors.metrics;
    await waitUntil(() => metrics.inboundDeadLettered.get() === 2, 'two dead letters');
    assert.equal(
      metrics.inboundDeadLettered.get({ subscription: 'payment.events.*', reason: 'not-json' }),
      1,
    );
    assert.equal(
      metrics.inboundDeadLettered.get({
        subscription: 'payment.events.*',
        reason: 'missing-correlation-key',
      }),
      1,
    );
    assert.ok(
      f.log.has(
        /WARN inbound: message cannot be processed; parked on the dead-letter subject .*"id":"junk-1".*"reason":"not-json".*not JSON/,
      ),
      f.log.lines.join('\n'),
    );
    assert.ok(f.log.has(/"id":"no-order".*correlationKey: '=data\.orderId' evaluated to null/));
    await waitUntil(() => f.broker!.backlog('orders.payment-events') === 0, 'all to be acknowledged');
    assert.equal(f.broker!.backlog('test.dead-letter'), 2, 'kept for whoever reads the dead letters');
  });

  it('subscribes the events a model binds to the bus when it is deployed, and follows new versions', async (t) => {
    const f = await startFixture();
    t.after(() => f.close());
    assert.deepEqual(f.connectors.inboundBindings(), []);
    await f.engine.deploy({ name: 'bound-order.bpmn', xml: boundOrderXml() });
    await waitUntil(() => f.connectors.inboundBindings().length === 2, 'the two bindings of the model');
    assert.deepEqual(
      f.connectors.inboundBindings().map((b) => [b.subject, b.group, b.origin]),
      [
        [
          'orders.placed',
          'baton.bound-order.order-placed',
          "bound-order.bpmn: process 'bound-order', element 'order-placed'",
        ],
        [
          'payment.events.*',
          'baton.bound-order.payment-received',
          "bound-order.bpmn: process 'bound-order', element 'payment-received'",
        ],
      ],
    );
    await publishEnvelope(f.peer, 'orders.placed', {
      type: 'order.placed',
      id: 'o-free',
      data: { orderId: 'o-free', total: 0 },
    });
    await publishEnvelope(f.peer, 'orders.placed', {
      type: 'order.placed',
      id: 'o-5',
      data: { orderId: 'o-5', total: 50 },
    });
    await waitUntil(
      () => instancesOf(f.records, 'bound-order').length === 1,
      'the message start event to start an instance',
    );
    const [instance] = instancesOf(f.records, 'bound-order');
    await waitUntil(() => isWaitingForMessage(f.records), 'the catch event to wait');
    await publishEnvelope(f.peer, 'payment.events.failed', {
      type: 'payment.failed',
      id: 'pf',
      data: { orderId: 'o-5' },
    });
    await publishEnvelope(f.peer, 'payment.events.received', {
      type: 'payment.received',
      id: 'pr',
      data: { orderId: 'o-5', receipt: 'R-5' },
    });
    await waitUntil(() => completed(f.records, instance!), 'the instance to complete');
    const payment = f.records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'payment');
    assert.ok(payment && payment.valueType === 'VARIABLE');
    assert.deepEqual(payment.value.value, { orderId: 'o-5', receipt: 'R-5' });
    assert.equal(
      f.connectors.metrics.inboundSkipped.get(),
      2,
      'the free order and the failed payment were skipped',
    );

    // A new version without the start binding: that subscription goes, the other stays.
    await f.engine.deploy({
      name: 'bound-order.bpmn',
      xml: boundOrderXml({ startBinding: false, version: 'v2' }),
    });
    await waitUntil(() => f.connectors.inboundBindings().length === 1, 'the start binding to be removed');
    assert.equal(f.connectors.inboundBindings()[0]!.group, 'baton.bound-order.payment-received');
  });

  it('logs a binding it cannot use, naming the element', async (t) => {
    const f = await startFixture();
    t.after(() => f.close());
    await f.engine.deploy({ name: 'bad.bpmn', xml: badlyBoundXml });
    await waitUntil(() => f.log.has(/ERROR inbound binding ignored/), 'the problem to be logged');
    assert.ok(
      f.log.has(
        /bad\.bpmn: process 'badly-bound', element 'wait-shipped': a catch event's inbound binding needs 'correlationKeyExpression'/,
      ),
      f.log.lines.join('\n'),
    );
    assert.deepEqual(f.connectors.inboundBindings(), []);
  });
});
