import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const route = createProcess('inclusive')
  .startEvent()
  .inclusiveGateway('fork')
  .condition('= wantA')
  .serviceTask('a', { type: 'a' })
  .inclusiveGateway('join')
  .endEvent('end')
  .moveToNode('fork')
  .condition('= wantB')
  .serviceTask('b', { type: 'b' })
  .connectTo('join')
  .moveToNode('fork')
  .defaultFlow()
  .task('none')
  .connectTo('join')
  .done();

describe('inclusive gateway', () => {
  it('forks into every flow whose condition holds, and joins only those', async () => {
    const engine = new EngineHarness();
    await engine.deploy(route);
    const created = engine.createInstance('inclusive', { wantA: true, wantB: true });
    assert.deepEqual(created.job().withIntent('CREATED').elementIds().sort(), ['a', 'b']);
    const afterA = engine.completeJob(engine.jobKey('a'));
    assert.equal(afterA.processInstance().withElementId('join').withIntent('ELEMENT_COMPLETED').length, 0);
    const afterB = engine.completeJob(engine.jobKey('b'));
    assert.equal(afterB.processInstance().withElementId('join').withIntent('ELEMENT_COMPLETED').length, 1);
    assert.ok(afterB.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('joins at once when only one branch was taken', async () => {
    const engine = new EngineHarness();
    await engine.deploy(route);
    engine.createInstance('inclusive', { wantA: true, wantB: false });
    const done = engine.completeJob(engine.jobKey('a'));
    assert.equal(done.processInstance().withElementId('join').withIntent('ELEMENT_COMPLETED').length, 1);
    assert.ok(done.processInstance().withElementId('inclusive').withIntent('ELEMENT_COMPLETED').first());
  });

  it('takes the default flow when no condition holds', async () => {
    const engine = new EngineHarness();
    await engine.deploy(route);
    const created = engine.createInstance('inclusive', { wantA: false, wantB: false });
    assert.equal(created.job().length, 0);
    assert.ok(created.processInstance().withElementId('none').withIntent('ELEMENT_COMPLETED').first());
    assert.ok(created.processInstance().withElementId('inclusive').withIntent('ELEMENT_COMPLETED').first());
  });
  // Found with this harness: the fork takes both flows in one step, and the empty branch reached the join while
  // the other branch's first element was only a queued activation, so the join fired at once with one token.
  it('waits for a token still on its way when the other branch reaches the join in the same step', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('skip')
        .startEvent()
        .inclusiveGateway('fork')
        .condition('= true')
        .serviceTask('a', { type: 'a' })
        .serviceTask('a2', { type: 'a2' })
        .inclusiveGateway('join')
        .endEvent('end')
        .moveToNode('fork')
        .condition('= true')
        .connectTo('join')
        .done(),
    );
    const created = engine.createInstance('skip');
    assert.equal(
      created.processInstance().withElementId('join').withIntent('ELEMENT_COMPLETED').length,
      0,
      'the join waits for the branch through a and a2',
    );
    engine.completeJob(engine.jobKey('a'));
    const done = engine.completeJob(engine.jobKey('a2'));
    assert.equal(done.processInstance().withElementId('join').withIntent('ELEMENT_COMPLETED').length, 1);
    assert.ok(done.processInstance().withElementId('skip').withIntent('ELEMENT_COMPLETED').first());
  });
});
