import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const nested = createProcess('nested')
  .startEvent()
  .subProcess('inner', { inputs: [{ source: '= 1', target: 'local' }] }, (sub) =>
    sub.startEvent('inner-start').serviceTask('inner-work', { type: 'inner' }).endEvent('inner-end'),
  )
  .endEvent('outer-end')
  .done();

describe('sub-process', () => {
  it('activates its start event inside its own scope', async () => {
    const engine = new EngineHarness();
    await engine.deploy(nested);
    const created = engine.createInstance('nested');
    const inner = created.processInstance().withElementId('inner').withIntent('ELEMENT_ACTIVATED').only();
    const start = created.processInstance().withElementId('inner-start').first();
    assert.equal(start?.value.flowScopeKey, inner.key);
    assert.equal(
      created.variable().withName('local').only().value.scopeKey,
      inner.key,
      'inputs are local to it',
    );
  });

  it('completes when its inner flow completes, then the outer flow goes on', async () => {
    const engine = new EngineHarness();
    await engine.deploy(nested);
    engine.createInstance('nested');
    const done = engine.completeJob(engine.jobKey('inner'));
    assert.deepEqual(done.processInstance().events().withIntent('ELEMENT_COMPLETED').elementIds(), [
      'inner-work',
      'inner-end',
      'inner',
      'outer-end',
      'nested',
    ]);
  });

  it('is terminated with everything inside it', async () => {
    const engine = new EngineHarness();
    await engine.deploy(nested);
    const instance = engine.createInstance('nested').processInstanceKey;
    const cancelled = engine.cancelInstance(instance);
    assert.deepEqual(cancelled.processInstance().events().trail(), [
      'nested:ELEMENT_TERMINATING',
      'inner:ELEMENT_TERMINATING',
      'inner-work:ELEMENT_TERMINATING',
      'inner-work:ELEMENT_TERMINATED',
      'inner:ELEMENT_TERMINATED',
      'nested:ELEMENT_TERMINATED',
    ]);
  });
});
