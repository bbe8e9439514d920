import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, TERMINATED_LIFECYCLE, lifecycleOf } from '../../testing/index.js';

function guarded(interrupting: boolean) {
  return createProcess('guarded')
    .startEvent()
    .serviceTask('work', { type: 'work' })
    .boundaryEvent('late', { timer: { duration: 'PT1M' }, interrupting })
    .endEvent('late-end')
    .moveToNode('work')
    .endEvent('done')
    .done();
}

describe('boundary event', () => {
  it('an interrupting timer terminates the activity and takes its own path', async () => {
    const engine = new EngineHarness();
    await engine.deploy(guarded(true));
    const instance = engine.createInstance('guarded').processInstanceKey;
    const fired = engine.advanceTime(60_000);
    assert.deepEqual(
      engine.records.processInstance().withProcessInstanceKey(instance).withElementId('work').trail(),
      lifecycleOf('work', TERMINATED_LIFECYCLE),
    );
    assert.equal(fired.job().withIntent('CANCELED').length, 1);
    assert.ok(fired.processInstance().withElementId('late-end').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(engine.records.processInstance().withElementId('done').length, 0);
  });

  it('a non-interrupting timer leaves the activity running', async () => {
    const engine = new EngineHarness();
    await engine.deploy(guarded(false));
    engine.createInstance('guarded');
    const fired = engine.advanceTime(60_000);
    assert.ok(fired.processInstance().withElementId('late-end').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(fired.job().withIntent('CANCELED').length, 0);
    const done = engine.completeJob(engine.jobKey('work'));
    assert.ok(done.processInstance().withElementId('guarded').withIntent('ELEMENT_COMPLETED').first());
  });

  it('its subscription closes when the activity completes first', async () => {
    const engine = new EngineHarness();
    await engine.deploy(guarded(true));
    engine.createInstance('guarded');
    const done = engine.completeJob(engine.jobKey('work'));
    assert.equal(done.timer().withIntent('CANCELED').length, 1);
    assert.equal(engine.advanceTime(120_000).length, 0);
  });

  it('an error boundary event catches a BPMN error thrown by the job worker', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('pay')
        .startEvent()
        .serviceTask('charge', { type: 'charge' })
        .boundaryEvent('declined', { error: 'DECLINED' })
        .endEvent('refused')
        .moveToNode('charge')
        .endEvent('paid')
        .done(),
    );
    engine.createInstance('pay');
    const thrown = engine.throwError(engine.jobKey('charge'), 'DECLINED', { variables: { reason: 'funds' } });
    assert.equal(thrown.job().withIntent('ERROR_THROWN').length, 1);
    assert.equal(thrown.processInstance().withElementId('charge').last()?.intent, 'ELEMENT_TERMINATED');
    assert.ok(thrown.processInstance().withElementId('refused').withIntent('ELEMENT_COMPLETED').first());
  });

  it('a message boundary event interrupts on a matching message', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('cancellable')
        .startEvent()
        .serviceTask('work', { type: 'work' })
        .boundaryEvent('cancel', { message: { name: 'cancel', correlationKey: '= id' } })
        .endEvent('cancelled')
        .moveToNode('work')
        .endEvent()
        .done(),
    );
    engine.createInstance('cancellable', { id: 'x' });
    const cancelled = engine.publishMessage('cancel', 'x');
    assert.equal(cancelled.processInstance().withElementId('work').last()?.intent, 'ELEMENT_TERMINATED');
    assert.ok(cancelled.processInstance().withElementId('cancelled').withIntent('ELEMENT_COMPLETED').first());
  });
  it('an interrupting timer on a sub-process terminates everything inside it', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('scoped')
        .startEvent()
        .subProcess('sub', {}, (sub) => sub.startEvent().serviceTask('inner', { type: 'inner' }).endEvent())
        .boundaryEvent('late', { timer: { duration: 'PT1M' } })
        .endEvent('late-end')
        .moveToNode('sub')
        .endEvent()
        .done(),
    );
    engine.createInstance('scoped');
    const fired = engine.advanceTime(60_000);
    assert.deepEqual(fired.processInstance().withIntent('ELEMENT_TERMINATED').elementIds(), ['inner', 'sub']);
    assert.ok(fired.processInstance().withElementId('late-end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('a non-interrupting message boundary event fires for every matching message', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('nudges')
        .startEvent()
        .serviceTask('work', { type: 'work' })
        .boundaryEvent('nudge', { message: { name: 'nudge', correlationKey: '= id' }, interrupting: false })
        .endEvent('nudged')
        .moveToNode('work')
        .endEvent()
        .done(),
    );
    engine.createInstance('nudges', { id: 'x' });
    engine.publishMessage('nudge', 'x');
    engine.publishMessage('nudge', 'x');
    assert.equal(
      engine.records.processInstance().withElementId('nudged').withIntent('ELEMENT_COMPLETED').length,
      2,
    );
    assert.equal(engine.records.processInstance().withElementId('work').last()?.intent, 'ELEMENT_ACTIVATED');
  });
});
