import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { startHttpGateway } from './http-gateway.js';
import type { RunningHttpGateway } from './http-gateway.js';

const twoTasks = () =>
  createProcess('two-tasks')
    .startEvent('start')
    .serviceTask('first', { type: 'first' })
    .serviceTask('second', { type: 'second' })
    .endEvent('end')
    .toXml();

describe('REST: POST /v2/process-instances with startInstructions', () => {
  let engine: Engine;
  let http: RunningHttpGateway;
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${http.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    await engine.deploy([{ name: 'two-tasks.bpmn', xml: await twoTasks() }]);
  });
  after(async () => {
    await http.stop();
    await engine.close();
  });

  it('starts at the named element, also when awaiting the result', async () => {
    const started = await call('/v2/process-instances', {
      processDefinitionId: 'two-tasks',
      variables: { n: 1 },
      startInstructions: [{ elementId: 'second' }],
    });
    assert.equal(started.status, 200);
    const [job] = await engine.activateJobs({
      type: 'second',
      worker: 't',
      timeout: 10_000,
      maxJobsToActivate: 1,
    });
    assert.equal(job?.processInstanceKey, started.body.processInstanceKey);
    await engine.completeJob(job!.key);

    const worker = engine.createWorker({ type: 'second', handler: () => ({ done: true }) });
    const result = await call('/v2/process-instances', {
      processDefinitionId: 'two-tasks',
      awaitCompletion: true,
      requestTimeout: 10_000,
      startInstructions: [{ elementId: 'second' }],
    });
    await worker.close();
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.variables, { done: true });
  });

  it('refuses unknown elements and malformed instructions with 400', async () => {
    const unknown = await call('/v2/process-instances', {
      processDefinitionId: 'two-tasks',
      startInstructions: [{ elementId: 'nope' }],
    });
    assert.equal(unknown.status, 400);
    assert.equal(
      unknown.body.detail,
      "Expected to create instance of process with start instructions but no element found with id 'nope'.",
    );
    const malformed = await call('/v2/process-instances', {
      processDefinitionId: 'two-tasks',
      startInstructions: [{ element: 'second' }],
    });
    assert.equal(malformed.status, 400);
  });

  it("is documented in docs/gateway.md's /v2 table", () => {
    const doc = readFileSync(new URL('../../../../docs/gateway.md', import.meta.url), 'utf8');
    const row = doc.split('\n').find((line) => line.startsWith('| `POST /v2/process-instances` |'));
    assert.match(row ?? '', /`startInstructions`/);
  });
});
