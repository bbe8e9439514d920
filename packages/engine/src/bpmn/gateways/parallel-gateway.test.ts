import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, assertLifecycle, lifecycleOf } from '../../testing/index.js';

const forkJoin = createProcess('fork-join')
  .startEvent('start')
  .parallelGateway('fork')
  .serviceTask('a', { type: 'a' })
  .parallelGateway('join')
  .endEvent('end')
  .moveToNode('fork')
  .serviceTask('b', { type: 'b' })
  .connectTo('join')
  .done();

describe('parallel gateway', () => {
  it('forks into every outgoing flow', async () => {
    const engine = new EngineHarness();
    await engine.deploy(forkJoin);
    const created = engine.createInstance('fork-join');
    assert.deepEqual(
      created
        .job()
        .withIntent('CREATED')
        .map((r) => r.value.elementId)
        .sort(),
      ['a', 'b'],
    );
    assertLifecycle(engine.records, created.processInstanceKey, [
      'fork-join:ELEMENT_ACTIVATING',
      'fork-join:ELEMENT_ACTIVATED',
      ...lifecycleOf('start'),
      ...lifecycleOf('fork'),
      'a:ELEMENT_ACTIVATING',
      'a:ELEMENT_ACTIVATED',
      'b:ELEMENT_ACTIVATING',
      'b:ELEMENT_ACTIVATED',
    ]);
  });

  it('joins only when every incoming flow has a token, and fires once', async () => {
    const engine = new EngineHarness();
    await engine.deploy(forkJoin);
    const instance = engine.createInstance('fork-join').processInstanceKey;
    const afterA = engine.completeJob(engine.jobKey('a'));
    assert.equal(afterA.processInstance().withElementId('join').length, 0, 'the join waits for b');
    engine.completeJob(engine.jobKey('b'));
    const join = engine.records.processInstance().withElementId('join');
    assert.equal(join.withIntent('ELEMENT_ACTIVATING').length, 1);
    assert.equal(join.withIntent('ELEMENT_COMPLETED').length, 1);
    assert.ok(
      engine.records.processInstance().withElementId('fork-join').withIntent('ELEMENT_COMPLETED').first(),
      'the instance completed',
    );
    assertLifecycle(
      engine.records,
      instance,
      [
        ...lifecycleOf('join'),
        ...lifecycleOf('end'),
        'fork-join:ELEMENT_COMPLETING',
        'fork-join:ELEMENT_COMPLETED',
      ],
      { subsequence: true },
    );
  });
});
