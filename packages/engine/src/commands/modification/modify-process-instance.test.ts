import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const steps = createProcess('steps')
  .startEvent()
  .serviceTask('first', { type: 'first' })
  .serviceTask('second', { type: 'second' })
  .endEvent()
  .done();

async function started() {
  const engine = new EngineHarness();
  await engine.deploy(steps);
  const created = engine.createInstance('steps');
  const first = created.processInstance().withElementId('first').withIntent('ELEMENT_ACTIVATED').only().key;
  return { engine, instance: created.processInstanceKey, first };
}

const activate = (elementId: string, variables?: Record<string, unknown>) => ({
  elementId,
  ancestorElementInstanceKey: '-1',
  variableInstructions: variables ? [{ variables, scopeId: '' }] : [],
});

describe('MODIFY process instance', () => {
  it('moves a token: terminates one element instance and activates another', async () => {
    const { engine, instance, first } = await started();
    const modified = engine.modifyInstance(instance, {
      activate: [activate('second', { skipped: true })],
      terminate: [first],
    });
    assert.equal(modified.rejection, undefined);
    assert.equal(modified.processInstance().withElementId('first').last()?.intent, 'ELEMENT_TERMINATED');
    assert.equal(modified.job().withIntent('CREATED').only().value.type, 'second');
    assert.equal(modified.variable().withName('skipped').only().value.value, true);
  });

  it('refuses an unknown instance', async () => {
    const { engine } = await started();
    assert.equal(
      engine.modifyInstance('999', { activate: [activate('second')] }).rejection?.rejectionType,
      'NOT_FOUND',
    );
  });

  it('refuses to activate an element the process does not have, and writes nothing of the other instructions', async () => {
    const { engine, instance, first } = await started();
    const refused = engine.modifyInstance(instance, { activate: [activate('nowhere')], terminate: [first] });
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(refused.rejection?.rejectionReason ?? '', /nowhere/);
    assert.equal(refused.processInstance().length, 0, 'one bad instruction refuses all');
  });

  it('refuses to terminate an element instance that is not active in it', async () => {
    const { engine, instance } = await started();
    const refused = engine.modifyInstance(instance, { terminate: ['424242'] });
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(refused.rejection?.rejectionReason ?? '', /not an active element instance/);
  });

  it('refuses variables that are not a document', async () => {
    const { engine, instance } = await started();
    const refused = engine.modifyInstance(instance, {
      activate: [{ ...activate('second'), variableInstructions: [{ variables: 5 as never, scopeId: '' }] }],
    });
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
  });
});
