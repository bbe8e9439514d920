import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('/v2/incidents', () => {
  let server: V2TestServer;
  let instanceKey: string;
  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(
      createProcess('failing')
        .startEvent()
        .exclusiveGateway('calc')
        .condition('= amount > 100')
        .endEvent('big')
        .moveToNode('calc')
        .condition('= amount <= 100')
        .endEvent('small')
        .done(),
    );
    instanceKey = (await server.engine.createInstance('failing')).processInstanceKey;
    await server.settled();
  });
  after(() => server.close());

  const post = async (url: string, payload?: object) => {
    const response = await server.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: (response.body ? response.json() : {}) as Json };
  };

  it('searches, gets and resolves an incident', async () => {
    const found = await post('/v2/incidents/search', {
      filter: {
        processInstanceKey: instanceKey,
        state: 'ACTIVE',
        creationTime: { $lte: new Date(Date.now() + 60_000).toISOString() },
      },
    });
    assert.equal(found.body.page.totalItems, 1);
    const incident = found.body.items[0];
    assert.equal(incident.elementId, 'calc');
    assert.equal(incident.processDefinitionId, 'failing');
    assert.ok(!Number.isNaN(Date.parse(incident.creationTime)));
    const one = await server.app.inject({ method: 'GET', url: `/v2/incidents/${incident.incidentKey}` });
    assert.deepEqual(one.json(), incident);

    // Still failing: resolving retries the gateway, which raises a new incident.
    assert.equal((await post(`/v2/incidents/${incident.incidentKey}/resolution`)).status, 204);
    await server.settled();
    const after = await post('/v2/incidents/search', {
      filter: { processInstanceKey: instanceKey },
      sort: [{ field: 'incidentKey', order: 'ASC' }],
    });
    assert.deepEqual(
      after.body.items.map((i: Json) => i.state),
      ['RESOLVED', 'ACTIVE'],
    );
    const again = await post(`/v2/incidents/${incident.incidentKey}/resolution`);
    assert.equal(again.status, 404);
  });

  it('refuses unknown incidents and bad filters', async () => {
    assert.equal(
      (await server.app.inject({ method: 'GET', url: '/v2/incidents/2251799813600123' })).statusCode,
      404,
    );
    const bad = await post('/v2/incidents/search', { filter: { creationTime: { $gt: 'soon' } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /filter\.creationTime\.\$gt/);
  });
});
