import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const triage = createProcess('triage')
  .startEvent()
  .adHocSubProcess(
    'investigate',
    { activeElementsCollection: '= tools', completionCondition: '= resolved' },
    (tools) =>
      tools.serviceTask('read-logs', { type: 'read-logs' }).newPath().serviceTask('ask', { type: 'ask' }),
  )
  .endEvent('done')
  .done();

describe('ad-hoc sub-process', () => {
  it('activates the elements its active elements collection names, each in an inner instance', async () => {
    const engine = new EngineHarness();
    await engine.deploy(triage);
    const created = engine.createInstance('triage', { tools: ['read-logs'], resolved: false });
    assert.deepEqual(
      created
        .job()
        .withIntent('CREATED')
        .map((j) => j.value.type),
      ['read-logs'],
    );
    assert.equal(created.processInstance().withElementId('ask').length, 0);
  });

  it('completes once its completion condition holds after an element completes', async () => {
    const engine = new EngineHarness();
    await engine.deploy(triage);
    engine.createInstance('triage', { tools: ['read-logs', 'ask'], resolved: false });
    const first = engine.completeJob(engine.jobKey('read-logs'));
    assert.equal(
      first.processInstance().withElementId('investigate').withIntent('ELEMENT_COMPLETED').length,
      0,
    );
    const second = engine.completeJob(engine.jobKey('ask'), { resolved: true });
    assert.ok(second.processInstance().withElementId('investigate').withIntent('ELEMENT_COMPLETED').first());
    assert.ok(second.processInstance().withElementId('done').withIntent('ELEMENT_COMPLETED').first());
  });

  it('activates more elements on command, and refuses one it does not contain', async () => {
    const engine = new EngineHarness();
    await engine.deploy(triage);
    const created = engine.createInstance('triage', { tools: [], resolved: false });
    const adHoc = created
      .processInstance()
      .withElementId('investigate')
      .withIntent('ELEMENT_ACTIVATED')
      .only();
    const activated = engine.command(
      {
        valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
        intent: 'ACTIVATE',
        value: { adHocSubProcessInstanceKey: adHoc.key, activateElements: [{ elementId: 'ask' }] } as never,
      },
      adHoc.key,
    );
    assert.equal(activated.job().withIntent('CREATED').only().value.type, 'ask');
    const refused = engine.command(
      {
        valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
        intent: 'ACTIVATE',
        value: { adHocSubProcessInstanceKey: adHoc.key, activateElements: [{ elementId: 'nope' }] } as never,
      },
      adHoc.key,
    );
    assert.equal(refused.rejection?.rejectionType, 'NOT_FOUND');
    assert.match(refused.rejection?.rejectionReason ?? '', /nope/);
  });
});
