import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('/v2/variables', () => {
  let server: V2TestServer;
  let instanceKey: string;
  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(createProcess('vars').startEvent().userTask('t').endEvent().done());
    instanceKey = (
      await server.engine.createInstance('vars', { name: 'Ada', order: { id: 7, items: ['a'] }, count: 3 })
    ).processInstanceKey;
    await server.settled();
  });
  after(() => server.close());

  const search = async (payload: object) =>
    (await server.app.inject({ method: 'POST', url: '/v2/variables/search', payload })).json() as Json;

  it('searches variables with their JSON values and keys, and gets one by key', async () => {
    const all = await search({
      filter: { processInstanceKey: instanceKey },
      sort: [{ field: 'name', order: 'DESC' }],
    });
    assert.deepEqual(
      all.items.map((v: Json) => [v.name, v.value, v.isTruncated]),
      [
        ['order', '{"id":7,"items":["a"]}', false],
        ['name', '"Ada"', false],
        ['count', '3', false],
      ],
    );
    const keys = all.items.map((v: Json) => v.variableKey);
    assert.equal(new Set(keys).size, 3);
    const one = await server.app.inject({ method: 'GET', url: `/v2/variables/${keys[1]}` });
    assert.deepEqual(one.json(), {
      tenantId: '<default>',
      variableKey: keys[1],
      name: 'name',
      value: '"Ada"',
      processInstanceKey: instanceKey,
      scopeKey: instanceKey,
    });
    const like = await search({ filter: { value: { $like: '*items*' } } });
    assert.deepEqual(
      like.items.map((v: Json) => v.name),
      ['order'],
    );
  });

  it('keeps the key of a variable when its value changes', async () => {
    const before = (await search({ filter: { name: 'count' } })).items[0];
    await server.engine.setVariables(instanceKey, { count: 4 });
    await server.settled();
    const after = (await search({ filter: { name: 'count' } })).items[0];
    assert.equal(after.value, '4');
    assert.equal(after.variableKey, before.variableKey);
  });

  it('answers an unknown variable with 404 and a wrong filter type with 400', async () => {
    assert.equal(
      (await server.app.inject({ method: 'GET', url: '/v2/variables/2251799813600777' })).statusCode,
      404,
    );
    const bad = await server.app.inject({
      method: 'POST',
      url: '/v2/variables/search',
      payload: { filter: { name: 5 } },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /'filter\.name'/);
  });
});
