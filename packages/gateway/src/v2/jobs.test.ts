import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';
import { agentXml, taskModels } from './task-test-models.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field */

describe('/v2 jobs', () => {
  let server: V2TestServer;
  const post = async (url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? (res.json() as any) : undefined, res };
  };
  const activate = async (type = 'charge', extra: object = {}) =>
    post('/v2/jobs/activation', {
      type,
      worker: 'test-worker',
      timeout: 60_000,
      maxJobsToActivate: 10,
      requestTimeout: -1,
      ...extra,
    });
  const instanceState = async (key: string) => {
    await server.settled();
    return (await server.readModel.instance(key)).instance as { state: string };
  };

  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy([...taskModels, { name: 'agent.bpmn', xml: agentXml }]);
  });
  after(() => server.close());

  it('activates jobs as the spec shapes them, and completes one with variables', async () => {
    const { processInstanceKey } = await server.engine.createInstance('payment', { amount: 12 });
    const { status, body } = await activate();
    assert.equal(status, 200);
    assert.equal(body.jobs.length, 1);
    const job = body.jobs[0];
    assert.equal(typeof job.jobKey, 'string');
    assert.equal(job.processInstanceKey, processInstanceKey);
    assert.equal(job.processDefinitionId, 'payment');
    assert.equal(job.elementId, 'charge');
    assert.deepEqual(job.customHeaders, { region: 'eu' });
    assert.deepEqual(job.variables, { amount: 12 });
    assert.equal(job.worker, 'test-worker');
    assert.equal(job.retries, 3);
    assert.equal(job.tenantId, '<default>');
    assert.equal(job.kind, 'BPMN_ELEMENT');
    assert.equal(job.listenerEventType, 'UNSPECIFIED');
    assert.ok(job.deadline > Date.now());
    const completion = await post(`/v2/jobs/${job.jobKey}/completion`, { variables: { receipt: 'r-1' } });
    assert.equal(completion.status, 204);
    assert.equal((await instanceState(processInstanceKey)).state, 'COMPLETED');
    const again = await post(`/v2/jobs/${job.jobKey}/completion`, {});
    assert.equal(again.status, 404);
    assert.equal(again.res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(again.body.title, 'NOT_FOUND');
    assert.match(again.body.detail, new RegExp(job.jobKey));
  });

  it('the job of an ad-hoc sub-process: kind AD_HOC_SUB_PROCESS, completed with the elements to activate', async () => {
    const { processInstanceKey } = await server.engine.createInstance('agent', { question: 'q' });
    const [agent] = (await activate('agent')).body.jobs;
    assert.equal(agent.kind, 'AD_HOC_SUB_PROCESS');
    const planned = await post(`/v2/jobs/${agent.jobKey}/completion`, {
      variables: { plan: 'look it up' },
      result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'lookup', variables: { q: 1 } }] },
    });
    assert.equal(planned.status, 204);
    const [lookup] = (await activate('lookup')).body.jobs;
    assert.equal(lookup.kind, 'BPMN_ELEMENT');
    assert.equal(lookup.variables.q, 1);
    await post(`/v2/jobs/${lookup.jobKey}/completion`);
    const [again] = (await activate('agent')).body.jobs;
    const finished = await post(`/v2/jobs/${again.jobKey}/completion`, {
      result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true },
    });
    assert.equal(finished.status, 204);
    assert.equal((await instanceState(processInstanceKey)).state, 'COMPLETED');
    await server.settled();
    const searched = await post('/v2/jobs/search', { filter: { kind: 'AD_HOC_SUB_PROCESS' } });
    assert.deepEqual(
      searched.body.items.map((j: any) => j.jobKey).sort(),
      [agent.jobKey, again.jobKey].sort(),
    );
    const badResult = await post(`/v2/jobs/${again.jobKey}/completion`, {
      result: { type: 'adHocSubProcess', activateElements: [{ variables: {} }] },
    });
    assert.equal(badResult.status, 400);
    assert.match(badResult.body.detail, /body\.result\.activateElements\.0\.elementId/);
  });

  it('fetches only the variables asked for', async () => {
    await server.engine.createInstance('payment', { amount: 1, secret: 'x' });
    const { body } = await activate('charge', { fetchVariable: ['amount'] });
    assert.deepEqual(body.jobs[0].variables, { amount: 1 });
    await post(`/v2/jobs/${body.jobs[0].jobKey}/completion`);
  });

  it('fails a job: with retries it comes back, without an incident is raised', async () => {
    const { processInstanceKey } = await server.engine.createInstance('payment');
    const [job] = (await activate()).body.jobs;
    const failed = await post(`/v2/jobs/${job.jobKey}/failure`, { retries: 1, errorMessage: 'busy' });
    assert.equal(failed.status, 204);
    const [retried] = (await activate()).body.jobs;
    assert.equal(retried.jobKey, job.jobKey);
    assert.equal(retried.retries, 1);
    const exhausted = await post(`/v2/jobs/${job.jobKey}/failure`, { errorMessage: 'card expired' });
    assert.equal(exhausted.status, 204, 'retries default to 0');
    await server.settled();
    const incidents = await server.readModel.searchIncidents({ processInstanceKey });
    assert.equal(incidents.items.length, 1);
    assert.equal(incidents.items[0]!.errorMessage, 'card expired');
  });

  it('throws a BPMN error caught by the boundary event', async () => {
    const { processInstanceKey } = await server.engine.createInstance('payment');
    const [job] = (await activate()).body.jobs;
    const thrown = await post(`/v2/jobs/${job.jobKey}/error`, {
      errorCode: 'DECLINED',
      errorMessage: 'no funds',
      variables: { reason: 'funds' },
    });
    assert.equal(thrown.status, 204);
    assert.equal((await instanceState(processInstanceKey)).state, 'COMPLETED');
    const ended = await server.readModel.searchElementInstances({ processInstanceKey });
    assert.ok(ended.items.some((e) => e.elementId === 'declined'));
  });

  it('updates retries and timeout with PATCH; other changeset attributes are ignored', async () => {
    await server.engine.createInstance('payment');
    const [job] = (await activate()).body.jobs;
    const patch = (payload: unknown) =>
      server.app.inject({ method: 'PATCH', url: `/v2/jobs/${job.jobKey}`, payload: payload as object });
    const updated = await patch({ changeset: { retries: 7, timeout: 120_000, worker: 'ignored' } });
    assert.equal(updated.statusCode, 204, updated.body);
    await server.settled();
    const found = (await post('/v2/jobs/search', { filter: { jobKey: job.jobKey } })).body.items[0];
    assert.equal(found.retries, 7);
    assert.ok(Date.parse(found.deadline) > Date.now() + 90_000, 'the timeout runs from now');
    const bad = await patch({ changeset: { retries: 'many' } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /body\.changeset\.retries/);
    const missing = await patch({});
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().detail, /body\.changeset/);
    await post(`/v2/jobs/${job.jobKey}/completion`);
  });

  it('searches jobs with the spec filter, sort and page', async () => {
    await server.settled();
    const { status, body } = await post('/v2/jobs/search', {
      filter: { type: 'charge', state: { $in: ['COMPLETED', 'ERROR_THROWN'] } },
      sort: [{ field: 'jobKey', order: 'DESC' }],
      page: { limit: 2 },
    });
    assert.equal(status, 200);
    assert.ok(body.page.totalItems >= 3, JSON.stringify(body));
    assert.equal(body.items.length, 2);
    const [a, b] = body.items;
    assert.ok(BigInt(a.jobKey) > BigInt(b.jobKey));
    assert.equal(a.processDefinitionId, 'payment');
    assert.deepEqual(a.customHeaders, { region: 'eu' });
    assert.equal(a.kind, 'BPMN_ELEMENT');
    assert.equal(typeof a.hasFailedWithRetriesLeft, 'boolean');
    assert.ok(a.endTime, 'an ended job has its end time');
    const next = await post('/v2/jobs/search', {
      filter: { type: 'charge', state: { $in: ['COMPLETED', 'ERROR_THROWN'] } },
      sort: [{ field: 'jobKey', order: 'DESC' }],
      page: { after: body.page.endCursor, limit: 1 },
    });
    assert.ok(BigInt(next.body.items[0].jobKey) < BigInt(b.jobKey));
    const wrong = await post('/v2/jobs/search', { filter: { color: 'red' } });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.detail, /filter\.color/);
  });

  it('refuses bad bodies naming the field, wrong types and unknown keys', async () => {
    const noType = await post('/v2/jobs/activation', { timeout: 1000, maxJobsToActivate: 1 });
    assert.equal(noType.status, 400);
    assert.match(noType.body.detail, /'body\.type' is required/);
    const wrongType = await post('/v2/jobs/activation', {
      type: 'charge',
      timeout: 1000,
      maxJobsToActivate: 'ten',
    });
    assert.equal(wrongType.status, 400);
    assert.match(wrongType.body.detail, /body\.maxJobsToActivate/);
    const unknown = await post('/v2/jobs/activation', {
      type: 'charge',
      timeout: 1000,
      maxJobsToActivate: 1,
      colour: 'red',
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.detail, /'colour'/);
    const tenant = await post('/v2/jobs/activation', {
      type: 'charge',
      timeout: 1000,
      maxJobsToActivate: 1,
      tenantIds: ['acme'],
    });
    assert.equal(tenant.status, 400);
    assert.match(tenant.body.detail, /acme/);
    const badKey = await post('/v2/jobs/not-a-key/completion', {});
    assert.equal(badKey.status, 400);
    assert.match(badKey.body.detail, /jobKey/);
    const noCode = await post('/v2/jobs/2251799813685249/error', { errorMessage: 'x' });
    assert.equal(noCode.status, 400);
    assert.match(noCode.body.detail, /body\.errorCode/);
    const notFound = await post('/v2/jobs/2251799813685249/failure', { retries: 1 });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.body.title, 'NOT_FOUND');
    const userTaskResult = await post('/v2/jobs/2251799813685249/completion', {
      result: { type: 'userTask', denied: true },
    });
    assert.equal(userTaskResult.status, 400);
    assert.match(userTaskResult.body.detail, /task listeners/);
  });

  it('long-polls: waits for a job created after the request, and for requestTimeout when none comes', async () => {
    const started = Date.now();
    const empty = await post('/v2/jobs/activation', {
      type: 'nothing-here',
      timeout: 1000,
      maxJobsToActivate: 1,
      requestTimeout: 300,
    });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.jobs, []);
    assert.ok(Date.now() - started >= 250, 'an empty poll waits for its requestTimeout');
    const poll = post('/v2/jobs/activation', {
      type: 'charge',
      timeout: 1000,
      maxJobsToActivate: 1,
      requestTimeout: 60_000,
    });
    const { processInstanceKey } = await server.engine.createInstance('payment');
    const { body } = await poll;
    assert.equal(body.jobs.length, 1);
    assert.equal(body.jobs[0].processInstanceKey, processInstanceKey);
    await post(`/v2/jobs/${body.jobs[0].jobKey}/completion`);
  });
});

