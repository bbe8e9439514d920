import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

describe('/v2/resources', () => {
  let server: V2TestServer;
  before(async () => {
    server = await startV2TestServer();
  });
  after(() => server.close());

  const deletion = (key: string, payload?: unknown) =>
    server.app.inject({
      method: 'POST',
      url: `/v2/resources/${key}/deletion`,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('deletes a definition; the previous version is the latest again', async () => {
    await server.engine.deploy(createProcess('doomed').startEvent().endEvent().done());
    const v2 = await server.engine.deploy(createProcess('doomed').startEvent().endEvent('other').done());
    const key = v2.processes[0]!.processDefinitionKey;
    assert.equal((await deletion(key)).statusCode, 200);
    await server.settled();
    const latest = await server.app.inject({
      method: 'POST',
      url: '/v2/process-definitions/search',
      payload: { filter: { processDefinitionId: 'doomed', isLatestVersion: true } },
    });
    assert.deepEqual(
      latest.json().items.map((d: { version: number }) => d.version),
      [1],
    );
    assert.equal(
      (await server.app.inject({ method: 'GET', url: `/v2/process-definitions/${key}` })).statusCode,
      404,
    );
  });

  it('refuses unknown keys, malformed keys and bad bodies', async () => {
    assert.equal((await deletion('2251799813600042')).statusCode, 404);
    const malformed = await deletion('latest');
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.json().detail, /resourceKey/);
    const body = await deletion('2251799813600042', { operationReference: 'x' });
    assert.equal(body.statusCode, 400);
    assert.match(body.json().detail, /'body\.operationReference'/);
    const read = await server.app.inject({ method: 'GET', url: '/v2/resources/2251799813600042' });
    assert.equal(read.statusCode, 501);
  });
});
