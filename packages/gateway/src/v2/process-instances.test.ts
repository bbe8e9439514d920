import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('/v2/process-instances', () => {
  let server: V2TestServer;
  let childKey: string;
  let parentKey: string;
  let v1Key: string;
  before(async () => {
    server = await startV2TestServer();
    const v1 = await server.engine.deploy(
      createProcess('child').startEvent().userTask('wait').endEvent().done(),
    );
    v1Key = v1.processes[0]!.processDefinitionKey;
    await server.engine.deploy(
      createProcess('parent', { name: 'Parent' })
        .startEvent()
        .callActivity('call', { processId: 'child' })
        .endEvent()
        .done(),
    );
    await server.engine.deploy(createProcess('child').startEvent().userTask('wait').endEvent('done').done());
  });
  after(() => server.close());

  const post = async (url: string, payload?: object) => {
    const response = await server.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: (response.body ? response.json() : {}) as Json };
  };
  const get = async (url: string) => {
    const response = await server.app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() as Json };
  };

  it('creates by id and version or by key, and answers the created instance', async () => {
    const byVersion = await post('/v2/process-instances', {
      processDefinitionId: 'child',
      processDefinitionVersion: 1,
    });
    assert.equal(byVersion.status, 200);
    assert.equal(byVersion.body.processDefinitionKey, v1Key);
    assert.deepEqual(Object.keys(byVersion.body).sort(), [
      'processDefinitionId',
      'processDefinitionKey',
      'processDefinitionVersion',
      'processInstanceKey',
      'tenantId',
      'variables',
    ]);
    const byKey = await post('/v2/process-instances', { processDefinitionKey: v1Key, variables: { x: 1 } });
    assert.equal(byKey.body.processDefinitionVersion, 1);
  });

  it('refuses bad creation requests naming the field', async () => {
    const cases: [object, number, RegExp][] = [
      [{}, 400, /processDefinitionId/],
      [{ processDefinitionId: 'child', processDefinitionKey: v1Key }, 400, /exactly one/],
      [{ processDefinitionKey: 42 }, 400, /'body\.processDefinitionKey'/],
      [{ processDefinitionId: 'child', variables: [1] }, 400, /'body\.variables'/],
      [{ processDefinitionId: 'child', tenantId: 'acme' }, 400, /acme/],
      [{ processDefinitionId: 'child', tags: ['a'] }, 400, /'body\.tags'/],
      [{ processDefinitionID: 'child' }, 400, /'body' has unknown properties: 'processDefinitionID'/],
      [{ processDefinitionId: 'ghost' }, 404, /ghost/],
    ];
    for (const [body, status, detail] of cases) {
      const answer = await post('/v2/process-instances', body);
      assert.equal(answer.status, status, JSON.stringify(body));
      assert.match(answer.body.detail, detail);
    }
  });

  it('awaits the result, and answers 504 when it does not come in time', async () => {
    const timedOut = await post('/v2/process-instances', {
      processDefinitionId: 'child',
      awaitCompletion: true,
      requestTimeout: '50',
    });
    assert.equal(timedOut.status, 504);
    assert.equal(timedOut.body.title, 'DEADLINE_EXCEEDED');
  });

  it('searches by variables and alternatives, walks the call hierarchy, lists taken flows', async () => {
    const parent = await post('/v2/process-instances', {
      processDefinitionId: 'parent',
      variables: { order: 'p-1' },
    });
    await server.settled();
    const children = await post('/v2/process-instances/search', {
      filter: { parentProcessInstanceKey: parent.body.processInstanceKey },
    });
    assert.equal(children.body.items.length, 1);
    childKey = children.body.items[0].processInstanceKey;
    parentKey = parent.body.processInstanceKey;
    assert.equal(children.body.items[0].processDefinitionVersion, 2);

    const byVariable = await post('/v2/process-instances/search', {
      filter: { variables: [{ name: 'order', value: '"p-1"' }] },
    });
    assert.deepEqual(
      byVariable.body.items.map((i: Json) => i.processInstanceKey).sort(),
      [parent.body.processInstanceKey, childKey].sort(),
    );
    const none = await post('/v2/process-instances/search', {
      filter: { variables: [{ name: 'order', value: '"nope"' }] },
    });
    assert.equal(none.body.page.totalItems, 0);
    const either = await post('/v2/process-instances/search', {
      filter: { $or: [{ processDefinitionId: 'parent' }, { processInstanceKey: childKey }] },
    });
    assert.equal(either.body.page.totalItems, 2);

    const hierarchy = await get(`/v2/process-instances/${childKey}/call-hierarchy`);
    assert.deepEqual(hierarchy.body, [
      {
        processInstanceKey: parent.body.processInstanceKey,
        processDefinitionKey: parent.body.processDefinitionKey,
        processDefinitionName: 'Parent',
      },
      {
        processInstanceKey: childKey,
        processDefinitionKey: children.body.items[0].processDefinitionKey,
        processDefinitionName: 'child',
      },
    ]);
    const flows = await get(`/v2/process-instances/${parent.body.processInstanceKey}/sequence-flows`);
    assert.equal(flows.body.items.length, 1);
    assert.equal(flows.body.items[0].processDefinitionId, 'parent');

    const incidents = await post(`/v2/process-instances/${childKey}/incidents/search`, {});
    assert.equal(incidents.body.page.totalItems, 0);
  });

  it('refuses modification and migration that cannot apply, then cancels', async () => {
    const badScope = await post(`/v2/process-instances/${childKey}/modification`, {
      activateInstructions: [
        { elementId: 'wait', variableInstructions: [{ variables: {}, scopeId: 'other' }] },
      ],
    });
    assert.equal(badScope.status, 400);
    assert.match(badScope.body.detail, /activateInstructions\.0\.variableInstructions\.0\.scopeId/);
    const unknownElement = await post(`/v2/process-instances/${childKey}/modification`, {
      activateInstructions: [{ elementId: 'nowhere' }],
    });
    assert.equal(unknownElement.status, 400);
    assert.match(unknownElement.body.detail, /nowhere/);
    const badMapping = await post(`/v2/process-instances/${childKey}/migration`, {
      targetProcessDefinitionKey: v1Key,
      mappingInstructions: [],
    });
    assert.equal(badMapping.status, 400);
    assert.match(badMapping.body.detail, /mappingInstructions/);

    // A called instance is cancelled through its parent (as Zeebe refuses it: 409).
    const child = await post(`/v2/process-instances/${childKey}/cancellation`);
    assert.equal(child.status, 409);
    assert.equal(child.body.title, 'INVALID_STATE');
    assert.equal((await post(`/v2/process-instances/${parentKey}/cancellation`)).status, 204);
    await server.settled();
    assert.equal((await get(`/v2/process-instances/${childKey}`)).body.state, 'TERMINATED');
    const again = await post(`/v2/process-instances/${parentKey}/cancellation`);
    assert.equal(again.status, 404);
  });

  it('counts element instances of one instance', async () => {
    const created = await post('/v2/process-instances', { processDefinitionId: 'child' });
    await server.settled();
    const stats = await get(
      `/v2/process-instances/${created.body.processInstanceKey}/statistics/element-instances`,
    );
    const wait = stats.body.items.find((s: Json) => s.elementId === 'wait');
    assert.deepEqual(wait, { elementId: 'wait', active: 1, canceled: 0, incidents: 0, completed: 0 });
  });
});
