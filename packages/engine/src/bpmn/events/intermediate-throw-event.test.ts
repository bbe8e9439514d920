import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, lifecycleOf } from '../../testing/index.js';

describe('intermediate throw event', () => {
  it('a none throw event (a milestone) passes through', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('milestone').startEvent().intermediateThrowEvent('reached').endEvent().done(),
    );
    const created = engine.createInstance('milestone');
    assert.deepEqual(created.processInstance().withElementId('reached').trail(), lifecycleOf('reached'));
  });

  it('a signal throw event broadcasts to waiting signal catch events', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('listener')
        .startEvent()
        .intermediateCatchEvent('hear', { signal: 'ping' })
        .endEvent('heard')
        .done(),
      createProcess('thrower')
        .startEvent()
        .intermediateThrowEvent('shout', { signal: 'ping' })
        .endEvent()
        .done(),
    );
    const listener = engine.createInstance('listener').processInstanceKey;
    const thrown = engine.createInstance('thrower');
    assert.ok(
      engine.records
        .processInstance()
        .withProcessInstanceKey(listener)
        .withElementId('heard')
        .withIntent('ELEMENT_COMPLETED')
        .first(),
      `the listener heard the signal: ${thrown.signal().intents().join(', ')}`,
    );
  });

  it('a link throw event continues at its link catch event', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('links')
        .startEvent()
        .intermediateThrowEvent('jump', { link: 'next' })
        .moveToNode('jump')
        .intermediateCatchEvent('land', { link: 'next' })
        .endEvent('end')
        .done(),
    );
    const created = engine.createInstance('links');
    assert.ok(created.processInstance().withElementId('land').withIntent('ELEMENT_COMPLETED').first());
    assert.ok(created.processInstance().withElementId('links').withIntent('ELEMENT_COMPLETED').first());
  });

  it('an escalation throw event is caught by a non-interrupting escalation boundary event', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('escalate')
        .startEvent()
        .subProcess('inner', {}, (sub) =>
          sub
            .startEvent()
            .intermediateThrowEvent('raise', { escalation: 'LATE' })
            .serviceTask('more', { type: 'more' })
            .endEvent(),
        )
        .boundaryEvent('caught', { escalation: 'LATE', interrupting: false })
        .endEvent('notified')
        .moveToNode('inner')
        .endEvent()
        .done(),
    );
    const created = engine.createInstance('escalate');
    assert.ok(created.processInstance().withElementId('notified').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(
      created.processInstance().withElementId('inner').last()?.intent,
      'ELEMENT_ACTIVATED',
      'the scope goes on',
    );
    assert.equal(created.job().withIntent('CREATED').only().value.elementId, 'more');
  });
  it('a compensation throw event runs the handlers of the completed activities of its scope', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('book')
        .startEvent()
        .serviceTask('book-hotel', { type: 'book' })
        .boundaryEvent('undo', { compensation: true })
        .serviceTask('cancel-hotel', { type: 'cancel' })
        .moveToNode('book-hotel')
        .intermediateThrowEvent('compensate', { compensation: true })
        .endEvent('end')
        .done(),
    );
    const instance = engine.createInstance('book').processInstanceKey;
    const booked = engine.completeJob(engine.jobKey('book'));
    assert.equal(booked.job().withIntent('CREATED').only().value.type, 'cancel', 'the handler is running');
    assert.equal(booked.processInstance().withElementId('end').length, 0, 'the throw waits for its handlers');
    const undone = engine.completeJob(engine.jobKey('cancel'));
    assert.ok(undone.processInstance().withElementId('compensate').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(
      engine.records.processInstance().withProcessInstanceKey(instance).last()?.intent,
      'ELEMENT_COMPLETED',
    );
  });

  it('a message throw event creates a job, as in Zeebe, and goes on when it completes', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('notify')
        .startEvent()
        .intermediateThrowEvent('send', { message: { type: 'mail' } })
        .endEvent('end')
        .done(),
    );
    const created = engine.createInstance('notify');
    assert.equal(created.job().withIntent('CREATED').only().value.elementId, 'send');
    const sent = engine.completeJob(engine.jobKey('mail'));
    assert.ok(sent.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });
});
