import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';
import { pricingDmn, taskModels } from './task-test-models.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field */

describe('/v2 decisions', () => {
  let server: V2TestServer;
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      type: String(res.headers['content-type']),
      text: res.body,
      body:
        res.body && String(res.headers['content-type']).includes('json') ? (res.json() as any) : undefined,
    };
  };
  const definition = async (decisionDefinitionId: string) => {
    await server.settled();
    const { body } = await call('POST', '/v2/decision-definitions/search', {
      filter: { decisionDefinitionId },
    });
    return body.items[0];
  };

  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(taskModels);
  });
  after(() => server.close());

  it('searches and gets decision definitions and their DRG, with the XML', async () => {
    const discount = await definition('discount');
    assert.equal(discount.name, 'Discount');
    assert.equal(discount.version, 1);
    assert.equal(discount.decisionRequirementsId, 'pricing');
    assert.equal(discount.tenantId, '<default>');
    const level = await definition('level');
    assert.equal(level.decisionRequirementsKey, discount.decisionRequirementsKey, 'one DRG');
    const got = await call('GET', `/v2/decision-definitions/${discount.decisionDefinitionKey}`);
    assert.deepEqual(got.body, discount);
    const xml = await call('GET', `/v2/decision-definitions/${discount.decisionDefinitionKey}/xml`);
    assert.equal(xml.status, 200);
    assert.match(xml.type, /^text\/xml/);
    assert.equal(xml.text, pricingDmn);
    const drgs = await call('POST', '/v2/decision-requirements/search', {
      filter: { decisionRequirementsId: 'pricing' },
    });
    assert.equal(drgs.body.items.length, 1);
    const drg = drgs.body.items[0];
    assert.deepEqual(drg, {
      tenantId: '<default>',
      decisionRequirementsKey: discount.decisionRequirementsKey,
      decisionRequirementsId: 'pricing',
      decisionRequirementsName: 'Pricing',
      version: 1,
      resourceName: 'pricing.dmn',
    });
    assert.deepEqual(
      (await call('GET', `/v2/decision-requirements/${drg.decisionRequirementsKey}`)).body,
      drg,
    );
    const drgXml = await call('GET', `/v2/decision-requirements/${drg.decisionRequirementsKey}/xml`);
    assert.equal(drgXml.text, pricingDmn);
    const sorted = await call('POST', '/v2/decision-definitions/search', {
      sort: [{ field: 'decisionDefinitionId', order: 'DESC' }],
    });
    assert.deepEqual(
      sorted.body.items.map((d: any) => d.decisionDefinitionId),
      ['level', 'discount'],
    );
    for (const path of [
      '/v2/decision-definitions/2251799813685249',
      '/v2/decision-definitions/2251799813685249/xml',
      '/v2/decision-requirements/2251799813685249',
      '/v2/decision-requirements/2251799813685249/xml',
    ]) {
      const missing = await call('GET', path);
      assert.equal(missing.status, 404, path);
      assert.equal(missing.body.title, 'NOT_FOUND');
    }
  });

  it('evaluates a decision by id and by key, with what it evaluated', async () => {
    const byId = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionId: 'discount',
      variables: { total: 150, orders: 20 },
    });
    assert.equal(byId.status, 200);
    const e = byId.body;
    assert.equal(e.decisionDefinitionId, 'discount');
    assert.equal(e.decisionDefinitionName, 'Discount');
    assert.equal(e.decisionDefinitionVersion, 1);
    assert.equal(e.decisionRequirementsId, 'pricing');
    assert.equal(e.output, '0.2');
    assert.equal(e.failedDecisionDefinitionId, '');
    assert.equal(e.failureMessage, '');
    assert.equal(e.tenantId, '<default>');
    assert.equal(typeof e.decisionEvaluationKey, 'string');
    assert.deepEqual(
      e.evaluatedDecisions.map((d: any) => [d.decisionDefinitionId, d.decisionDefinitionType, d.output]),
      [
        ['level', 'LITERAL_EXPRESSION', '"gold"'],
        ['discount', 'DECISION_TABLE', '0.2'],
      ],
    );
    const table = e.evaluatedDecisions[1];
    assert.deepEqual(table.evaluatedInputs, [
      { inputId: 'total', inputName: 'Total', inputValue: '150' },
      { inputId: 'lvl', inputName: 'Level', inputValue: '"gold"' },
    ]);
    assert.deepEqual(table.matchedRules, [
      {
        ruleId: 'big',
        ruleIndex: 1,
        evaluatedOutputs: [{ outputId: 'rate', outputName: 'discount', outputValue: '0.2' }],
      },
    ]);
    const byKey = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionKey: e.decisionDefinitionKey,
      variables: { total: 10, orders: 1 },
    });
    assert.equal(byKey.body.output, '0');
  });

  it('answers a failed evaluation with the decision that failed, and records it', async () => {
    const failed = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionId: 'discount',
      variables: { orders: 1 },
    });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.failedDecisionDefinitionId, 'discount');
    assert.match(failed.body.failureMessage, /UNIQUE/);
    await server.settled();
    const instances = await call('POST', '/v2/decision-instances/search', {
      filter: { decisionEvaluationKey: failed.body.decisionEvaluationKey },
    });
    assert.deepEqual(
      instances.body.items.map((d: any) => [d.decisionDefinitionId, d.state]),
      [
        ['level', 'EVALUATED'],
        ['discount', 'FAILED'],
      ],
    );
    assert.match(instances.body.items[1].evaluationFailure, /UNIQUE/);
  });

  it('searches and gets decision instances, from the API and from business rule tasks', async () => {
    const { processInstanceKey } = await server.engine.createInstance('priced', { total: 500, orders: 50 });
    await server.settled();
    const fromTask = await call('POST', '/v2/decision-instances/search', {
      filter: { processInstanceKey, decisionDefinitionId: 'discount' },
    });
    assert.equal(fromTask.status, 200);
    assert.equal(fromTask.body.items.length, 1);
    const instance = fromTask.body.items[0];
    assert.equal(instance.state, 'EVALUATED');
    assert.equal(instance.result, '0.2');
    assert.equal(instance.decisionDefinitionType, 'DECISION_TABLE');
    assert.equal(typeof instance.processDefinitionKey, 'string');
    assert.equal(typeof instance.elementInstanceKey, 'string');
    assert.ok(!Number.isNaN(Date.parse(instance.evaluationDate)));
    assert.equal('evaluatedInputs' in instance, false, 'the search leaves the details out');
    const got = await call('GET', `/v2/decision-instances/${instance.decisionEvaluationInstanceKey}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.decisionEvaluationInstanceKey, instance.decisionEvaluationInstanceKey);
    assert.deepEqual(got.body.evaluatedInputs, [
      { inputId: 'total', inputName: 'Total', inputValue: '500' },
      { inputId: 'lvl', inputName: 'Level', inputValue: '"gold"' },
    ]);
    assert.equal(got.body.matchedRules[0].ruleId, 'big');
    const all = await call('POST', '/v2/decision-instances/search', {
      filter: { state: 'EVALUATED', evaluationDate: { $gte: '2000-01-01T00:00:00Z' } },
      sort: [{ field: 'evaluationDate', order: 'DESC' }],
      page: { limit: 100 },
    });
    assert.ok(all.body.page.totalItems >= 5);
    assert.ok(all.body.items.every((d: any) => d.state === 'EVALUATED'));
    const missing = await call('GET', '/v2/decision-instances/2251799813685249001');
    assert.equal(missing.status, 404);
  });

  it('refuses bad bodies naming the field and unknown decisions', async () => {
    const neither = await call('POST', '/v2/decision-definitions/evaluation', { variables: {} });
    assert.equal(neither.status, 400);
    assert.match(neither.body.detail, /decisionDefinitionId or decisionDefinitionKey/);
    const both = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionId: 'discount',
      decisionDefinitionKey: '1',
    });
    assert.equal(both.status, 400);
    const wrongType = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionKey: 12,
    });
    assert.equal(wrongType.status, 400);
    const unknown = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionId: 'nope',
    });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.detail, /nope/);
    const tenant = await call('POST', '/v2/decision-definitions/evaluation', {
      decisionDefinitionId: 'discount',
      tenantId: 'acme',
    });
    assert.equal(tenant.status, 400);
    assert.match(tenant.body.detail, /acme/);
    const badFilter = await call('POST', '/v2/decision-instances/search', { filter: { state: 7 } });
    assert.equal(badFilter.status, 400);
    assert.match(badFilter.body.detail, /filter\.state/);
    const badKey = await call('GET', '/v2/decision-definitions/abc');
    assert.equal(badKey.status, 400);
    assert.match(badKey.body.detail, /decisionDefinitionKey/);
  });
});
