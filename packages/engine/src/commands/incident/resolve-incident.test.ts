import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

describe('RESOLVE incident', () => {
  it('retries the failed step: an input mapping that fails again raises a new incident', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('p')
        .startEvent()
        .serviceTask('t', { type: 'w', inputs: [{ source: '= if ok then 1 else fail(x)', target: 'n' }] })
        .endEvent()
        .done(),
    );
    const instance = engine.createInstance('p', { ok: false }).processInstanceKey;
    const first = engine.records.incident().withIntent('CREATED').only();
    assert.equal(first.value.errorType, 'IO_MAPPING_ERROR');
    const again = engine.resolveIncident(first.key);
    assert.equal(again.incident().withIntent('RESOLVED').length, 1);
    assert.equal(again.incident().withIntent('CREATED').length, 1, 'still failing: a new incident');
    const second = again.incident().withIntent('CREATED').only();
    engine.setVariables(instance, { ok: true });
    const fixed = engine.resolveIncident(second.key);
    assert.equal(fixed.incident().withIntent('CREATED').length, 0);
    assert.equal(fixed.job().withIntent('CREATED').length, 1);
  });

  it('refuses an unknown incident, and one already resolved', async () => {
    const engine = new EngineHarness();
    assert.equal(engine.resolveIncident('4242').rejection?.rejectionType, 'NOT_FOUND');
    await engine.deploy(
      createProcess('p')
        .startEvent()
        .scriptTask('s', { expression: '= fail(1)', resultVariable: 'r' })
        .endEvent()
        .done(),
    );
    engine.createInstance('p');
    const incident = engine.records.incident().withIntent('CREATED').only();
    engine.resolveIncident(incident.key);
    assert.equal(engine.resolveIncident(incident.key).rejection?.rejectionType, 'NOT_FOUND');
  });
});
