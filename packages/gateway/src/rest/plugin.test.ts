import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError, createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { createAuthenticator } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { startHttpGateway } from './http-gateway.js';
import type { RunningHttpGateway } from './http-gateway.js';
import type { RestPlugin } from './plugin.js';
import { keyParams, objectSchema } from './schemas.js';
import type { KeyParams } from './schemas.js';

/** A plugin as the /v2 API is written: routes only; credentials, refusals and limits are the server's. */
const thingsPlugin: RestPlugin = async (app, { engine }) => {
  app.get('/things', async () => ({ partitions: engine.partitionCount }));
  app.post<{ Params: KeyParams; Body: { name: string } }>(
    '/things/:key',
    { schema: { params: keyParams, body: objectSchema({ name: { type: 'string' } }, ['name']) } },
    async (request, reply) => reply.code(201).send({ key: request.params.key, name: request.body.name }),
  );
  app.delete('/things/:key', async () => {
    throw new BatonError('NOT_FOUND', 'Expected a thing, but none was found');
  });
};

describe('REST plugins', () => {
  let engine: Engine;
  let http: RunningHttpGateway;
  let base: string;
  const authorization = 'Bearer k';
  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return {
      response,
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: createAuthenticator({ apiKeys: ['k'] }),
      maxBodyBytes: 1_000,
      plugins: [{ plugin: thingsPlugin, prefix: '/v2' }],
    });
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    await http.stop();
    await engine.close();
  });

  it("serves a plugin's routes under its prefix, behind the server's authentication", async () => {
    assert.deepEqual((await call('GET', '/v2/things')).body, { partitions: engine.partitionCount });
    const refused = await call('GET', '/v2/things', undefined, { authorization: 'Bearer wrong' });
    assert.equal(refused.status, 401);
    assert.equal(refused.response.headers.get('www-authenticate'), 'Bearer');
    assert.equal(refused.body.code, 'UNAUTHENTICATED');
    const created = await call('POST', '/v2/things/42', JSON.stringify({ name: 'n' }));
    assert.deepEqual([created.status, created.body], [201, { key: '42', name: 'n' }]);
  });

  it("answers a plugin's refusals as problems: validation naming the field, engine errors, body limit", async () => {
    const missing = await call('POST', '/v2/things/42', '{}');
    assert.equal(missing.status, 400);
    assert.match(String(missing.body.message), /'name': is required/);
    const twoWrong = await call('POST', '/v2/things/42', JSON.stringify({ name: 5, colour: 'red' }));
    assert.match(String(twoWrong.body.message), /'colour': unknown field/);
    assert.match(String(twoWrong.body.message), /'name': must be string/, 'every mismatch is named');
    const badKey = await call('POST', '/v2/things/x', JSON.stringify({ name: 'n' }));
    assert.equal(badKey.status, 400);
    assert.match(String(badKey.body.message), /path parameter 'key': Expected a key/);
    const engineError = await call('DELETE', '/v2/things/42');
    assert.deepEqual([engineError.status, engineError.body.code], [404, 'NOT_FOUND']);
    assert.match(engineError.response.headers.get('content-type')!, /^application\/problem\+json/);
    const tooLarge = await call('POST', '/v2/things/42', JSON.stringify({ name: 'n'.repeat(2_000) }));
    assert.equal(tooLarge.status, 413);
    assert.match(String(tooLarge.body.message), /at most 1000 bytes/);
  });

  it('answers an unknown path under the prefix 404 and a wrong method 405, before credentials', async () => {
    for (const [method, path, status] of [
      ['GET', '/v2/nothing', 404],
      ['PATCH', '/v2/things/42', 405],
      ['PUT', '/v2/things', 405],
      ['GET', '/baton/v1/nothing', 404],
    ] as const) {
      const answer = await call(method, path, undefined, { authorization: '' });
      assert.equal(answer.status, status, `${method} ${path}`);
      assert.equal(answer.body.status, status);
      assert.equal(answer.body.instance, path);
    }
    const wrongMethod = await call('PUT', '/v2/things/42');
    assert.equal(wrongMethod.response.headers.get('allow'), 'POST, DELETE');
  });
});

describe('REST gateway: stopping', () => {
  it('ends open event streams and long polls, then stops', async () => {
    const engine = await createEngine({ store: 'memory' });
    // Tells when the long poll has reached the engine, so that the stop below finds it in flight.
    let polling!: () => void;
    const pollHeld = new Promise<void>((resolve) => (polling = resolve));
    const watched = new Proxy(engine, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property === 'activateJobs')
          return (...args: Parameters<Engine['activateJobs']>) => {
            const jobs = target.activateJobs(...args);
            polling();
            return jobs;
          };
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const http = await startHttpGateway(watched, {
      host: '127.0.0.1',
      port: 0,
      auth: createAuthenticator({ apiKeys: ['k'] }),
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    const base = `http://127.0.0.1:${http.port}`;
    const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
    try {
      const stream = await fetch(`${base}/baton/v1/events`, { headers });
      const reader = stream.body!.getReader();
      const poll = fetch(`${base}/v2/jobs/activation`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'never',
          timeout: 1_000,
          maxJobsToActivate: 1,
          requestTimeout: 300_000,
        }),
      });
      await pollHeld;
      await http.stop();
      let done = false;
      while (!done) done = (await reader.read()).done;
      const answer = await poll;
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { jobs: [] });
    } finally {
      await engine.close();
    }
  });
});
