import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createProcess } from '@baton-engine/baton';
import {
  hasStatus,
  instanceIn,
  items,
  orchestrationClient,
  readNow,
  resourceFile,
  until,
} from './test-clients.js';
import type { OAuthCredentials } from './test-clients.js';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

/**
 * Issue 18's acceptance against `baton start`, second part (`camunda-rest-clients.test.ts` is the first): what
 * an operator does — resolve an incident, modify, migrate and cancel an instance, delete a resource, pin the
 * clock to fire a timer — driven by `@camunda8/orchestration-cluster-api` (8.8) with OAuth client credentials
 * and fanatical response validation; then bad requests sent as raw HTTP (the client would refuse to send
 * them), answered with the spec's status codes and problem details naming the field or key.
 */
const client = { clientId: 'ops-app', clientSecret: 'ops-s3cret' };
const bpmn = async (built: { toXml(): Promise<string> }, name: string) =>
  resourceFile(await built.toXml(), name);

describe('@camunda8/orchestration-cluster-api operations against baton start', { timeout: 180_000 }, () => {
  let server: TestServer;
  let oauth: OAuthCredentials;
  let camunda: CamundaClient;

  before(async () => {
    // As a user runs it for tests: a SQLite file, an OAuth client, a clock that PUT /v2/clock may pin.
    const db = join(mkdtempSync(join(tmpdir(), 'baton-rest-operations-')), 'baton.db');
    server = await startBaton(
      ['--controlled-clock', '--oauth-client', `${client.clientId}:${client.clientSecret}`],
      { db },
    );
    oauth = { url: `${server.url}/oauth/token`, ...client };
    camunda = orchestrationClient(server.url, oauth);
    await camunda.createDeployment({
      resources: [await bpmn(createProcess('straight').startEvent().endEvent().done(), 'straight.bpmn')],
    });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'baton start stops cleanly on SIGTERM');
  });

  const stateOf = (processInstanceKey: string, state: string) =>
    instanceIn(camunda, processInstanceKey, state);
  /** The instance migrated to version 2 of 'routing', and that version's key: cancelled and deleted last. */
  let routed: { processInstanceKey: string; target: string };

  it('sets variables to resolve an incident, modifies and migrates an instance', async () => {
    const routing = (name: string) =>
      createProcess('routing', { name })
        .startEvent()
        .exclusiveGateway('route')
        .condition('= amount > 100')
        .userTask('big')
        .endEvent('big-end')
        .moveToNode('route')
        .condition('= amount <= 100')
        .userTask('small')
        .endEvent('small-end')
        .done();
    await camunda.createDeployment({ resources: [await bpmn(routing('Routing'), 'routing.bpmn')] });
    const { processInstanceKey } = await camunda.createProcessInstance({
      processDefinitionId: 'routing' as never,
    });
    const incidents = await camunda.searchIncidents(
      { filter: { processInstanceKey, state: 'ACTIVE' } },
      until(items(1)),
    );
    const incident = incidents.items![0]!;
    assert.equal(incident.elementId, 'route');
    // The process instance is the scope of its variables (its key is an element instance key too).
    await camunda.createElementInstanceVariables({
      elementInstanceKey: processInstanceKey as never,
      variables: { amount: 500 },
    });
    await camunda.resolveIncident({ incidentKey: incident.incidentKey! });
    const atBig = await camunda.searchElementInstances(
      { filter: { processInstanceKey, elementId: 'big' as never, state: 'ACTIVE' } },
      until(items(1)),
    );

    await camunda.modifyProcessInstance({
      processInstanceKey,
      activateInstructions: [{ elementId: 'small' as never }],
      terminateInstructions: [{ elementInstanceKey: atBig.items![0]!.elementInstanceKey }],
    });
    await camunda.searchElementInstances(
      { filter: { processInstanceKey, elementId: 'small' as never, state: 'ACTIVE' } },
      until(items(1)),
    );
    const big = await camunda.getElementInstance(
      { elementInstanceKey: atBig.items![0]!.elementInstanceKey },
      readNow,
    );
    assert.equal(big.state, 'TERMINATED');

    const v2 = await camunda.createDeployment({
      resources: [
        await bpmn(
          createProcess('routing', { name: 'Routing v2' }).startEvent().userTask('small').endEvent().done(),
          'routing.bpmn',
        ),
      ],
    });
    const target = v2.deployments[0]!.processDefinition!;
    assert.equal(target.processDefinitionVersion, 2);
    await camunda.migrateProcessInstance({
      processInstanceKey,
      targetProcessDefinitionKey: target.processDefinitionKey,
      mappingInstructions: [{ sourceElementId: 'small' as never, targetElementId: 'small' as never }],
    });
    const migrated = await camunda.getProcessInstance(
      { processInstanceKey },
      until((instance: { processDefinitionVersion: number }) => instance.processDefinitionVersion === 2),
    );
    assert.equal(migrated.processDefinitionKey, target.processDefinitionKey);
    assert.equal(migrated.processDefinitionName, 'Routing v2');

    routed = { processInstanceKey, target: target.processDefinitionKey };
  });

  it('pins the clock to fire a timer, then resets it', async () => {
    await camunda.createDeployment({
      resources: [
        await bpmn(
          createProcess('sleepy')
            .startEvent()
            .intermediateCatchEvent('nap', { timer: { duration: 'PT1H' } })
            .endEvent()
            .done(),
          'sleepy.bpmn',
        ),
      ],
    });
    const sleepy = await camunda.createProcessInstance({ processDefinitionId: 'sleepy' as never });
    await camunda.searchElementInstances(
      {
        filter: { processInstanceKey: sleepy.processInstanceKey, elementId: 'nap' as never, state: 'ACTIVE' },
      },
      until(items(1)),
    );
    const pinned = Date.now() + 2 * 3_600_000;
    await camunda.pinClock({ timestamp: pinned });
    const woken = await stateOf(sleepy.processInstanceKey, 'COMPLETED');
    assert.ok(Date.parse(woken.endDate!) >= pinned, `ended at the pinned time, not ${woken.endDate}`);
    await camunda.resetClock();
    const straight = await camunda.createProcessInstance({
      processDefinitionId: 'straight' as never,
      awaitCompletion: true,
    });
    const after = await stateOf(straight.processInstanceKey, 'COMPLETED');
    assert.ok(
      Math.abs(Date.parse(after.startDate) - Date.now()) < 60_000,
      'the clock follows the system again',
    );
  });

  it('deletes a resource; one with a running instance only once that is cancelled', async () => {
    const spare = await camunda.createDeployment({
      resources: [await bpmn(createProcess('spare').startEvent().endEvent().done(), 'spare.bpmn')],
    });
    const spareKey = spare.deployments[0]!.processDefinition!.processDefinitionKey;
    await camunda.deleteResource({ resourceKey: spareKey });
    await camunda.searchProcessDefinitions(
      { filter: { processDefinitionId: 'spare' } },
      until((found: { page: { totalItems: number } }) => found.page.totalItems === 0),
    );
    await assert.rejects(
      camunda.getProcessDefinition({ processDefinitionKey: spareKey }, readNow),
      hasStatus(404),
    );

    // The migrated instance runs on version 2 of 'routing': that definition stays until it is cancelled.
    await assert.rejects(camunda.deleteResource({ resourceKey: routed.target as never }), hasStatus(409));
    await camunda.cancelProcessInstance({ processInstanceKey: routed.processInstanceKey as never });
    const cancelled = await stateOf(routed.processInstanceKey, 'TERMINATED');
    assert.ok(cancelled.endDate);
    await camunda.deleteResource({ resourceKey: routed.target as never });
    const left = await camunda.searchProcessDefinitions(
      { filter: { processDefinitionId: 'routing' } },
      until(items(1)),
    );
    assert.equal(left.items![0]!.version, 1, 'version 1 stays');
  });

  it('answers bad bodies, wrong types, unknown fields and unknown keys with problem details naming them', async () => {
    const token = await fetch(oauth.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
      }),
    });
    assert.equal(token.status, 200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const send = (method: string, path: string, body: unknown, auth = `Bearer ${accessToken}`) =>
      fetch(`${server.url}/v2${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: auth },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const expectProblem = async (response: Response, expected: number, detail: RegExp) => {
      const text = await response.text();
      assert.equal(response.status, expected, text);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = JSON.parse(text) as { title: string; status: number; detail: string };
      assert.equal(problem.status, expected);
      assert.match(problem.detail, detail);
    };

    // Bad bodies.
    await expectProblem(await send('POST', '/process-instances', '{"processDefinitionId":'), 400, /JSON/);
    await expectProblem(await send('POST', '/messages/correlation', { correlationKey: 'A' }), 400, /name/);
    // Wrong types.
    await expectProblem(
      await send('POST', '/process-instances', { processDefinitionId: 7 }),
      400,
      /processDefinitionId/,
    );
    await expectProblem(
      await send('POST', '/process-instances', { processDefinitionId: 'straight', variables: 'x' }),
      400,
      /'body\.variables'/,
    );
    await expectProblem(
      await send('POST', '/jobs/activation', { type: 'charge', timeout: '1s', maxJobsToActivate: 1 }),
      400,
      /'body\.timeout'/,
    );
    await expectProblem(
      await send('PATCH', '/user-tasks/2251799813685249', { changeset: { priority: 'high' } }),
      400,
      /'body\.changeset\.priority'/,
    );
    await expectProblem(
      await send('POST', '/process-instances/abc/cancellation', {}),
      400,
      /processInstanceKey/,
    );
    // Unknown fields.
    await expectProblem(
      await send('POST', '/process-instances/search', { filter: { colour: 'red' } }),
      400,
      /filter\.colour/,
    );
    // Unknown keys and ids.
    await expectProblem(
      await send('POST', '/process-instances', { processDefinitionId: 'no-such-process' }),
      404,
      /no-such-process/,
    );
    await expectProblem(
      await send('POST', '/process-instances/2251799813699999/cancellation', {}),
      404,
      /2251799813699999/,
    );
    await expectProblem(await send('POST', '/jobs/2251799813685249/completion', {}), 404, /2251799813685249/);
    await expectProblem(
      await send('POST', '/incidents/2251799813685249/resolution', {}),
      404,
      /2251799813685249/,
    );
    // No token, or a made-up one.
    for (const auth of ['', 'Bearer made-up'])
      await expectProblem(await send('POST', '/process-instances/search', {}, auth), 401, /bearer token/);

    // Through the client, an unknown key is the spec's 404.
    await assert.rejects(
      camunda.getProcessInstance({ processInstanceKey: '2251799813699999' as never }, readNow),
      hasStatus(404),
    );
  });
});
