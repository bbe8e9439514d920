import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { ReadModel } from '@baton-engine/read-model';
import { createAuthenticator } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { startHttpGateway } from './http-gateway.js';
import type { RunningHttpGateway } from './http-gateway.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('REST searches over the read model (/v2), live updates and the web root', () => {
  let engine: Engine;
  let readModel: ReadModel;
  let http: RunningHttpGateway;
  let base: string;
  const headers = { authorization: 'Bearer k1' };
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text,
      body: (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Json) : {},
    };
  };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const total = async (path: string, body: unknown) => {
    const answer = await post(path, body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.page.totalItems as number;
  };

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    readModel = await ReadModel.attach(engine, { path: ':memory:' });
    const webRoot = mkdtempSync(join(tmpdir(), 'baton-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>cockpit</title>');
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
    http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: createAuthenticator({ apiKeys: ['k1'], oauthClients: [] }),
      readModel,
      webRoot,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    base = `http://127.0.0.1:${http.port}`;
    const xml = await createProcess('order')
      .startEvent()
      .serviceTask('pay', { type: 'pay', retries: 1 })
      .endEvent()
      .toXml();
    await engine.deploy({ name: 'order.bpmn', xml });
    for (let i = 0; i < 30; i++)
      await engine.createInstance('order', { orderId: `A-${i}`, tier: i % 3 === 0 ? 'gold' : 'std' });
    const jobs = await engine.activateJobs({
      type: 'pay',
      worker: 't',
      timeout: 60_000,
      maxJobsToActivate: 30,
    });
    for (const job of jobs.slice(0, 20)) await engine.completeJob(job.key, { paid: true });
    for (const job of jobs.slice(20, 22))
      await engine.failJob(job.key, { retries: 0, errorMessage: 'card declined' });
    await engine.flush();
  });
  after(async () => {
    await http.stop();
    await engine.close();
    await readModel.close();
  });

  it('lists definitions with their XML and per-element statistics', async () => {
    const definitions = await post('/v2/process-definitions/search', {});
    assert.equal(definitions.status, 200);
    const [order] = definitions.body.items as Json[];
    assert.equal(order!.processDefinitionId, 'order');
    const xml = await get(`/v2/process-definitions/${order!.processDefinitionKey}/xml`);
    assert.match(xml.type, /xml/);
    assert.match(xml.text, /<bpmn:serviceTask id="pay"/);
    const stats = await post(
      `/v2/process-definitions/${order!.processDefinitionKey}/statistics/element-instances`,
      {},
    );
    const pay = (stats.body.items as Json[]).find((s) => s.elementId === 'pay')!;
    assert.deepEqual(
      { active: pay.active, completed: pay.completed, incidents: pay.incidents },
      { active: 10, completed: 20, incidents: 2 },
    );
  });

  it('searches instances by state, incident and variable, with paging', async () => {
    const active = await post('/v2/process-instances/search', {
      filter: { processDefinitionId: 'order', state: 'ACTIVE' },
      page: { from: 4, limit: 4 },
    });
    assert.equal(active.status, 200);
    assert.equal(active.body.page.totalItems, 10);
    assert.equal(active.body.items.length, 4);
    const instances = '/v2/process-instances/search';
    assert.equal(await total(instances, { filter: { state: 'COMPLETED' } }), 20);
    assert.equal(await total(instances, { filter: { hasIncident: true } }), 2);
    assert.equal(await total(instances, { filter: { variables: [{ name: 'tier', value: '"gold"' }] } }), 10);
    assert.equal(await total(instances, { filter: { variables: [{ name: 'orderId', value: '"A-7"' }] } }), 1);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    assert.equal(await total(instances, { filter: { startDate: { $gt: future } } }), 0);
  });

  it('shows one instance with its history, variables, jobs and incidents', async () => {
    const [withIncident] = (await post('/v2/process-instances/search', { filter: { hasIncident: true } }))
      .body.items as Json[];
    const key = withIncident!.processInstanceKey as string;
    const detail = await get(`/baton/v1/process-instances/${key}`);
    assert.equal(detail.status, 200);
    assert.deepEqual(
      (detail.body.elements as Json[]).map((e) => [e.elementType, e.endTime === null]),
      [
        ['START_EVENT', false],
        ['SERVICE_TASK', true],
      ],
      'the start event ended, the task still waits',
    );
    assert.ok((detail.body.takenFlows as string[]).length >= 1);
    assert.equal(detail.body.incidents[0].errorMessage, 'card declined');
    assert.equal(detail.body.jobs[0].state, 'FAILED');
    assert.ok((detail.body.variables as Json[]).some((v) => v.name === 'orderId'));
    assert.equal(await total('/v2/incidents/search', { filter: { processInstanceKey: key } }), 1);
    assert.equal(await total('/v2/jobs/search', { filter: { state: 'COMPLETED', type: 'pay' } }), 20);
    assert.equal(
      await total('/v2/variables/search', { filter: { processInstanceKey: key, name: 'tier' } }),
      1,
    );
    assert.equal((await get('/v2/process-instances/123456789')).status, 404);
    assert.equal((await get('/baton/v1/process-instances/123456789')).status, 404);
  });

  it('sums up a dashboard', async () => {
    const { body } = await get('/baton/v1/dashboard');
    assert.deepEqual(body.instances, { active: 10, completed: 20, terminated: 0 });
    assert.equal(body.openIncidents, 2);
    assert.deepEqual(body.processes, [
      { bpmnProcessId: 'order', active: 10, completed: 20, terminated: 0, incidents: 2 },
    ]);
    assert.equal(body.throughput.length, 60);
    const last = body.throughput[59];
    assert.deepEqual({ started: last.started, completed: last.completed }, { started: 30, completed: 20 });
  });

  it('refuses malformed and unknown search fields with a 400 naming them', async () => {
    for (const [body, named] of [
      [{ page: { from: -1 } }, "'page.from'"],
      [{ page: { limit: 50_000 } }, "'page.limit'"],
      [{ filter: { startDate: { $gt: 'yesterday' } } }, "'filter.startDate.$gt'"],
      [{ filter: { hasIncident: 'maybe' } }, "'filter.hasIncident'"],
      [{ filter: { stat: 'ACTIVE' } }, "'filter.stat'"],
      [{ filter: { variables: [{ value: '1' }] } }, "'filter.variables.0.name'"],
      [{ filter: { processDefinitionKey: 'abc' } }, "'filter.processDefinitionKey'"],
      [{ sort: [{ field: 'color' }] }, "'sort.0.field'"],
    ] as const) {
      const answer = await post('/v2/process-instances/search', body);
      const what = JSON.stringify(body);
      assert.equal(answer.status, 400, what);
      assert.equal(answer.body.title, 'INVALID_ARGUMENT');
      assert.ok((answer.body.detail as string).includes(named), `${what}: ${answer.body.detail}`);
    }
    assert.equal((await post('/v2/incidents/search', { filter: { incidentKey: 'abc' } })).status, 400);
  });

  it('sends an update event once a change is in the read model', async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}/baton/v1/updates`, { headers, signal: abort.signal });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const instance = await engine.createInstance('order', { late: true });
    let text = '';
    while (!text.includes('event: update')) {
      const { done, value } = await reader.read();
      assert.ok(!done, 'the stream ended before an update arrived');
      text += new TextDecoder().decode(value);
    }
    const data = JSON.parse(/data: (.*)/.exec(text.slice(text.indexOf('event: update')))![1]!) as Json;
    assert.ok((data.processInstanceKeys as string[]).includes(instance.processInstanceKey));
    const now = await get(`/baton/v1/process-instances/${instance.processInstanceKey}`);
    assert.equal(now.body.instance.state, 'ACTIVE', 'the update is sent after the read model has the change');
    abort.abort();
  });

  it('lists user tasks, assigns, claims and completes them', async () => {
    const xml = await createProcess('approval')
      .startEvent()
      .userTask('approve', { candidateGroups: ['managers'], formKey: 'approve-form' })
      .endEvent()
      .toXml();
    await engine.deploy({ name: 'approval.bpmn', xml });
    const instance = await engine.createInstance('approval', { amount: 10 });
    await engine.flush();
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const open = await post('/v2/user-tasks/search', {
      filter: { processInstanceKey: instance.processInstanceKey },
    });
    const [found] = open.body.items as Json[];
    assert.deepEqual([found!.elementId, found!.candidateGroups], ['approve', ['managers']]);
    const task = { key: found!.userTaskKey as string };
    assert.equal(
      (await send('POST', `/v2/user-tasks/${task!.key}/assignment`, { assignee: 'ann' })).status,
      204,
    );
    const claim = await send('POST', `/v2/user-tasks/${task!.key}/assignment`, {
      assignee: 'bob',
      allowOverride: false,
    });
    assert.equal(claim.status, 409, 'ann has it');
    assert.equal((await send('DELETE', `/v2/user-tasks/${task!.key}/assignee`)).status, 204);
    assert.equal(
      (
        await send('POST', `/v2/user-tasks/${task!.key}/assignment`, {
          assignee: 'bob',
          allowOverride: false,
        })
      ).status,
      204,
    );
    assert.equal((await send('POST', `/v2/user-tasks/${task!.key}/assignment`, {})).status, 400);
    assert.equal(
      (await send('POST', `/v2/user-tasks/${task!.key}/completion`, { variables: { approved: true } }))
        .status,
      204,
    );
    await engine.flush();
    const done = await get(`/baton/v1/process-instances/${instance.processInstanceKey}`);
    assert.equal(done.body.instance.state, 'COMPLETED');
    assert.equal(done.body.userTasks[0].assignee, 'bob');
    assert.equal((await send('POST', `/v2/user-tasks/${task!.key}/completion`, {})).status, 404);
  });

  it('requires credentials for the API but serves the web root to anyone, with index.html for app routes', async () => {
    assert.equal((await fetch(`${base}/baton/v1/dashboard`)).status, 401);
    const page = await fetch(`${base}/instances/42`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>cockpit<\/title>/);
    const asset = await fetch(`${base}/assets/app-1234.js`);
    assert.match(asset.headers.get('content-type')!, /javascript/);
    assert.match(asset.headers.get('cache-control')!, /immutable/);
    const escape = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    assert.match(await escape.text(), /<title>cockpit/, 'paths never leave the web root');
    assert.equal((await fetch(`${base}/v1/nothing-here`, { headers })).status, 404);
  });

  it('answers an unknown path under any API prefix with a 404 problem for every method, never the cockpit page', async () => {
    for (const path of ['/v1/nothing-here', '/v2/nothing-here', '/v2', '/api/v1/tasks', '/oauth/x']) {
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']) {
        const response = await fetch(`${base}${path}`, { method, headers });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.match(
          response.headers.get('content-type')!,
          /^application\/problem\+json/,
          `${method} ${path}`,
        );
        if (method === 'HEAD') continue;
        const body = (await response.json()) as Json;
        assert.deepEqual(
          {
            type: body.type,
            title: body.title,
            status: body.status,
            instance: body.instance,
            code: body.code,
          },
          { type: 'about:blank', title: 'Not Found', status: 404, instance: path, code: 'NOT_FOUND' },
        );
        assert.match(body.detail, /No such endpoint/);
        assert.equal(body.message, body.detail, "Baton's { code, message } stays");
      }
    }
    const page = await fetch(`${base}/processes/2251799813685249`);
    assert.match(await page.text(), /<title>cockpit/, "the cockpit's own routes still get the page");
  });

  it('refuses a multipart deployment to a tenant other than <default> (no multi-tenancy)', async () => {
    const xml = await createProcess('tenanted').startEvent().endEvent().toXml();
    const upload = (tenantId: string) => {
      const form = new FormData();
      form.append('tenantId', tenantId);
      form.append('resources', new Blob([xml]), 'tenanted.bpmn');
      return fetch(`${base}/baton/v1/deployments`, { method: 'POST', headers, body: form });
    };
    const red = await upload('red');
    assert.equal(red.status, 400);
    assert.match(
      ((await red.json()) as Json).message,
      /Expected to handle REST request POST \/baton\/v1\/deployments with tenant identifier 'red', but multi-tenancy is disabled/,
    );
    assert.equal((await upload('<default>')).status, 200);
  });

  it("bounds one instance's details (a looping instance) and pages its whole history", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
<bpmn:process id="looping" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:scriptTask id="count"><bpmn:extensionElements><zeebe:script expression="=n + 1" resultVariable="n"/></bpmn:extensionElements></bpmn:scriptTask>
<bpmn:exclusiveGateway id="more" default="done-flow"/><bpmn:userTask id="done"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="count"/><bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="more"/>
<bpmn:sequenceFlow id="again" sourceRef="more" targetRef="count"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=n &lt; 700</bpmn:conditionExpression></bpmn:sequenceFlow>
<bpmn:sequenceFlow id="done-flow" sourceRef="more" targetRef="done"/></bpmn:process></bpmn:definitions>`;
    await engine.deploy({ name: 'looping.bpmn', xml });
    const { processInstanceKey } = await engine.createInstance('looping', { n: 0 });
    await engine.flush();
    let detail = await get(`/baton/v1/process-instances/${processInstanceKey}`);
    for (let i = 0; i < 100 && detail.body.totals?.elements !== 1402; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the read model follows the commit
      detail = await get(`/baton/v1/process-instances/${processInstanceKey}`);
    }
    assert.equal(detail.body.totals.elements, 1402, 'start, 700 × (script, gateway), the waiting task');
    const elements = detail.body.elements as Json[];
    assert.equal(elements.length, 1000, 'at most 1,000 element instances in the details');
    assert.ok(
      elements.some((e) => e.elementId === 'done' && e.endTime === null),
      'the active one is always there',
    );
    assert.ok(detail.text.length < 400_000, `the answer stays small (${detail.text.length} bytes)`);
    // The whole history: Camunda's element-instance search, filtered by the instance, page by page.
    const page = (from: number) =>
      post('/v2/element-instances/search', {
        filter: { processInstanceKey },
        sort: [{ field: 'elementInstanceKey' }],
        page: { from, limit: 1000 },
      });
    const first = await page(0);
    const second = await page(1000);
    assert.equal(first.body.page.totalItems, 1402);
    assert.equal(first.body.items[0].elementId, 's', 'the history pages from the start');
    assert.equal(second.body.items.length, 402);
    assert.equal(second.body.items.at(-1).elementId, 'done');
  });
});
