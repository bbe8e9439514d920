import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

describe('TRIGGER timer', () => {
  it('refuses a timer that is not due yet, and an unknown one, and triggers a due one once', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('p')
        .startEvent()
        .intermediateCatchEvent('wait', { timer: { duration: 'PT1M' } })
        .endEvent('end')
        .done(),
    );
    const timer = engine.createInstance('p').timer().withIntent('CREATED').only();
    const trigger = () =>
      engine.command({ valueType: 'TIMER', intent: 'TRIGGER', value: {} as never }, timer.key);
    assert.equal(trigger().rejection?.rejectionType, 'INVALID_STATE', 'not due');
    assert.equal(
      engine.command({ valueType: 'TIMER', intent: 'TRIGGER', value: {} as never }, '777').rejection
        ?.rejectionType,
      'INVALID_STATE',
    );
    const fired = engine.advanceTime(60_000);
    assert.equal(fired.timer().withIntent('TRIGGERED').only().key, timer.key);
    assert.ok(fired.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(trigger().rejection?.rejectionType, 'INVALID_STATE', 'triggered already');
  });

  it('a cancelled instance cancels its timers, which then never fire', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('p')
        .startEvent()
        .intermediateCatchEvent('wait', { timer: { duration: 'PT1M' } })
        .endEvent()
        .done(),
    );
    const instance = engine.createInstance('p').processInstanceKey;
    assert.equal(engine.cancelInstance(instance).timer().withIntent('CANCELED').length, 1);
    assert.equal(engine.advanceTime(120_000).length, 0);
  });
});
