import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, assertLifecycle, lifecycleOf } from '../../testing/index.js';

const route = createProcess('route')
  .startEvent('start')
  .exclusiveGateway('split')
  .condition('= amount > 100')
  .task('big')
  .endEvent('big-end')
  .moveToNode('split')
  .condition('= amount > 10')
  .task('medium')
  .endEvent('medium-end')
  .moveToNode('split')
  .defaultFlow()
  .task('small')
  .endEvent('small-end')
  .done();

function taken(engine: EngineHarness, instance: string): string[] {
  return engine.records
    .processInstance()
    .withProcessInstanceKey(instance)
    .withIntent('ELEMENT_COMPLETED')
    .elementIds()
    .filter((id) => ['big', 'medium', 'small'].includes(id));
}

describe('exclusive gateway', () => {
  it('takes the first flow whose condition holds, only that one', async () => {
    const engine = new EngineHarness();
    await engine.deploy(route);
    const instance = engine.createInstance('route', { amount: 500 }).processInstanceKey;
    assert.deepEqual(taken(engine, instance), ['big'], 'the first true condition wins, not both');
    assertLifecycle(engine.records, instance, [...lifecycleOf('split'), ...lifecycleOf('big')], {
      subsequence: true,
    });
  });

  it('takes the default flow when no condition holds', async () => {
    const engine = new EngineHarness();
    await engine.deploy(route);
    const instance = engine.createInstance('route', { amount: 1 }).processInstanceKey;
    assert.deepEqual(taken(engine, instance), ['small']);
  });

  it('raises an incident when no condition holds and there is no default flow, and goes on once resolved', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('no-default')
        .startEvent()
        .exclusiveGateway('split')
        .condition('= ok')
        .endEvent('yes')
        .moveToNode('split')
        .condition('= not(ok)')
        .endEvent('no')
        .done(),
    );
    const created = engine.createInstance('no-default', { ok: null });
    const incident = created.incident().withIntent('CREATED').only();
    assert.equal(incident.value.errorType, 'CONDITION_ERROR');
    assert.equal(incident.value.elementId, 'split');
    engine.setVariables(created.processInstanceKey, { ok: true });
    const resolved = engine.resolveIncident(incident.key);
    assert.ok(resolved.processInstance().withElementId('yes').withIntent('ELEMENT_COMPLETED').first());
  });
});
