import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, lifecycleOf, TERMINATED_LIFECYCLE } from '../../testing/index.js';

describe('end event', () => {
  it('a none end event completes its scope once nothing else is active', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('two-ends')
        .startEvent()
        .parallelGateway('fork')
        .endEvent('quick')
        .moveToNode('fork')
        .serviceTask('slow', { type: 'slow' })
        .endEvent('late')
        .done(),
    );
    const created = engine.createInstance('two-ends');
    assert.ok(created.processInstance().withElementId('quick').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(
      created.processInstance().withElementId('two-ends').withIntent('ELEMENT_COMPLETED').length,
      0,
    );
    const done = engine.completeJob(engine.jobKey('slow'));
    assert.equal(done.processInstance().withElementId('two-ends').withIntent('ELEMENT_COMPLETED').length, 1);
  });

  it('a terminate end event terminates everything else in its scope and completes it', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('terminate')
        .startEvent()
        .parallelGateway('fork')
        .endEvent('stop', { terminate: true })
        .moveToNode('fork')
        .serviceTask('work', { type: 'work' })
        .endEvent()
        .done(),
    );
    const created = engine.createInstance('terminate');
    assert.deepEqual(
      created.processInstance().withElementId('work').trail(),
      lifecycleOf('work', TERMINATED_LIFECYCLE),
    );
    assert.equal(created.job().withIntent('CANCELED').length, 1);
    assert.equal(created.processInstance().withElementId('terminate').last()?.intent, 'ELEMENT_COMPLETED');
  });

  it('an error end event is caught by an error boundary event of an enclosing scope', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('errors')
        .startEvent()
        .subProcess('inner', {}, (sub) => sub.startEvent().endEvent('fail', { error: 'BOOM' }))
        .boundaryEvent('caught', { error: 'BOOM' })
        .endEvent('handled')
        .moveToNode('inner')
        .endEvent('normal')
        .done(),
    );
    const created = engine.createInstance('errors');
    assert.equal(created.processInstance().withElementId('inner').last()?.intent, 'ELEMENT_TERMINATED');
    assert.ok(created.processInstance().withElementId('handled').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(created.processInstance().withElementId('normal').length, 0);
  });

  it('an uncaught error end event raises an incident', async () => {
    const engine = new EngineHarness();
    await engine.deploy(createProcess('uncaught').startEvent().endEvent('fail', { error: 'NOPE' }).done());
    const created = engine.createInstance('uncaught');
    assert.equal(created.incident().withIntent('CREATED').only().value.errorType, 'UNHANDLED_ERROR_EVENT');
  });

  it('a message end event creates a job and completes with it', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('notify')
        .startEvent()
        .endEvent('send', { message: { type: 'mail' } })
        .done(),
    );
    const created = engine.createInstance('notify');
    assert.equal(created.job().withIntent('CREATED').only().value.elementId, 'send');
    const done = engine.completeJob(engine.jobKey('mail'));
    assert.equal(done.processInstance().withElementId('notify').withIntent('ELEMENT_COMPLETED').length, 1);
  });
});
