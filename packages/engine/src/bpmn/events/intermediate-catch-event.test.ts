import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

describe('intermediate catch event', () => {
  it('a timer catch event waits for its duration', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('delay')
        .startEvent()
        .intermediateCatchEvent('wait', { timer: { duration: 'PT10M' } })
        .endEvent('end')
        .done(),
    );
    const created = engine.createInstance('delay');
    const timer = created.timer().withIntent('CREATED').only();
    assert.equal(timer.value.dueDate, engine.now() + 600_000);
    assert.equal(engine.advanceTime(599_999).length, 0, 'not due yet');
    const fired = engine.advanceTime(1);
    assert.deepEqual(fired.timer().intents(), ['TRIGGER', 'TRIGGERED']);
    assert.ok(fired.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('a timer with a FEEL duration evaluates it on activation', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('feel-delay')
        .startEvent()
        .intermediateCatchEvent('wait', { timer: { duration: '= delay' } })
        .endEvent()
        .done(),
    );
    const created = engine.createInstance('feel-delay', { delay: 'PT5S' });
    assert.equal(created.timer().withIntent('CREATED').only().value.dueDate, engine.now() + 5_000);
  });

  it('a message catch event correlates by name and key, with its variables', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('await')
        .startEvent()
        .intermediateCatchEvent('reply', {
          message: { name: 'reply', correlationKey: '= id' },
          outputs: [{ source: '= answer', target: 'got' }],
        })
        .endEvent('end')
        .done(),
    );
    engine.createInstance('await', { id: 'a' });
    const correlated = engine.publishMessage('reply', 'a', { answer: 42 });
    assert.equal(correlated.messageSubscription().withIntent('CORRELATED').length, 1);
    assert.equal(correlated.variable().withName('got').only().value.value, 42);
    assert.ok(correlated.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('a message is correlated to one waiting instance per process instance, buffered ones only while they live', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('late')
        .startEvent()
        .intermediateCatchEvent('reply', { message: { name: 'late', correlationKey: '= id' } })
        .endEvent()
        .done(),
    );
    engine.publishMessage('late', 'k', {}, { timeToLive: 1_000 });
    const expired = engine.advanceTime(1_000);
    assert.equal(expired.message().withIntent('EXPIRED').length, 1);
    const created = engine.createInstance('late', { id: 'k' });
    assert.equal(created.messageSubscription().withIntent('CORRELATED').length, 0, 'the message had expired');
  });

  it('a signal catch event continues on a broadcast', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('sig').startEvent().intermediateCatchEvent('go', { signal: 'go' }).endEvent('end').done(),
    );
    const created = engine.createInstance('sig');
    assert.equal(created.signalSubscription().withIntent('CREATED').length, 1);
    const broadcast = engine.broadcastSignal('go');
    assert.ok(broadcast.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });
});