describe('/v2 job activation and server stop', () => {
  it('a poll whose client hung up ends: a job created afterwards goes to the next poll', async () => {
    const server = await startV2TestServer({ listen: true });
    try {
      await server.engine.deploy(taskModels);
      const connections = () =>
        new Promise<number>((resolve, reject) =>
          server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
        );
      const arrived = new Promise<void>((resolve) =>
        server.app.server.once('request', (request) => request.once('end', () => setImmediate(resolve))),
      );
      const hangUp = new AbortController();
      const poll = fetch(`${server.url}/v2/jobs/activation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'charge',
          timeout: 60_000,
          maxJobsToActivate: 1,
          requestTimeout: 120_000,
        }),
        signal: hangUp.signal,
      });
      await arrived;
      hangUp.abort();
      await assert.rejects(poll);
      // The server has seen the hang-up once the connection is gone.
      while ((await connections()) > 0) await new Promise((resolve) => setImmediate(resolve));
      const { processInstanceKey } = await server.engine.createInstance('payment');
      const response = await server.app.inject({
        method: 'POST',
        url: '/v2/jobs/activation',
        payload: { type: 'charge', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 10_000 },
      });
      const { jobs } = response.json() as { jobs: { processInstanceKey: string }[] };
      assert.equal(jobs.length, 1, 'the job was not taken by the poll that was gone');
      assert.equal(jobs[0]!.processInstanceKey, processInstanceKey);
    } finally {
      await server.close();
    }
  });

  it('a long poll is answered (with no jobs) when the server closes, instead of holding the close', async () => {
    const server = await startV2TestServer({ listen: true });
    try {
      const requestTimeout = 120_000;
      const started = Date.now();
      const arrived = new Promise<void>((resolve) =>
        server.app.server.once('request', (request) => request.once('end', () => setImmediate(resolve))),
      );
      const poll = fetch(`${server.url}/v2/jobs/activation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'never', timeout: 1000, maxJobsToActivate: 1, requestTimeout }),
      });
      // The poll is parked once its body has been read and the handler has run (within the same turn).
      await arrived;
      const [response] = await Promise.all([poll, server.app.close()]);
      assert.equal(response.status, 200);
      assert.deepEqual(((await response.json()) as { jobs: unknown[] }).jobs, []);
      assert.ok(Date.now() - started < requestTimeout / 2, 'the close did not wait for the poll');
    } finally {
      await server.close();
    }
  });
});
