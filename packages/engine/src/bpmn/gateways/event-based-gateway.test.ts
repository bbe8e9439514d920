import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const race = createProcess('race')
  .startEvent()
  .eventBasedGateway('wait')
  .intermediateCatchEvent('paid', { message: { name: 'paid', correlationKey: '= orderId' } })
  .endEvent('paid-end')
  .moveToNode('wait')
  .intermediateCatchEvent('timeout', { timer: { duration: 'PT1H' } })
  .endEvent('timeout-end')
  .done();

describe('event-based gateway', () => {
  it('subscribes to every event after it and waits', async () => {
    const engine = new EngineHarness();
    await engine.deploy(race);
    const created = engine.createInstance('race', { orderId: 'o-1' });
    assert.equal(created.messageSubscription().withIntent('CREATED').length, 1);
    assert.equal(created.timer().withIntent('CREATED').length, 1);
    assert.equal(created.processInstance().withElementId('wait').last()?.intent, 'ELEMENT_ACTIVATED');
  });

  it('follows the first event to occur and closes the other subscriptions', async () => {
    const engine = new EngineHarness();
    await engine.deploy(race);
    engine.createInstance('race', { orderId: 'o-1' });
    const paid = engine.publishMessage('paid', 'o-1');
    assert.ok(paid.processInstance().withElementId('paid-end').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(paid.timer().withIntent('CANCELED').length, 1);
    assert.equal(
      engine
        .advanceTime(2 * 3600_000)
        .timer()
        .withIntent('TRIGGERED').length,
      0,
      'the timer is gone',
    );
    assert.equal(engine.records.processInstance().withElementId('timeout').length, 0);
  });

  it('follows the timer when it fires first', async () => {
    const engine = new EngineHarness();
    await engine.deploy(race);
    engine.createInstance('race', { orderId: 'o-1' });
    const fired = engine.advanceTime(3600_000);
    assert.equal(fired.timer().withIntent('TRIGGERED').length, 1);
    assert.ok(fired.processInstance().withElementId('timeout-end').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(fired.messageSubscription().withIntent('DELETED').length, 1);
    assert.equal(
      engine.publishMessage('paid', 'o-1').messageSubscription().withIntent('CORRELATED').length,
      0,
    );
  });
});
