import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

function perItem(sequential: boolean) {
  return createProcess('per-item')
    .startEvent()
    .serviceTask('handle', {
      type: 'handle',
      multiInstance: {
        inputCollection: '= items',
        inputElement: 'item',
        outputCollection: 'results',
        outputElement: '= result',
        sequential,
      },
    })
    .endEvent('end')
    .done();
}

describe('multi-instance body', () => {
  it('parallel: creates one inner instance per item at once, each with its item', async () => {
    const engine = new EngineHarness();
    await engine.deploy(perItem(false));
    const created = engine.createInstance('per-item', { items: ['a', 'b', 'c'] });
    assert.equal(
      created.processInstance().withElementType('MULTI_INSTANCE_BODY').withIntent('ELEMENT_ACTIVATED').length,
      1,
    );
    assert.equal(created.job().withIntent('CREATED').length, 3);
    const jobs = engine.activateJobs('handle');
    assert.deepEqual(jobs.map((j) => j.variables.item).sort(), ['a', 'b', 'c']);
  });

  it('collects the outputs in item order and completes after the last one', async () => {
    const engine = new EngineHarness();
    await engine.deploy(perItem(false));
    engine.createInstance('per-item', { items: [1, 2] });
    const jobs = engine.activateJobs('handle');
    const byItem = new Map(jobs.map((j) => [j.variables.item, j.key]));
    const first = engine.completeJob(byItem.get(2)!, { result: 'two' });
    assert.equal(first.processInstance().withElementId('end').length, 0, 'one item is still open');
    const last = engine.completeJob(byItem.get(1)!, { result: 'one' });
    assert.deepEqual(last.variable().withName('results').last()?.value.value, ['one', 'two']);
    assert.ok(last.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('sequential: one inner instance at a time', async () => {
    const engine = new EngineHarness();
    await engine.deploy(perItem(true));
    const created = engine.createInstance('per-item', { items: ['a', 'b'] });
    assert.equal(created.job().withIntent('CREATED').length, 1);
    const next = engine.completeJob(engine.jobKey('handle'), { result: 1 });
    assert.equal(next.job().withIntent('CREATED').length, 1);
    const done = engine.completeJob(engine.jobKey('handle'), { result: 2 });
    assert.deepEqual(done.variable().withName('results').last()?.value.value, [1, 2]);
  });

  it('an empty collection completes the body at once', async () => {
    const engine = new EngineHarness();
    await engine.deploy(perItem(false));
    const created = engine.createInstance('per-item', { items: [] });
    assert.equal(created.job().length, 0);
    assert.ok(created.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('a collection that is not a list raises an incident', async () => {
    const engine = new EngineHarness();
    await engine.deploy(perItem(false));
    const created = engine.createInstance('per-item', { items: 'nope' });
    assert.equal(created.incident().withIntent('CREATED').only().value.errorType, 'EXTRACT_VALUE_ERROR');
  });
});
