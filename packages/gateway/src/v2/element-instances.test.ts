import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('/v2/element-instances', () => {
  let server: V2TestServer;
  let instanceKey: string;
  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(
      createProcess('elements')
        .startEvent('start')
        .subProcess('sub', {}, (sub) => sub.startEvent().userTask('inner').endEvent())
        .endEvent()
        .done(),
    );
    instanceKey = (await server.engine.createInstance('elements')).processInstanceKey;
    await server.settled();
  });
  after(() => server.close());

  const search = async (payload: object) =>
    (
      await server.app.inject({ method: 'POST', url: '/v2/element-instances/search', payload })
    ).json() as Json;

  it('searches by instance, type, state and scope; gets one', async () => {
    const all = await search({ filter: { processInstanceKey: instanceKey }, sort: [{ field: 'startDate' }] });
    assert.deepEqual(
      all.items.map((e: Json) => [e.elementId, e.type, e.state]),
      [
        ['start', 'START_EVENT', 'COMPLETED'],
        ['sub', 'SUB_PROCESS', 'ACTIVE'],
        [all.items[2].elementId, 'START_EVENT', 'COMPLETED'],
        ['inner', 'USER_TASK', 'ACTIVE'],
      ],
    );
    const sub = all.items[1];
    const inScope = await search({
      filter: { elementInstanceScopeKey: sub.elementInstanceKey, state: 'ACTIVE' },
    });
    assert.deepEqual(
      inScope.items.map((e: Json) => e.elementId),
      ['inner'],
    );
    const tasks = await search({ filter: { type: { $in: ['USER_TASK', 'SERVICE_TASK'] } } });
    assert.equal(tasks.page.totalItems, 1);
    const one = await server.app.inject({
      method: 'GET',
      url: `/v2/element-instances/${sub.elementInstanceKey}`,
    });
    assert.deepEqual(Object.keys(one.json()).sort(), [
      'elementId',
      'elementInstanceKey',
      'elementName',
      'hasIncident',
      'processDefinitionId',
      'processDefinitionKey',
      'processInstanceKey',
      'startDate',
      'state',
      'tenantId',
      'type',
    ]);
  });

  it('sets variables on a scope, locally or propagated', async () => {
    const inner = (await search({ filter: { elementId: 'inner' } })).items[0];
    const sub = (await search({ filter: { elementId: 'sub' } })).items[0];
    const put = (key: string, payload: object) =>
      server.app.inject({ method: 'PUT', url: `/v2/element-instances/${key}/variables`, payload });
    assert.equal(
      (await put(sub.elementInstanceKey, { variables: { local: 1 }, local: true })).statusCode,
      204,
    );
    assert.equal((await put(inner.elementInstanceKey, { variables: { up: 2 } })).statusCode, 204);
    await server.settled();
    const variables = (
      await server.app.inject({
        method: 'POST',
        url: '/v2/variables/search',
        payload: { filter: { processInstanceKey: instanceKey }, sort: [{ field: 'name' }] },
      })
    ).json();
    assert.deepEqual(
      variables.items.map((v: Json) => [
        v.name,
        v.scopeKey === sub.elementInstanceKey ? 'sub' : v.scopeKey === instanceKey ? 'process' : v.scopeKey,
      ]),
      [
        ['local', 'sub'],
        ['up', 'process'],
      ],
    );
    const bad = await put(sub.elementInstanceKey, { variables: 'x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /'body\.variables'/);
    const missing = await put('2251799813600009', { variables: {} });
    assert.equal(missing.statusCode, 404);
  });

  it('answers an unknown element instance with 404', async () => {
    const missing = await server.app.inject({ method: 'GET', url: '/v2/element-instances/2251799813600009' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().detail, /2251799813600009/);
  });
});
