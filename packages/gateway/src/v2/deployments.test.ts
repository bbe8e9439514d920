import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { multipartBody, startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

const form = JSON.stringify({ id: 'approve-form', type: 'default', components: [] });
const dmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="risk" name="Risk" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="riskLevel" name="Risk level">
    <literalExpression id="expr"><text>"low"</text></literalExpression>
  </decision>
</definitions>`;

describe('POST /v2/deployments', () => {
  let server: V2TestServer;
  before(async () => {
    server = await startV2TestServer();
  });
  after(() => server.close());

  const deploy = async (files: { name: string; content: string; field?: string }[], fields = {}) => {
    const body = await multipartBody(files, fields);
    return server.app.inject({ method: 'POST', url: '/v2/deployments', ...body });
  };

  it('deploys BPMN, DMN and a form in one deployment, listing each', async () => {
    const bpmn = await createProcess('deployed', { name: 'Deployed' }).startEvent().endEvent().toXml();
    const response = await deploy(
      [
        { name: 'deployed.bpmn', content: bpmn },
        { name: 'risk.dmn', content: dmn },
        { name: 'approve.form', content: form },
      ],
      { tenantId: '<default>' },
    );
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.match(body.deploymentKey, /^\d+$/);
    assert.equal(body.tenantId, '<default>');
    const kinds = body.deployments.map((d: object) => Object.keys(d)[0]).sort();
    assert.deepEqual(kinds, ['decisionDefinition', 'decisionRequirements', 'form', 'processDefinition']);
    const process = body.deployments.find(
      (d: { processDefinition?: unknown }) => d.processDefinition,
    ).processDefinition;
    assert.deepEqual(Object.keys(process).sort(), [
      'processDefinitionId',
      'processDefinitionKey',
      'processDefinitionVersion',
      'resourceName',
      'tenantId',
    ]);
    assert.equal(process.processDefinitionVersion, 1);
    const decision = body.deployments.find(
      (d: { decisionDefinition?: unknown }) => d.decisionDefinition,
    ).decisionDefinition;
    assert.equal(decision.decisionDefinitionId, 'riskLevel');
  });

  it('refuses what cannot be deployed, naming the problem', async () => {
    const cases: [Awaited<ReturnType<typeof deploy>>, number, RegExp][] = [
      [await deploy([]), 400, /'resources'/],
      [await deploy([{ name: 'x.bpmn', content: '<nope/>' }]), 400, /x\.bpmn/],
      [await deploy([{ name: 'x.bpmn', content: 'x', field: 'files' }]), 400, /'files'/],
      [await deploy([{ name: 'a.bpmn', content: 'x' }], { tenantId: 'acme' }), 400, /acme/],
      [
        await server.app.inject({
          method: 'POST',
          url: '/v2/deployments',
          payload: { resources: [] },
        }),
        415,
        /multipart\/form-data/,
      ],
    ];
    for (const [response, status, detail] of cases) {
      assert.equal(response.statusCode, status, response.body);
      assert.match(response.headers['content-type'] as string, /problem\+json/);
      assert.match(response.json().detail, detail);
    }
  });
});
