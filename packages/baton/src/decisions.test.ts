import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoggedRecordOf } from '@baton-engine/engine';
import type { BatonError } from './errors.js';
import { completed, memoryEngine, waitFor } from './test-support/fixture.js';
import { chain, end, model, start } from './test-support/event-models.js';
import { stateOf } from './internal.js';

function dmn(hitPolicy: string, rules: string, extra = '') {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="pricing" name="Pricing" namespace="http://baton.dev/test">
  <decision id="level" name="Customer level"><literalExpression id="levelExpr"><text>if orders &gt; 10 then "gold" else "silver"</text></literalExpression></decision>
  <decision id="discount" name="Discount">
    <informationRequirement id="needsLevel"><requiredDecision href="#level"/></informationRequirement>
    <decisionTable id="table" hitPolicy="${hitPolicy}"${extra}>
      <input id="in1" label="Total"><inputExpression id="ie1" typeRef="number"><text>total</text></inputExpression></input>
      <input id="in2" label="Level"><inputExpression id="ie2" typeRef="string"><text>level</text></inputExpression></input>
      <output id="out1" name="discount" typeRef="number"/>
      ${rules}
    </decisionTable>
  </decision>
</definitions>`;
}
const rule = (id: string, total: string, level: string, discount: string) =>
  `<rule id="${id}"><inputEntry id="${id}a"><text>${total}</text></inputEntry><inputEntry id="${id}b"><text>${level}</text></inputEntry><outputEntry id="${id}c"><text>${discount}</text></outputEntry></rule>`;
const rules = [
  rule('big', '&gt;= 100', '"gold"', '0.2'),
  rule('gold', '-', '"gold"', '0.1'),
  rule('any', '-', '-', '0'),
].join('');

describe('DMN decisions', () => {
  it('evaluates a decision table with a required decision, for each hit policy', async () => {
    const { engine } = await memoryEngine();
    const cases: [string, string, unknown][] = [
      ['FIRST', '', 0.2],
      ['RULE ORDER', '', [0.2, 0.1, 0]],
      ['COLLECT', '', [0.2, 0.1, 0]],
      ['COLLECT', ' aggregation="SUM"', 0.30000000000000004],
      ['COLLECT', ' aggregation="COUNT"', 3],
      ['COLLECT', ' aggregation="MAX"', 0.2],
    ];
    for (const [policy, extra, expected] of cases) {
      await engine.deploy({ name: 'pricing.dmn', xml: dmn(policy, rules, extra) });
      const result = await engine.evaluateDecision('discount', { total: 150, orders: 20 });
      assert.deepEqual(result.output, expected, `${policy}${extra}`);
      assert.deepEqual(
        result.evaluatedDecisions.map((d) => d.decisionId),
        ['level', 'discount'],
      );
    }
    await engine.close();
  });

  it('UNIQUE: one match is the result; several matches or none fail naming the decision', async () => {
    const { engine } = await memoryEngine();
    const unique = [rule('big', '&gt;= 100', '-', '0.2'), rule('small', '&lt; 100', '-', '0')].join('');
    await engine.deploy({ name: 'unique.dmn', xml: dmn('UNIQUE', unique) });
    assert.equal((await engine.evaluateDecision('discount', { total: 150, orders: 1 })).output, 0.2);
    await assert.rejects(
      engine.evaluateDecision('discount', { orders: 1 }),
      (e: BatonError) =>
        e.code === 'INVALID_ARGUMENT' &&
        /decision 'discount'.*UNIQUE requires a matching rule/.test(e.message),
    );
    await engine.deploy({ name: 'overlap.dmn', xml: dmn('UNIQUE', rules) });
    await assert.rejects(engine.evaluateDecision('discount', { total: 150, orders: 20 }), (e: BatonError) =>
      /UNIQUE allows one matching rule, but 3 matched: big, gold, any/.test(e.message),
    );
    await assert.rejects(engine.evaluateDecision('nope'), (e: BatonError) => e.code === 'NOT_FOUND');
    await engine.close();
  });

  it('a business rule task stores the result; a failing decision is an incident on the task', async () => {
    const { engine, records } = await memoryEngine();
    const unique = [rule('big', '&gt;= 100', '-', '0.2'), rule('small', '&lt; 100', '-', '0')].join('');
    await engine.deploy([
      { name: 'pricing.dmn', xml: dmn('UNIQUE', unique) },
      {
        name: 'order.bpmn',
        xml: model('order', [
          start('s'),
          {
            xml: '<bpmn:businessRuleTask id="price"><bpmn:extensionElements><zeebe:calledDecision decisionId="discount" resultVariable="discount"/></bpmn:extensionElements></bpmn:businessRuleTask>',
          },
          end('e'),
          ...chain('s', 'price', 'e'),
        ]),
      },
    ]);
    const result = await engine.createInstanceWithResult('order', { total: 120, orders: 3 });
    assert.equal(result.variables.discount, 0.2);
    const stuck = await engine.createInstance('order', { orders: 3 }); // no total: no rule matches
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'DECISION_EVALUATION_ERROR');
    assert.equal(incident?.value.elementId, 'price');
    await engine.setVariables(stuck.processInstanceKey, { total: 10 });
    await engine.resolveIncident(incident!.key);
    await waitFor(() => completed(records, stuck.processInstanceKey), 'completion after the fix');
    await engine.close();
  });

  it('a business rule task records the evaluation with the detail of a standalone one (keys, inputs, matched rules)', async () => {
    const { engine, records } = await memoryEngine();
    const deployment = await engine.deploy([
      { name: 'pricing.dmn', xml: dmn('FIRST', rules) },
      {
        name: 'order.bpmn',
        xml: model('order', [
          start('s'),
          {
            xml: '<bpmn:businessRuleTask id="price"><bpmn:extensionElements><zeebe:calledDecision decisionId="discount" resultVariable="discount"/></bpmn:extensionElements></bpmn:businessRuleTask>',
          },
          end('e'),
          ...chain('s', 'price', 'e'),
        ]),
      },
    ]);
    assert.deepEqual(deployment.decisionRequirements, [
      {
        decisionRequirementsId: 'pricing',
        decisionRequirementsName: 'Pricing',
        version: 1,
        decisionRequirementsKey: deployment.decisions[0]!.decisionRequirementsKey,
        resourceName: 'pricing.dmn',
        duplicate: false,
      },
    ]);
    const keyOf = (id: string) => deployment.decisions.find((d) => d.decisionId === id)!.decisionKey;
    const instance = await engine.createInstanceWithResult('order', { total: 50, orders: 20 });
    assert.equal(instance.variables.discount, 0.1);
    const event = records.find(
      (r) => r.valueType === 'DECISION_EVALUATION' && r.intent === 'EVALUATED',
    ) as LoggedRecordOf<'DECISION_EVALUATION'>;
    const standalone = await engine.evaluateDecision('discount', { total: 50, orders: 20 });
    assert.equal(event.value.elementInstanceKey !== '-1', true, 'the task is named');
    assert.deepEqual(
      { ...event.value, elementInstanceKey: '', processInstanceKey: '', variables: {} },
      {
        decisionId: 'discount',
        decisionKey: keyOf('discount'),
        version: 1,
        decisionName: 'Discount',
        decisionRequirementsId: 'pricing',
        decisionRequirementsKey: standalone.decisionRequirementsKey,
        elementInstanceKey: '',
        processInstanceKey: '',
        variables: {},
        output: 0.1,
        failureMessage: '',
        evaluatedDecisions: standalone.evaluatedDecisions,
      },
    );
    const [level, discount] = standalone.evaluatedDecisions;
    assert.equal(level!.decisionKey, keyOf('level'));
    assert.equal(level!.decisionType, 'LITERAL_EXPRESSION');
    assert.deepEqual(discount!.evaluatedInputs, [
      { inputId: 'in1', inputName: 'Total', inputValue: 50 },
      { inputId: 'in2', inputName: 'Level', inputValue: 'gold' },
    ]);
    assert.deepEqual(discount!.matchedRules, [
      {
        ruleId: 'gold',
        ruleIndex: 2,
        evaluatedOutputs: [{ outputId: 'out1', outputName: 'discount', outputValue: 0.1 }],
      },
    ]);
    await engine.close();
  });

  it('answers a failed evaluation instead of rejecting it when asked, naming the decision that failed', async () => {
    const { engine } = await memoryEngine();
    const unique = [rule('big', '&gt;= 100', '-', '0.2'), rule('small', '&lt; 100', '-', '0')].join('');
    await engine.deploy({ name: 'unique.dmn', xml: dmn('UNIQUE', unique) });
    const failed = await engine.evaluateDecision('discount', { orders: 1 }, { failure: 'answer' });
    assert.equal(failed.failedDecisionId, 'discount');
    assert.match(failed.failureMessage!, /^Expected to evaluate decision 'discount', but hit policy UNIQUE/);
    assert.equal(failed.output, null);
    assert.deepEqual(
      failed.evaluatedDecisions.map((d) => d.decisionId),
      ['level'],
      'the decisions evaluated before the failure',
    );
    await engine.close();
  });

  it('rejects a DMN resource with a broken unary test, naming the rule', async () => {
    const { engine } = await memoryEngine();
    await assert.rejects(
      engine.deploy({ name: 'bad.dmn', xml: dmn('FIRST', rule('broken', '&gt;= ', '-', '1')) }),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT' && /element 'broken'/.test(e.message),
    );
    await engine.close();
  });
});
