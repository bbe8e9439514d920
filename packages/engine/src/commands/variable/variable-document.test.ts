import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const nested = createProcess('p')
  .startEvent()
  .subProcess('sub', { inputs: [{ source: '= 0', target: 'counter' }] }, (sub) =>
    sub.startEvent().serviceTask('t', { type: 'w' }).endEvent(),
  )
  .endEvent()
  .done();

async function started() {
  const engine = new EngineHarness();
  await engine.deploy(nested);
  const created = engine.createInstance('p', { top: 1 });
  const sub = created.processInstance().withElementId('sub').withIntent('ELEMENT_ACTIVATED').only().key;
  return { engine, instance: created.processInstanceKey, sub };
}

describe('UPDATE variable document', () => {
  it('PROPAGATE updates a variable where it is visible and creates new ones at the root', async () => {
    const { engine, instance, sub } = await started();
    const updated = engine.setVariables(sub, { counter: 5, fresh: true });
    assert.equal(updated.response?.intent, 'UPDATED');
    const counter = updated.variable().withName('counter').only();
    assert.equal(counter.intent, 'UPDATED');
    assert.equal(counter.value.scopeKey, sub);
    assert.equal(updated.variable().withName('fresh').only().value.scopeKey, instance);
  });

  it('LOCAL sets every variable on the scope itself', async () => {
    const { engine, sub } = await started();
    const updated = engine.setVariables(sub, { top: 2 }, { local: true });
    const top = updated.variable().withName('top').only();
    assert.equal(top.intent, 'CREATED');
    assert.equal(top.value.scopeKey, sub, 'shadows the root variable');
  });

  it('writes nothing for a value that did not change', async () => {
    const { engine, instance } = await started();
    assert.equal(engine.setVariables(instance, { top: 1 }).variable().length, 0);
  });

  it('refuses an unknown scope and a document that is not an object', async () => {
    const { engine, instance } = await started();
    assert.equal(engine.setVariables('31337', { a: 1 }).rejection?.rejectionType, 'NOT_FOUND');
    const notObject = engine.setVariables(instance, [1, 2] as unknown as Record<string, unknown>);
    assert.equal(notObject.rejection?.rejectionType, 'INVALID_ARGUMENT');
  });
});
