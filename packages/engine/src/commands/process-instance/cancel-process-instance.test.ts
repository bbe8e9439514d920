import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const child = createProcess('child').startEvent().serviceTask('t', { type: 'w' }).endEvent().done();
const parent = createProcess('parent')
  .startEvent()
  .callActivity('call', { processId: 'child' })
  .endEvent()
  .done();

describe('CANCEL process instance', () => {
  it('terminates the instance and everything in it, its jobs and subscriptions too', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child);
    const instance = engine.createInstance('child').processInstanceKey;
    const cancelled = engine.cancelInstance(instance);
    assert.equal(cancelled.response?.intent, 'ELEMENT_TERMINATING');
    assert.equal(cancelled.job().withIntent('CANCELED').length, 1);
    assert.equal(cancelled.processInstance().last()?.intent, 'ELEMENT_TERMINATED');
    assert.equal(cancelled.processInstance().last()?.key, instance);
  });

  it('refuses an unknown or finished instance', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child);
    assert.equal(engine.cancelInstance('1234').rejection?.rejectionType, 'NOT_FOUND');
    const instance = engine.createInstance('child').processInstanceKey;
    engine.cancelInstance(instance);
    assert.equal(engine.cancelInstance(instance).rejection?.rejectionType, 'NOT_FOUND');
  });

  it('refuses an instance created by a call activity: the root is to be cancelled', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child, parent);
    const created = engine.createInstance('parent');
    const called = created.processInstance().withElementType('PROCESS').withElementId('child').first();
    assert.ok(called);
    const refused = engine.cancelInstance(called.key);
    assert.equal(refused.rejection?.rejectionType, 'INVALID_STATE');
    assert.match(refused.rejection?.rejectionReason ?? '', /cancel the root process instance instead/);
    const root = engine.cancelInstance(created.processInstanceKey);
    assert.equal(root.processInstance().withKey(called.key).last()?.intent, 'ELEMENT_TERMINATED');
  });
  it('resolves the open incidents of the instance; resolving one afterwards is refused', async () => {
    const engine = new EngineHarness();
    await engine.deploy(child);
    const instance = engine.createInstance('child').processInstanceKey;
    const [job] = engine.activateJobs('w');
    const incident = engine.failJob(job!.key, { retries: 0 }).incident().withIntent('CREATED').only();
    const cancelled = engine.cancelInstance(instance);
    assert.equal(cancelled.incident().withIntent('RESOLVED').only().key, incident.key);
    assert.equal(engine.resolveIncident(incident.key).rejection?.rejectionType, 'NOT_FOUND');
  });
});
