import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('/v2/messages and /v2/signals', () => {
  let server: V2TestServer;
  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy([
      createProcess('on-message').startEvent('got', { message: 'start-me' }).endEvent().done(),
      createProcess('on-signal').startEvent('sig', { signal: 'wake' }).endEvent().done(),
      createProcess('waits')
        .startEvent()
        .intermediateCatchEvent('paid', { message: { name: 'paid', correlationKey: '= id' } })
        .endEvent()
        .done(),
    ]);
  });
  after(() => server.close());

  const post = async (url: string, payload: unknown) => {
    const response = await server.app.inject({ method: 'POST', url, payload: payload as object });
    return { status: response.statusCode, body: response.json() as Json };
  };
  const instancesOf = async (id: string) =>
    (await post('/v2/process-instances/search', { filter: { processDefinitionId: id } })).body.page
      .totalItems;

  it('publishes a buffered message once per message id', async () => {
    const first = await post('/v2/messages/publication', {
      name: 'paid',
      correlationKey: 'late',
      timeToLive: '60000',
      messageId: 'm-1',
      variables: { amount: 3 },
    });
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body).sort(), ['messageKey', 'tenantId']);
    const duplicate = await post('/v2/messages/publication', {
      name: 'paid',
      correlationKey: 'late',
      messageId: 'm-1',
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.title, 'ALREADY_EXISTS');
    // The buffered message reaches an instance that subscribes later.
    const late = await server.engine.createInstance('waits', { id: 'late' });
    await server.settled();
    const instance = await server.app.inject({
      method: 'GET',
      url: `/v2/process-instances/${late.processInstanceKey}`,
    });
    assert.equal(instance.json().state, 'COMPLETED');
  });

  it('correlates to a message start event and answers the started instance', async () => {
    const correlated = await post('/v2/messages/correlation', { name: 'start-me', variables: { x: 1 } });
    assert.equal(correlated.status, 200);
    assert.match(correlated.body.processInstanceKey, /^\d+$/);
    await server.settled();
    assert.equal(await instancesOf('on-message'), 1);
    const nothing = await post('/v2/messages/correlation', { name: 'nobody-waits', correlationKey: 'k' });
    assert.equal(nothing.status, 404);
    assert.match(nothing.body.detail, /nobody-waits/);
  });

  it('broadcasts a signal that starts a process', async () => {
    const signal = await post('/v2/signals/broadcast', { signalName: 'wake', variables: { y: 2 } });
    assert.equal(signal.status, 200);
    assert.deepEqual(Object.keys(signal.body).sort(), ['signalKey', 'tenantId']);
    await server.settled();
    assert.equal(await instancesOf('on-signal'), 1);
  });

  it('refuses bad bodies naming the field', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/v2/messages/publication', { correlationKey: 'k' }, /'body\.name' is required/],
      ['/v2/messages/publication', { name: 'm', timeToLive: 'soon' }, /'body\.timeToLive'/],
      ['/v2/messages/correlation', { name: 'm', variables: 3 }, /'body\.variables'/],
      ['/v2/signals/broadcast', { signalName: '' }, /'body\.signalName'/],
      ['/v2/signals/broadcast', { signalName: 's', tenantId: 'other' }, /other/],
    ];
    for (const [url, body, detail] of cases) {
      const answer = await post(url, body);
      assert.equal(answer.status, 400, `${url} ${JSON.stringify(body)}`);
      assert.match(answer.body.detail, detail);
    }
  });
});
