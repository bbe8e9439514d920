import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

/** A process whose start event links the form `start-form`. */
const withStartForm = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="formed" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formId="start-form"/></bpmn:extensionElements></bpmn:startEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('/v2/process-definitions', () => {
  let server: V2TestServer;
  const keys: Record<string, string> = {};
  before(async () => {
    server = await startV2TestServer();
    for (const name of ['One', 'Two']) {
      const d = await server.engine.deploy(
        createProcess('versions', { name }).startEvent().userTask('t').endEvent().done(),
      );
      keys[name] = d.processes[0]!.processDefinitionKey;
    }
    const formed = await server.engine.deploy([
      { name: 'formed.bpmn', xml: withStartForm },
      { name: 'start.form', xml: JSON.stringify({ id: 'start-form', type: 'default', components: [] }) },
    ]);
    keys.formed = formed.processes[0]!.processDefinitionKey;
    await server.engine.createInstance('versions');
    await server.settled();
  });
  after(() => server.close());

  const post = (url: string, payload: object) => server.app.inject({ method: 'POST', url, payload });

  it('searches by id and latest version, sorted', async () => {
    const all = (
      await post('/v2/process-definitions/search', { filter: { processDefinitionId: 'versions' } })
    ).json();
    assert.equal(all.page.totalItems, 2);
    const latest = (
      await post('/v2/process-definitions/search', {
        filter: { isLatestVersion: true },
        sort: [{ field: 'processDefinitionId', order: 'DESC' }],
      })
    ).json();
    assert.deepEqual(
      latest.items.map((d: { processDefinitionId: string; version: number }) => [
        d.processDefinitionId,
        d.version,
      ]),
      [
        ['versions', 2],
        ['formed', 1],
      ],
    );
    assert.deepEqual(Object.keys(latest.items[0]).sort(), [
      'hasStartForm',
      'name',
      'processDefinitionId',
      'processDefinitionKey',
      'resourceName',
      'tenantId',
      'version',
    ]);
    assert.equal(latest.items[1].hasStartForm, true);
    const named = (
      await post('/v2/process-definitions/search', { filter: { name: { $like: 'T*' } } })
    ).json();
    assert.deepEqual(
      named.items.map((d: { processDefinitionKey: string }) => d.processDefinitionKey),
      [keys.Two],
    );
  });

  it('gets one, its XML and its start form', async () => {
    const one = await server.app.inject({ method: 'GET', url: `/v2/process-definitions/${keys.One}` });
    assert.equal(one.json().name, 'One');
    const xml = await server.app.inject({ method: 'GET', url: `/v2/process-definitions/${keys.One}/xml` });
    assert.match(xml.headers['content-type'] as string, /text\/xml/);
    assert.match(xml.body, /id="versions"/);
    const form = await server.app.inject({
      method: 'GET',
      url: `/v2/process-definitions/${keys.formed}/form`,
    });
    assert.equal(form.statusCode, 200);
    assert.equal(form.json().formId, 'start-form');
    assert.deepEqual(form.json().schema.components, []);
    const none = await server.app.inject({ method: 'GET', url: `/v2/process-definitions/${keys.One}/form` });
    assert.equal(none.statusCode, 204);
  });

  it('counts instances per element', async () => {
    const stats = (await post(`/v2/process-definitions/${keys.Two}/statistics/element-instances`, {})).json();
    const task = stats.items.find((s: { elementId: string }) => s.elementId === 't');
    assert.deepEqual(task, { elementId: 't', active: 1, canceled: 0, incidents: 0, completed: 0 });
    const filtered = await post(`/v2/process-definitions/${keys.Two}/statistics/element-instances`, {
      filter: { state: 'ACTIVE' },
    });
    assert.equal(filtered.statusCode, 400);
  });

  it('answers unknown and malformed keys with 404 and 400', async () => {
    for (const path of ['', '/xml', '/form']) {
      const missing = await server.app.inject({
        method: 'GET',
        url: `/v2/process-definitions/2251799813600001${path}`,
      });
      assert.equal(missing.statusCode, 404, path);
      assert.equal(missing.json().title, 'NOT_FOUND');
      const bad = await server.app.inject({ method: 'GET', url: `/v2/process-definitions/one${path}` });
      assert.equal(bad.statusCode, 400, path);
      assert.match(bad.json().detail, /processDefinitionKey/);
    }
    const unsupported = await post('/v2/process-definitions/search', { filter: { versionTag: 'v1' } });
    assert.equal(unsupported.statusCode, 400);
    assert.match(unsupported.json().detail, /filter\.versionTag.*not supported/);
  });
});
