import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, lifecycleOf } from '../../testing/index.js';

describe('start event', () => {
  it('a none start event is where a created instance begins', async () => {
    const engine = new EngineHarness();
    await engine.deploy(createProcess('plain').startEvent('begin').endEvent('end').done());
    const created = engine.createInstance('plain');
    assert.deepEqual(created.processInstance().events().withElementId('begin').trail(), lifecycleOf('begin'));
  });

  it('a message start event starts an instance per published message, with its variables', async () => {
    const engine = new EngineHarness();
    const deployed = await engine.deploy(
      createProcess('on-order').startEvent('ordered', { message: 'order-placed' }).endEvent().done(),
    );
    assert.equal(deployed.processInstance().length, 0, 'deploying starts nothing');
    const published = engine.publishMessage('order-placed', 'o-1', { orderId: 'o-1' });
    assert.equal(published.messageSubscription().withIntent('CORRELATED').length, 1);
    const started = published.processInstance().withElementId('on-order').withIntent('ELEMENT_COMPLETED');
    assert.equal(started.length, 1);
    assert.equal(published.variable().withName('orderId').only().value.value, 'o-1');
  });

  it('a timer start event starts an instance when it falls due, and each cycle again', async () => {
    const engine = new EngineHarness();
    const deployed = await engine.deploy(
      createProcess('nightly')
        .startEvent('tick', { timer: { cycle: 'R2/PT1H' } })
        .endEvent()
        .done(),
    );
    assert.equal(deployed.timer().withIntent('CREATED').length, 1);
    assert.equal(engine.advanceTime(3599_999).length, 0);
    const first = engine.advanceTime(1);
    assert.equal(first.processInstance().withElementId('nightly').withIntent('ELEMENT_COMPLETED').length, 1);
    const second = engine.advanceTime(3600_000);
    assert.equal(second.processInstance().withElementId('nightly').withIntent('ELEMENT_COMPLETED').length, 1);
    assert.equal(engine.advanceTime(10 * 3600_000).length, 0, 'R2: two repetitions only');
  });

  it('a signal start event starts an instance per broadcast', async () => {
    const engine = new EngineHarness();
    await engine.deploy(createProcess('on-signal').startEvent('s', { signal: 'go' }).endEvent().done());
    const broadcast = engine.broadcastSignal('go', { why: 'test' });
    assert.equal(
      broadcast.processInstance().withElementId('on-signal').withIntent('ELEMENT_COMPLETED').length,
      1,
    );
    assert.equal(engine.broadcastSignal('other').processInstance().length, 0);
  });
});
