import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

describe('/v2 paths Baton does not serve', () => {
  let server: V2TestServer;
  before(async () => {
    server = await startV2TestServer();
  });
  after(() => server.close());

  it('answers identity management with 403 NOT_SUPPORTED, any method and sub-path', async () => {
    const calls: [string, string][] = [
      ['POST', '/v2/users'],
      ['POST', '/v2/users/search'],
      ['GET', '/v2/groups/g1'],
      ['PUT', '/v2/roles/r1/users/u1'],
      ['DELETE', '/v2/tenants/t1'],
      ['POST', '/v2/authorizations/search'],
      ['POST', '/v2/mapping-rules'],
      ['POST', '/v2/setup/user'],
    ];
    for (const [method, url] of calls) {
      const response = await server.app.inject({ method: method as 'GET', url, payload: {} });
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.match(response.headers['content-type'] as string, /problem\+json/);
      assert.equal(response.json().title, 'NOT_SUPPORTED');
      assert.match(response.json().detail, /identity management/);
    }
  });

  it('answers documents and usage metrics with 501', async () => {
    for (const url of ['/v2/documents', '/v2/system/usage-metrics', '/v2/license']) {
      const method = url.endsWith('search') || url.endsWith('documents') ? 'POST' : 'GET';
      const response = await server.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      assert.equal(response.statusCode, 501, url);
      assert.equal(response.json().title, 'UNIMPLEMENTED');
    }
  });
});
