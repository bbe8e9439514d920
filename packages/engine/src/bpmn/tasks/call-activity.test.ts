import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const child = createProcess('child')
  .startEvent()
  .serviceTask('child-work', { type: 'child-work' })
  .endEvent()
  .done();
const parent = createProcess('parent')
  .startEvent()
  .callActivity('call', { processId: 'child' })
  .endEvent('parent-end')
  .done();

describe('call activity', () => {
  it('starts an instance of the called process, linked to its parent', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child, parent);
    const created = engine.createInstance('parent', { input: 1 });
    const childProcess = created
      .processInstance()
      .withElementId('child')
      .withIntent('ELEMENT_ACTIVATED')
      .only();
    assert.equal(childProcess.value.parentProcessInstanceKey, created.processInstanceKey);
    const [job] = engine.activateJobs('child-work');
    assert.equal(job?.variables.input, 1, 'the child sees the parent variables');
  });

  it('completes when the called instance completes, passing its variables back', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child, parent);
    const instance = engine.createInstance('parent').processInstanceKey;
    const done = engine.completeJob(engine.jobKey('child-work'), { result: 'ok' });
    assert.ok(done.processInstance().withElementId('child').withIntent('ELEMENT_COMPLETED').first());
    assert.ok(done.processInstance().withElementId('call').withIntent('ELEMENT_COMPLETED').first());
    assert.ok(
      done.variable().withName('result').withScopeKey(instance).first(),
      'the output is set on the parent',
    );
  });

  it('raises an incident when the called process does not exist', async () => {
    const engine = new EngineHarness();
    await engine.deploy(parent);
    const created = engine.createInstance('parent');
    assert.equal(created.incident().withIntent('CREATED').only().value.errorType, 'CALLED_ELEMENT_ERROR');
  });

  it('terminates the called instance when the parent is cancelled', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child, parent);
    const instance = engine.createInstance('parent').processInstanceKey;
    const cancelled = engine.cancelInstance(instance);
    assert.ok(cancelled.processInstance().withElementId('child').withIntent('ELEMENT_TERMINATED').first());
    assert.equal(cancelled.job().withIntent('CANCELED').length, 1);
  });
});
