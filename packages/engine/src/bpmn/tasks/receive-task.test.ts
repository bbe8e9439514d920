import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const wait = createProcess('wait-payment')
  .startEvent()
  .receiveTask('paid', { message: { name: 'payment', correlationKey: '= orderId' } })
  .endEvent('end')
  .done();

describe('receive task', () => {
  it('opens a message subscription for its name and correlation key and waits', async () => {
    const engine = new EngineHarness();
    await engine.deploy(wait);
    const created = engine.createInstance('wait-payment', { orderId: 'o-1' });
    const subscription = created.messageSubscription().withIntent('CREATED').only();
    assert.equal(subscription.value.messageName, 'payment');
    assert.equal(subscription.value.correlationKey, 'o-1');
    assert.equal(created.processInstance().withElementId('paid').last()?.intent, 'ELEMENT_ACTIVATED');
  });

  it('completes when a matching message arrives, with its variables; another key does not match', async () => {
    const engine = new EngineHarness();
    await engine.deploy(wait);
    engine.createInstance('wait-payment', { orderId: 'o-1' });
    const other = engine.publishMessage('payment', 'o-2');
    assert.equal(other.messageSubscription().withIntent('CORRELATED').length, 0);
    const correlated = engine.publishMessage('payment', 'o-1', { amount: 10 });
    assert.equal(correlated.messageSubscription().withIntent('CORRELATED').length, 1);
    assert.equal(correlated.variable().withName('amount').only().value.value, 10);
    assert.ok(correlated.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('takes a message buffered before it waited', async () => {
    const engine = new EngineHarness();
    await engine.deploy(wait);
    engine.publishMessage('payment', 'o-3', {}, { timeToLive: 60_000 });
    const created = engine.createInstance('wait-payment', { orderId: 'o-3' });
    assert.ok(created.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });
});
