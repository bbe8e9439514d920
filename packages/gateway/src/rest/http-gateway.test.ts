import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { createAuthenticator, NO_AUTHENTICATION } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { startHttpGateway } from './http-gateway.js';
import type { RunningHttpGateway } from './http-gateway.js';
import { stateOf } from '@baton-engine/baton/internal';

const oneTask = (id: string, type: string) =>
  createProcess(id).startEvent().serviceTask('work', { type, retries: 2 }).endEvent().toXml();

describe('REST gateway', () => {
  let engine: Engine;
  let http: RunningHttpGateway;
  let base: string;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    await http.stop();
    await engine.close();
  });

  it('deploys (JSON and multipart), starts, works and completes an instance', async () => {
    const deployed = await call('POST', '/baton/v1/deployments', {
      resources: [{ name: 'rest.bpmn', xml: await oneTask('rest', 'rest-work') }],
    });
    assert.equal(deployed.status, 200);
    assert.equal((deployed.body!.processes as { bpmnProcessId: string }[])[0]!.bpmnProcessId, 'rest');

    const form = new FormData();
    form.append('resources', new Blob([await oneTask('uploaded', 'x')]), 'uploaded.bpmn');
    const uploaded = await fetch(`${base}/v2/deployments`, { method: 'POST', body: form });
    assert.equal(uploaded.status, 200);
    const deployments = (
      (await uploaded.json()) as { deployments: { processDefinition: { processDefinitionId: string } }[] }
    ).deployments;
    assert.equal(deployments[0]!.processDefinition.processDefinitionId, 'uploaded');

    const waiting = call('POST', '/v2/process-instances', {
      processDefinitionId: 'rest',
      variables: { n: 1 },
      awaitCompletion: true,
      requestTimeout: 10_000,
    });
    const activated = await call('POST', '/v2/jobs/activation', {
      type: 'rest-work',
      worker: 'w',
      timeout: 10_000,
      maxJobsToActivate: 5,
      requestTimeout: 5_000,
    });
    const jobs = activated.body!.jobs as { jobKey: string; variables: Record<string, unknown> }[];
    assert.equal(jobs.length, 1);
    assert.deepEqual(jobs[0]!.variables, { n: 1 });
    assert.equal(
      (await call('POST', `/v2/jobs/${jobs[0]!.jobKey}/completion`, { variables: { done: true } })).status,
      204,
    );
    const result = await waiting;
    assert.equal(result.status, 200);
    assert.deepEqual(result.body!.variables, { n: 1, done: true });
  });

  it('answers refusals as problems with the mapped status', async () => {
    const unknownJob = await call('POST', '/v2/jobs/2251799813685999/completion', {});
    assert.equal(unknownJob.status, 404);
    assert.equal(unknownJob.body!.title, 'NOT_FOUND');

    const badVariables = await call('POST', '/v2/process-instances', {
      processDefinitionId: 'rest',
      variables: [1],
    });
    assert.equal(badVariables.status, 400);
    assert.match(String(badVariables.body!.detail), /'body\.variables'/);

    const badJson = await call('POST', '/v2/process-instances', '{"processDefinitionId": ');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body!.title, 'INVALID_ARGUMENT');

    const badKey = await call('POST', '/v2/process-instances/abc/cancellation');
    assert.equal(badKey.status, 400);
    assert.match(String(badKey.body!.detail), /processInstanceKey/);

    const noSuchProcess = await call('POST', '/v2/process-instances', { processDefinitionId: 'nope' });
    assert.equal(noSuchProcess.status, 404);

    // Baton's JSON deployments: Fastify's schema checks, answered as { code, message } problems.
    const form = await call('POST', '/baton/v1/deployments', { resources: [{ name: 'a.form', xml: '{}' }] });
    assert.equal(form.status, 400);
    assert.match(String(form.body!.message), /'a.form': Expected the form id to be present/);
    const unknownField = await call('POST', '/baton/v1/deployments', { resources: [], tenant: 'x' });
    assert.equal(unknownField.status, 400);
    assert.match(String(unknownField.body!.message), /'tenant': unknown field/);
    const stringNumber = await call('POST', '/baton/v1/deployments', { resources: [{ name: 'a', xml: 5 }] });
    assert.match(
      String(stringNumber.body!.message),
      /'resources.0.xml': must be string/,
      'bodies are not coerced',
    );
    const badType = await call('POST', '/baton/v1/deployments', { resources: [] }, { 'content-type': ';;;' });
    assert.equal(badType.status, 415);
    assert.match(String(badType.body!.message), /Content-Type .* got ';;;'/);

    assert.equal((await call('GET', '/baton/v1/nothing-here')).status, 404);
    assert.equal((await call('GET', '/baton/v1/deployments')).status, 405);
  });

  it('tells a client of the removed /v1 API where it went, with a 404 problem for every method', async () => {
    for (const path of ['/v1/process-instances', '/v1/jobs/activate', '/v1']) {
      for (const method of ['GET', 'POST']) {
        const answer = await call(method, path, method === 'POST' ? {} : undefined);
        assert.equal(answer.status, 404, `${method} ${path}`);
        assert.equal(answer.body!.code, 'NOT_FOUND');
        assert.equal(answer.body!.instance, path);
        assert.match(
          String(answer.body!.detail),
          /Baton's \/v1 API was replaced by Camunda's \/v2 and Baton's \/baton\/v1; see docs\/gateway.md/,
        );
      }
    }
    const other = await call('GET', '/v2/nothing-here');
    assert.doesNotMatch(String(other.body!.detail), /\/v1/, 'only /v1 paths name the replacement');
  });

  it('activates elements of an ad-hoc sub-process instance', async () => {
    const xml = await createProcess('rest-ad-hoc')
      .startEvent()
      .adHocSubProcess('tools', (tools) => tools.serviceTask('lookup', { type: 'rest-lookup' }))
      .endEvent()
      .toXml();
    assert.equal(
      (await call('POST', '/baton/v1/deployments', { resources: [{ name: 'ah.bpmn', xml }] })).status,
      200,
    );
    const started = await call('POST', '/v2/process-instances', { processDefinitionId: 'rest-ad-hoc' });
    const processInstanceKey = String(started.body!.processInstanceKey);
    const state = stateOf(engine);
    const adHocKey = state.childrenOf(processInstanceKey).find((e) => e.value.elementId === 'tools')!.key;
    const path = `/v2/element-instances/ad-hoc-activities/${adHocKey}/activation`;
    const activated = await call('POST', path, { elements: [{ elementId: 'lookup', variables: { q: 1 } }] });
    assert.equal(activated.status, 204);
    const [job] = await engine.activateJobs({
      type: 'rest-lookup',
      worker: 'w',
      timeout: 1000,
      maxJobsToActivate: 1,
    });
    assert.equal(job?.variables.q, 1);
    const unknown = await call('POST', path, { elements: [{ elementId: 'nope' }] });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body!.detail), /\[nope\] do not exist/);
    const notAdHoc = await call(
      'POST',
      `/v2/element-instances/ad-hoc-activities/${processInstanceKey}/activation`,
      { elements: [{ elementId: 'lookup' }] },
    );
    assert.equal(notAdHoc.status, 404);
  });

  it('completes the job of an ad-hoc sub-process with a job result', async () => {
    const xml = await createProcess('rest-agent')
      .startEvent()
      .adHocSubProcess('tools', { jobWorker: { type: 'rest-agent' } }, (tools) =>
        tools.serviceTask('fetch', { type: 'rest-fetch' }),
      )
      .endEvent()
      .toXml();
    assert.equal(
      (await call('POST', '/baton/v1/deployments', { resources: [{ name: 'ag.bpmn', xml }] })).status,
      200,
    );
    const started = await call('POST', '/v2/process-instances', { processDefinitionId: 'rest-agent' });
    const processInstanceKey = String(started.body!.processInstanceKey);
    const activate = async (type: string) => {
      const [job] = await engine.activateJobs({ type, worker: 'w', timeout: 10_000, maxJobsToActivate: 1 });
      assert.ok(job, `a job of type ${type}`);
      return job;
    };
    const result = (body: object) => ({ type: 'adHocSubProcess', ...body });
    const first = await activate('rest-agent');
    const refused = await call('POST', `/v2/jobs/${first.key}/completion`, {
      result: result({ activateElements: [{ elementId: 'nope' }] }),
    });
    assert.equal(refused.status, 404);
    const activated = await call('POST', `/v2/jobs/${first.key}/completion`, {
      result: result({ activateElements: [{ elementId: 'fetch', variables: { url: 'u' } }] }),
    });
    assert.equal(activated.status, 204);
    const fetchJob = await activate('rest-fetch');
    assert.equal(fetchJob.variables.url, 'u');
    await engine.completeJob(fetchJob.key, { page: 'p' });
    const second = await activate('rest-agent');
    const done = await call('POST', `/v2/jobs/${second.key}/completion`, {
      variables: { answer: 42 },
      result: result({ isCompletionConditionFulfilled: true }),
    });
    assert.equal(done.status, 204);
    await engine.flush();
    assert.equal(stateOf(engine).elementInstance(processInstanceKey), undefined);
  });

  it('fails a job into an incident, then resolves it after new retries', async () => {
    await call('POST', '/baton/v1/deployments', {
      resources: [{ name: 'f.bpmn', xml: await oneTask('failing', 'failing') }],
    });
    const created = await call('POST', '/v2/process-instances', { processDefinitionId: 'failing' });
    assert.equal(created.status, 200);
    const incidents: string[] = [];
    const off = engine.onRecords((records) => {
      for (const r of records)
        if (r.valueType === 'INCIDENT' && r.intent === 'CREATED') incidents.push(r.key);
    });
    const activate = () =>
      call('POST', '/v2/jobs/activation', {
        type: 'failing',
        timeout: 10_000,
        maxJobsToActivate: 1,
        requestTimeout: 2_000,
      });
    const [job] = (await activate()).body!.jobs as { jobKey: string }[];
    assert.equal(
      (await call('POST', `/v2/jobs/${job!.jobKey}/failure`, { retries: 0, errorMessage: 'boom' })).status,
      204,
    );
    assert.equal(incidents.length, 1);
    assert.equal((await call('PATCH', `/v2/jobs/${job!.jobKey}`, { changeset: { retries: 1 } })).status, 204);
    assert.equal((await call('POST', `/v2/incidents/${incidents[0]}/resolution`)).status, 204);
    const again = (await activate()).body!.jobs as { jobKey: string }[];
    assert.equal(again[0]!.jobKey, job!.jobKey);
    off();
  });

  it('streams committed records as server-sent events', async () => {
    const abort = new AbortController();
    const response = await fetch(
      `${base}/baton/v1/events?valueType=PROCESS_INSTANCE_CREATION&recordType=EVENT`,
      {
        signal: abort.signal,
      },
    );
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    const created = await call('POST', '/v2/process-instances', { processDefinitionId: 'rest' });
    let text = '';
    while (!text.includes('data: ')) text += new TextDecoder().decode((await reader.read()).value);
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!) as { value: { processInstanceKey: string } };
    assert.equal(data.value.processInstanceKey, created.body!.processInstanceKey);
    abort.abort();
  });

  it('refuses payloads above the limit with 413', async () => {
    const small = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      maxBodyBytes: 100,
    });
    try {
      const response = await fetch(`http://127.0.0.1:${small.port}/baton/v1/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resources: [{ name: 'big.bpmn', xml: 'y'.repeat(500) }] }),
      });
      assert.equal(response.status, 413);
      assert.match(((await response.json()) as { message: string }).message, /at most 100 bytes/);
    } finally {
      await small.stop();
    }
  });
});

describe('REST authentication', () => {
  it('refuses requests without a valid token (touching nothing) and issues OAuth tokens', async () => {
    const engine = await createEngine({ store: 'memory' });
    const auth = createAuthenticator({
      apiKeys: ['k1'],
      oauthClients: [{ clientId: 'app', clientSecret: 's3cret' }],
    });
    const http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    const base = `http://127.0.0.1:${http.port}`;
    try {
      const deploy = (authorization?: string) =>
        fetch(`${base}/baton/v1/deployments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ resources: [{ name: 'a.bpmn', xml: '<x/>' }] }),
        });
      const records: unknown[] = [];
      engine.onRecords((r) => records.push(...r));
      assert.equal((await deploy()).status, 401);
      assert.equal((await deploy('Bearer wrong')).status, 401);
      assert.equal(records.length, 0, 'a refused request writes nothing');
      assert.equal(
        (await fetch(`${base}/v2/topology`, { headers: { authorization: 'Bearer k1' } })).status,
        200,
      );

      const token = async (body: string) =>
        fetch(`${base}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
      assert.equal(
        (await token('client_id=app&client_secret=nope&grant_type=client_credentials')).status,
        401,
      );
      const issued = (await (
        await token('client_id=app&client_secret=s3cret&grant_type=client_credentials')
      ).json()) as {
        access_token: string;
        token_type: string;
      };
      assert.equal(issued.token_type, 'Bearer');
      const topology = await fetch(`${base}/v2/topology`, {
        headers: { authorization: `Bearer ${issued.access_token}` },
      });
      assert.equal(topology.status, 200);
      for (const probe of ['/healthz', '/healthz/', '/livez', '/readyz'])
        assert.equal((await fetch(`${base}${probe}`)).status, 200, `${probe} answers without credentials`);
      // A malformed escape in a path parameter is the client's error (it was a 500 before authentication).
      const malformed = await fetch(`${base}/v2/jobs/%E0%A4%A/completion`, { method: 'POST' });
      assert.equal(malformed.status, 400);
      assert.match(await malformed.text(), /parameters are percent-encoded UTF-8/);
    } finally {
      await http.stop();
      await engine.close();
    }
  });
});
