import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const waiting = createProcess('waiting').startEvent().serviceTask('work', { type: 'work' }).endEvent().done();

describe('process', () => {
  it('is the root element instance: activated first, completed last, its key the instance key', async () => {
    const engine = new EngineHarness();
    await engine.deploy(waiting);
    const created = engine.createInstance('waiting', { a: 1 });
    const root = created.processInstance().withElementType('PROCESS').first();
    assert.equal(root?.key, created.processInstanceKey);
    assert.equal(root?.value.flowScopeKey, '-1');
    assert.equal(created.variable().withName('a').only().value.scopeKey, created.processInstanceKey);
    const done = engine.completeJob(engine.jobKey('work'));
    assert.equal(done.processInstance().last()?.value.elementId, 'waiting');
    assert.equal(done.processInstance().last()?.intent, 'ELEMENT_COMPLETED');
  });

  it('cancelling terminates the active children first, then the process', async () => {
    const engine = new EngineHarness();
    await engine.deploy(waiting);
    const instance = engine.createInstance('waiting').processInstanceKey;
    const cancelled = engine.cancelInstance(instance);
    assert.deepEqual(cancelled.processInstance().events().trail(), [
      'waiting:ELEMENT_TERMINATING',
      'work:ELEMENT_TERMINATING',
      'work:ELEMENT_TERMINATED',
      'waiting:ELEMENT_TERMINATED',
    ]);
  });

  it('starts a new version for new instances while running ones stay on theirs', async () => {
    const engine = new EngineHarness();
    await engine.deploy(waiting);
    const v1 = engine.createInstance('waiting').processInstanceKey;
    await engine.deploy(createProcess('waiting').startEvent().endEvent('v2-end').done());
    const v2 = engine.createInstance('waiting');
    assert.equal(v2.processInstance().withElementType('PROCESS').first()?.value.version, 2);
    assert.ok(v2.processInstance().withElementId('v2-end').first());
    const done = engine.completeJob(engine.jobKey('work'));
    assert.equal(done.processInstance().withProcessInstanceKey(v1).last()?.intent, 'ELEMENT_COMPLETED');
  });
});
