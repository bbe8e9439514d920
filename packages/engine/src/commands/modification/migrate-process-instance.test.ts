import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const v1 = createProcess('order').startEvent().serviceTask('pay', { type: 'pay' }).endEvent().done();
const v2 = createProcess('order')
  .startEvent()
  .serviceTask('charge', { type: 'pay' })
  .task('after')
  .endEvent('new-end')
  .done();

function migrate(
  engine: EngineHarness,
  processInstanceKey: string,
  target: string,
  mapping: [string, string][],
) {
  return engine.command({
    valueType: 'PROCESS_INSTANCE_MIGRATION',
    intent: 'MIGRATE',
    value: {
      processInstanceKey,
      targetProcessDefinitionKey: target,
      mappingInstructions: mapping.map(([sourceElementId, targetElementId]) => ({
        sourceElementId,
        targetElementId,
      })),
    },
  });
}

describe('MIGRATE process instance', () => {
  it('moves a waiting instance to the target version, which it then follows', async () => {
    const engine = new EngineHarness();
    await engine.deploy(v1);
    const instance = engine.createInstance('order').processInstanceKey;
    const target = (await engine.deploy(v2)).processDefinitionKeys.order!;
    const migrated = migrate(engine, instance, target, [['pay', 'charge']]);
    assert.equal(migrated.rejection, undefined);
    assert.equal(migrated.processInstance().withIntent('ELEMENT_MIGRATED').withElementId('charge').length, 1);
    const done = engine.completeJob(engine.jobKey('pay'));
    assert.ok(done.processInstance().withElementId('new-end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('refuses an unknown instance, an unknown target, and an active element left unmapped', async () => {
    const engine = new EngineHarness();
    await engine.deploy(v1);
    const instance = engine.createInstance('order').processInstanceKey;
    const target = (await engine.deploy(v2)).processDefinitionKeys.order!;
    assert.equal(migrate(engine, '5', target, []).rejection?.rejectionType, 'NOT_FOUND');
    assert.equal(migrate(engine, instance, '5', []).rejection?.rejectionType, 'NOT_FOUND');
    const unmapped = migrate(engine, instance, target, []);
    assert.equal(unmapped.rejection?.rejectionType, 'INVALID_STATE');
    assert.match(unmapped.rejection?.rejectionReason ?? '', /pay/);
  });
});
