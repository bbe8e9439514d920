import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

describe('THROW_ERROR job', () => {
  it('an error no boundary or event sub-process catches raises an incident naming the code', async () => {
    const engine = new EngineHarness();
    await engine.deploy(createProcess('p').startEvent().serviceTask('t', { type: 'w' }).endEvent().done());
    engine.createInstance('p');
    const jobKey = engine.jobKey('w');
    const thrown = engine.throwError(jobKey, 'NO_STOCK', { errorMessage: 'sold out' });
    assert.equal(thrown.job().withIntent('ERROR_THROWN').only().value.errorCode, 'NO_STOCK');
    const incident = thrown.incident().withIntent('CREATED').only();
    assert.equal(incident.value.errorType, 'UNHANDLED_ERROR_EVENT');
    assert.match(incident.value.errorMessage, /NO_STOCK/);
  });

  it('is caught by the nearest matching boundary event, with the error variables', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('p')
        .startEvent()
        .serviceTask('t', { type: 'w' })
        .boundaryEvent('any-error', { error: true })
        .endEvent('handled')
        .moveToNode('t')
        .endEvent()
        .done(),
    );
    const instance = engine.createInstance('p').processInstanceKey;
    const thrown = engine.throwError(engine.jobKey('w'), 'WHATEVER', { variables: { why: 'x' } });
    assert.ok(thrown.processInstance().withElementId('handled').withIntent('ELEMENT_COMPLETED').first());
    assert.equal(thrown.variable().withName('why').only().value.scopeKey, instance);
  });

  it('refuses a throw without an error code, and for an unknown job', async () => {
    const engine = new EngineHarness();
    await engine.deploy(createProcess('p').startEvent().serviceTask('t', { type: 'w' }).endEvent().done());
    engine.createInstance('p');
    assert.equal(engine.throwError(engine.jobKey('w'), '').rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.equal(engine.throwError('999', 'X').rejection?.rejectionType, 'NOT_FOUND');
  });
});
