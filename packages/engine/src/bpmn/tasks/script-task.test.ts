import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, assertLifecycle, lifecycleOf } from '../../testing/index.js';

describe('script task', () => {
  it('evaluates its FEEL expression into the result variable and completes', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('sum')
        .startEvent()
        .scriptTask('add', { expression: '= a + b', resultVariable: 'total' })
        .endEvent()
        .done(),
    );
    const created = engine.createInstance('sum', { a: 2, b: 3 });
    assert.equal(created.variable().withName('total').only().value.value, 5);
    assertLifecycle(engine.records, created.processInstanceKey, lifecycleOf('add'), { subsequence: true });
  });

  it('raises an incident when the expression fails, and goes on once it is fixed and resolved', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('fails')
        .startEvent()
        .scriptTask('div', { expression: '= if ready then x * 2 else lookUp(x)', resultVariable: 'r' })
        .endEvent('e')
        .done(),
    );
    const created = engine.createInstance('fails', { x: 7, ready: false });
    const incident = created.incident().withIntent('CREATED').only();
    assert.equal(incident.value.elementId, 'div');
    assert.equal(created.processInstance().withElementId('div').last()?.intent, 'ELEMENT_ACTIVATING');
    engine.setVariables(created.processInstanceKey, { ready: true });
    const resolved = engine.resolveIncident(incident.key);
    assert.equal(resolved.incident().withIntent('RESOLVED').length, 1);
    assert.equal(resolved.variable().withName('r').only().value.value, 14);
    assert.ok(resolved.processInstance().withElementId('e').withIntent('ELEMENT_COMPLETED').first());
  });
});
