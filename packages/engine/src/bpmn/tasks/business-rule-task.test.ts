import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const discountDmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="pricing" name="Pricing" namespace="http://baton.dev/test">
  <decision id="discount" name="Discount">
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="in1" label="Total"><inputExpression id="ie1" typeRef="number"><text>total</text></inputExpression></input>
      <output id="out1" name="discount" typeRef="number"/>
      <rule id="big"><inputEntry id="b1"><text>&gt;= 100</text></inputEntry><outputEntry id="b2"><text>0.2</text></outputEntry></rule>
      <rule id="any"><inputEntry id="a1"><text>-</text></inputEntry><outputEntry id="a2"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

const price = createProcess('price')
  .startEvent()
  .businessRuleTask('decide', { decisionId: 'discount', resultVariable: 'discount' })
  .endEvent('end')
  .done();

describe('business rule task', () => {
  it('evaluates the called decision into the result variable and completes', async () => {
    const engine = new EngineHarness();
    await engine.deploy({ resourceName: 'pricing.dmn', content: discountDmn }, price);
    const created = engine.createInstance('price', { total: 150 });
    assert.equal(created.variable().withName('discount').only().value.value, 0.2);
    assert.ok(created.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });

  it('raises an incident when the decision is not deployed', async () => {
    const engine = new EngineHarness();
    await engine.deploy(price);
    const created = engine.createInstance('price', { total: 1 });
    assert.equal(created.incident().withIntent('CREATED').only().value.errorType, 'CALLED_DECISION_ERROR');
  });

  it('with a job worker implementation, creates a job like a service task', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('rules-job').startEvent().businessRuleTask('r', { type: 'rules' }).endEvent().done(),
    );
    const created = engine.createInstance('rules-job');
    assert.equal(created.job().withIntent('CREATED').only().value.type, 'rules');
  });
});
