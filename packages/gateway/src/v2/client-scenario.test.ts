import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createProcess } from '@baton-engine/baton';
import { PinnableClock } from './clock.js';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

/**
 * The acceptance scenario of issue 18 for the core resources: the official Camunda 8.8 REST client, its
 * request validation strict and its response validation fanatical (a wrong type, a missing required field or
 * an unknown property fails the call), against a listening server with the /v2 plugin.
 */
const now = { consistency: { waitUpToMs: 0 } };

const bpmn = async (built: { toXml(): Promise<string> }, name: string) =>
  new File([await built.toXml()], name, { type: 'application/xml' });

describe('/v2 driven by @camunda8/orchestration-cluster-api (8.8)', () => {
  let server: V2TestServer;
  let camunda: CamundaClient;
  const clock = new PinnableClock();

  before(async () => {
    server = await startV2TestServer({ clock, listen: true });
    camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url!,
        CAMUNDA_AUTH_STRATEGY: 'NONE',
        CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
      } as never,
    });
  });
  after(() => server?.close());

  const settled = () => server.settled();

  it('reads the topology', async () => {
    const topology = await camunda.getTopology();
    assert.equal(topology.partitionsCount, 1);
    assert.equal(topology.brokers[0]!.partitions[0]!.role, 'leader');
  });

  it('deploys, creates instances with and without result, searches and cancels', async () => {
    const deployment = await camunda.createDeployment({
      resources: [
        await bpmn(createProcess('straight').startEvent().endEvent().done(), 'straight.bpmn'),
        await bpmn(
          createProcess('waiting', { name: 'Waiting' }).startEvent().userTask('approve').endEvent().done(),
          'waiting.bpmn',
        ),
      ],
    });
    assert.equal(deployment.deployments.length, 2);
    const straight = deployment.deployments.find(
      (d) => d.processDefinition?.processDefinitionId === 'straight',
    )!;

    const withResult = await camunda.createProcessInstance({
      processDefinitionId: 'straight' as never,
      variables: { answer: 42 },
      awaitCompletion: true,
    });
    assert.deepEqual(withResult.variables, { answer: 42 });
    assert.equal(withResult.processDefinitionKey, straight.processDefinition!.processDefinitionKey);

    const waiting = await camunda.createProcessInstance({ processDefinitionId: 'waiting' as never });
    assert.match(waiting.processInstanceKey, /^\d+$/);
    await settled();

    const found = await camunda.searchProcessInstances(
      { filter: { processDefinitionId: 'waiting', state: 'ACTIVE' }, sort: [{ field: 'startDate' }] },
      now,
    );
    assert.equal(found.page.totalItems, 1);
    assert.equal(found.items[0]!.processInstanceKey, waiting.processInstanceKey);
    assert.equal(found.items[0]!.processDefinitionName, 'Waiting');

    const one = await camunda.getProcessInstance({ processInstanceKey: waiting.processInstanceKey }, now);
    assert.equal(one.state, 'ACTIVE');

    await camunda.cancelProcessInstance({ processInstanceKey: waiting.processInstanceKey });
    await settled();
    const cancelled = await camunda.getProcessInstance(
      { processInstanceKey: waiting.processInstanceKey },
      now,
    );
    assert.equal(cancelled.state, 'TERMINATED');
    assert.ok(cancelled.endDate);

    const definitions = await camunda.searchProcessDefinitions({ filter: { isLatestVersion: true } }, now);
    assert.deepEqual((definitions.items ?? []).map((d) => d.processDefinitionId).sort(), [
      'straight',
      'waiting',
    ]);
    const xml = await camunda.getProcessDefinitionXml(
      { processDefinitionKey: straight.processDefinition!.processDefinitionKey },
      now,
    );
    assert.match(String(xml), /<bpmn:process id="straight"/);
    const definition = await camunda.getProcessDefinition(
      { processDefinitionKey: straight.processDefinition!.processDefinitionKey },
      now,
    );
    assert.equal(definition.hasStartForm, false);
    const stats = await camunda.getProcessDefinitionStatistics(
      { processDefinitionKey: straight.processDefinition!.processDefinitionKey },
      now,
    );
    assert.ok((stats.items ?? []).some((s) => s.completed === 1));
    const elements = await camunda.searchElementInstances(
      { filter: { processInstanceKey: withResult.processInstanceKey } },
      now,
    );
    const element = await camunda.getElementInstance(
      { elementInstanceKey: elements.items![0]!.elementInstanceKey },
      now,
    );
    assert.equal(element.processInstanceKey, withResult.processInstanceKey);
    const flows = await camunda.getProcessInstanceSequenceFlows(
      { processInstanceKey: withResult.processInstanceKey },
      now,
    );
    assert.equal(flows.items?.length, 1);
    const none = await camunda.searchProcessInstanceIncidents(
      { processInstanceKey: withResult.processInstanceKey },
      now,
    );
    assert.equal(none.page.totalItems, 0);
    await camunda.getStatus();
  });

  it('publishes and correlates messages, broadcasts a signal', async () => {
    await camunda.createDeployment({
      resources: [
        await bpmn(
          createProcess('paying')
            .startEvent()
            .intermediateCatchEvent('paid', { message: { name: 'paid', correlationKey: '= orderId' } })
            .endEvent()
            .done(),
          'paying.bpmn',
        ),
        await bpmn(
          createProcess('signalled')
            .startEvent()
            .intermediateCatchEvent('go', { signal: 'go' })
            .endEvent()
            .done(),
          'signalled.bpmn',
        ),
      ],
    });
    const a = await camunda.createProcessInstance({
      processDefinitionId: 'paying' as never,
      variables: { orderId: 'A' },
    });
    const b = await camunda.createProcessInstance({
      processDefinitionId: 'paying' as never,
      variables: { orderId: 'B' },
    });
    const s = await camunda.createProcessInstance({ processDefinitionId: 'signalled' as never });

    const published = await camunda.publishMessage({
      name: 'paid',
      correlationKey: 'A',
      variables: { amount: 10 },
    });
    assert.match(published.messageKey!, /^\d+$/);
    const correlated = await camunda.correlateMessage({ name: 'paid', correlationKey: 'B' });
    assert.equal(correlated.processInstanceKey, b.processInstanceKey);
    await assert.rejects(
      camunda.correlateMessage({ name: 'paid', correlationKey: 'nobody' }),
      (error: { status?: number }) => error.status === 404,
    );

    const signal = await camunda.broadcastSignal({ signalName: 'go' });
    assert.match(signal.signalKey, /^\d+$/);
    await settled();
    for (const key of [a.processInstanceKey, b.processInstanceKey, s.processInstanceKey]) {
      const instance = await camunda.getProcessInstance({ processInstanceKey: key }, now);
      assert.equal(instance.state, 'COMPLETED', `instance ${key}`);
    }
    const variables = await camunda.searchVariables(
      { filter: { processInstanceKey: a.processInstanceKey, name: 'amount' } },
      now,
    );
    assert.equal(variables.items.length, 1);
    assert.equal(variables.items[0]!.value, '10');
    const subscriptions = await camunda.searchMessageSubscriptions(
      { filter: { processInstanceKey: a.processInstanceKey } },
      now,
    );
    assert.equal(subscriptions.items?.[0]?.messageSubscriptionState, 'CORRELATED');
    const variable = await camunda.getVariable({ variableKey: variables.items[0]!.variableKey }, now);
    assert.equal(variable.name, 'amount');
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
    await settled();
    assert.equal(
      (await camunda.getProcessInstance({ processInstanceKey: sleepy.processInstanceKey }, now)).state,
      'ACTIVE',
    );
    await camunda.pinClock({ timestamp: Date.now() + 2 * 3_600_000 });
    await camunda.getProcessInstance(
      { processInstanceKey: sleepy.processInstanceKey },
      {
        consistency: {
          waitUpToMs: 10_000,
          pollIntervalMs: 20,
          predicate: (instance) => instance.state === 'COMPLETED',
        },
      },
    );
    await camunda.resetClock();
    assert.ok(Math.abs(clock.now() - Date.now()) < 60_000);
  });

  it('sets variables to resolve an incident, modifies and migrates instances, deletes a resource', async () => {
    await camunda.createDeployment({
      resources: [
        await bpmn(
          createProcess('routing')
            .startEvent()
            .exclusiveGateway('route')
            .condition('= amount > 100')
            .userTask('big')
            .endEvent('big-end')
            .moveToNode('route')
            .condition('= amount <= 100')
            .userTask('small')
            .endEvent('small-end')
            .done(),
          'routing.bpmn',
        ),
      ],
    });
    const routed = await camunda.createProcessInstance({ processDefinitionId: 'routing' as never });
    await settled();
    const incidents = await camunda.searchIncidents(
      { filter: { processInstanceKey: routed.processInstanceKey, state: 'ACTIVE' } },
      now,
    );
    assert.equal(incidents.items?.length, 1);
    const incident = incidents.items![0]!;
    assert.equal(incident.elementId, 'route');
    // The process instance is the scope of its variables (its key is an element instance key too).
    await camunda.createElementInstanceVariables({
      elementInstanceKey: routed.processInstanceKey as never,
      variables: { amount: 500 },
    });
    await camunda.resolveIncident({ incidentKey: incident.incidentKey! });
    await settled();
    const resolved = await camunda.getIncident({ incidentKey: incident.incidentKey! }, now);
    assert.equal(resolved.state, 'RESOLVED');
    const atBig = await camunda.searchElementInstances(
      {
        filter: { processInstanceKey: routed.processInstanceKey, elementId: 'big' as never, state: 'ACTIVE' },
      },
      now,
    );
    assert.equal(atBig.items?.length, 1);

    // Modification: move the token from 'big' to 'small'.
    await camunda.modifyProcessInstance({
      processInstanceKey: routed.processInstanceKey,
      activateInstructions: [{ elementId: 'small' as never }],
      terminateInstructions: [{ elementInstanceKey: atBig.items![0]!.elementInstanceKey }],
    });
    await settled();
    const stats = await camunda.getProcessInstanceStatistics(
      { processInstanceKey: routed.processInstanceKey },
      now,
    );
    const byElement = new Map((stats.items ?? []).map((s) => [s.elementId, s]));
    assert.equal(byElement.get('big' as never)?.canceled, 1);
    assert.equal(byElement.get('small' as never)?.active, 1);

    // Migration: a second version with the same user task, then move the instance onto it.
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
      processInstanceKey: routed.processInstanceKey,
      targetProcessDefinitionKey: target.processDefinitionKey,
      mappingInstructions: [{ sourceElementId: 'small' as never, targetElementId: 'small' as never }],
    });
    await settled();
    const migrated = await camunda.getProcessInstance({ processInstanceKey: routed.processInstanceKey }, now);
    assert.equal(migrated.processDefinitionKey, target.processDefinitionKey);
    assert.equal(migrated.processDefinitionVersion, 2);

    const hierarchy = await camunda.getProcessInstanceCallHierarchy(
      { processInstanceKey: routed.processInstanceKey },
      now,
    );
    assert.deepEqual(
      hierarchy.map((h) => h.processInstanceKey),
      [routed.processInstanceKey],
    );

    // Deleting a resource: a definition without instances goes; one with a running instance is refused.
    const spare = await camunda.createDeployment({
      resources: [await bpmn(createProcess('spare').startEvent().endEvent().done(), 'spare.bpmn')],
    });
    const spareKey = spare.deployments[0]!.processDefinition!.processDefinitionKey;
    await camunda.deleteResource({ resourceKey: spareKey });
    await settled();
    const gone = await camunda.searchProcessDefinitions({ filter: { processDefinitionId: 'spare' } }, now);
    assert.equal(gone.page.totalItems, 0);
    await assert.rejects(
      camunda.deleteResource({ resourceKey: target.processDefinitionKey }),
      (error: { status?: number }) => error.status === 409,
    );
  });

  it('answers errors as problem details naming the field', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/v2${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const expectProblem = async (response: Response, status: number, field: RegExp) => {
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = (await response.json()) as { title: string; status: number; detail: string };
      assert.equal(problem.status, status);
      assert.match(problem.detail, field);
      return problem;
    };
    await expectProblem(
      await post('/process-instances', { processDefinitionId: 7 }),
      400,
      /processDefinitionId/,
    );
    await expectProblem(
      await post('/process-instances', { processDefinitionId: 'straight', variables: 'x' }),
      400,
      /'body\.variables'/,
    );
    await expectProblem(await post('/process-instances', '{"processDefinitionId":'), 400, /JSON/);
    await expectProblem(
      await post('/process-instances', { processDefinitionId: 'no-such-process' }),
      404,
      /no-such-process/,
    );
    await expectProblem(await post('/process-instances/12345/cancellation', {}), 404, /12345/);
    await expectProblem(await post('/process-instances/abc/cancellation', {}), 400, /processInstanceKey/);
    await expectProblem(
      await post('/process-instances/search', { filter: { colour: 'red' } }),
      400,
      /filter\.colour/,
    );
    await expectProblem(await post('/users/search', {}), 403, /identity/);
    await assert.rejects(
      camunda.getProcessInstance({ processInstanceKey: '2251799813699999' as never }, now),
      (error: { status?: number }) => error.status === 404,
    );
  });
});
