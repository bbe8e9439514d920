import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

function withHandler(interrupting: boolean) {
  return createProcess('host')
    .eventSubProcess('on-cancel', {}, (sub) =>
      sub
        .startEvent('cancel-requested', {
          message: { name: 'cancel', correlationKey: '= id' },
          interrupting,
        })
        .endEvent('handled'),
    )
    .startEvent()
    .serviceTask('work', { type: 'work' })
    .endEvent('normal-end')
    .done();
}

describe('event sub-process', () => {
  it('opens its start event subscription when the scope activates', async () => {
    const engine = new EngineHarness();
    await engine.deploy(withHandler(true));
    const created = engine.createInstance('host', { id: 'h' });
    assert.equal(created.messageSubscription().withIntent('CREATED').only().value.messageName, 'cancel');
  });

  it('an interrupting one terminates the rest of its scope and runs in its place', async () => {
    const engine = new EngineHarness();
    await engine.deploy(withHandler(true));
    engine.createInstance('host', { id: 'h' });
    const triggered = engine.publishMessage('cancel', 'h');
    assert.equal(triggered.processInstance().withElementId('work').last()?.intent, 'ELEMENT_TERMINATED');
    assert.equal(triggered.job().withIntent('CANCELED').length, 1);
    assert.ok(triggered.processInstance().withElementId('handled').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(triggered.processInstance().withElementId('host').last()?.intent, 'ELEMENT_COMPLETED');
  });

  it('a non-interrupting one runs beside the rest, which goes on', async () => {
    const engine = new EngineHarness();
    await engine.deploy(withHandler(false));
    engine.createInstance('host', { id: 'h' });
    const triggered = engine.publishMessage('cancel', 'h');
    assert.ok(triggered.processInstance().withElementId('on-cancel').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(triggered.job().withIntent('CANCELED').length, 0);
    const done = engine.completeJob(engine.jobKey('work'));
    assert.equal(done.processInstance().withElementId('host').last()?.intent, 'ELEMENT_COMPLETED');
  });

  it('an error event sub-process catches an error thrown in its scope', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('guarded')
        .eventSubProcess('on-error', {}, (sub) =>
          sub.startEvent('caught', { error: 'FAIL' }).endEvent('recovered'),
        )
        .startEvent()
        .serviceTask('risky', { type: 'risky' })
        .endEvent()
        .done(),
    );
    engine.createInstance('guarded');
    const thrown = engine.throwError(engine.jobKey('risky'), 'FAIL');
    assert.ok(thrown.processInstance().withElementId('recovered').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(thrown.incident().length, 0);
  });
  it('a non-interrupting escalation event sub-process catches an escalation from a nested scope', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('escalating')
        .eventSubProcess('on-escalation', {}, (sub) =>
          sub.startEvent('caught', { escalation: 'LATE', interrupting: false }).endEvent('notified'),
        )
        .startEvent()
        .subProcess('inner', {}, (sub) => sub.startEvent().endEvent('raise', { escalation: 'LATE' }))
        .endEvent('after')
        .done(),
    );
    const created = engine.createInstance('escalating');
    assert.ok(created.processInstance().withElementId('notified').withIntent('ELEMENT_COMPLETED').first());
    assert.ok(created.processInstance().withElementId('after').withIntent('ELEMENT_COMPLETED').first());
  });
});
