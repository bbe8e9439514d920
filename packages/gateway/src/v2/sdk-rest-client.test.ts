import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Camunda8 } from '@camunda8/sdk';
import type { CamundaRestClient } from '@camunda8/sdk/dist/c8/lib/CamundaRestClient.js';
import { createProcess } from '@baton-engine/baton';
import { PinnableClock } from './clock.js';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

/** `@camunda8/sdk`'s REST client (CamundaRestClient, 8.8) doing the core calls against the /v2 plugin. */
describe('/v2 driven by @camunda8/sdk CamundaRestClient', () => {
  let server: V2TestServer;
  let rest: CamundaRestClient;
  const clock = new PinnableClock();

  before(async () => {
    server = await startV2TestServer({ clock, listen: true });
    rest = new Camunda8({
      ZEEBE_REST_ADDRESS: server.url!,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
    } as never).getCamundaRestClient();
  });
  after(() => server?.close());

  it('deploys, starts with and without result, searches, sets variables, resolves and cancels', async () => {
    const topology = await rest.getTopology();
    assert.equal(topology.partitionsCount, 1);

    const routing = await createProcess('sdk-routing')
      .startEvent()
      .exclusiveGateway('route')
      .condition('= amount > 100')
      .userTask('big')
      .endEvent('big-end')
      .moveToNode('route')
      .condition('= amount <= 100')
      .userTask('small')
      .endEvent('small-end')
      .toXml();
    const deployment = await rest.deployResources([
      { name: 'sdk-routing.bpmn', content: routing },
      {
        name: 'sdk-straight.bpmn',
        content: await createProcess('sdk-straight').startEvent().endEvent().toXml(),
      },
    ]);
    assert.deepEqual(deployment.processes.map((p) => p.processDefinitionId).sort(), [
      'sdk-routing',
      'sdk-straight',
    ]);
    const routingKey = deployment.processes.find(
      (p) => p.processDefinitionId === 'sdk-routing',
    )!.processDefinitionKey;
    assert.match(await rest.getProcessDefinitionXML(routingKey), /sdk-routing/);

    const result = await rest.createProcessInstanceWithResult({
      processDefinitionId: 'sdk-straight',
      variables: { n: 1 },
    });
    assert.deepEqual({ ...(result.variables as object) }, { n: 1 });

    // A variable the condition needs is missing: an incident on the gateway.
    const instance = await rest.createProcessInstance({
      processDefinitionId: 'sdk-routing',
      variables: { other: true },
    });
    await server.settled();
    const incidents = await rest.searchIncidents({
      filter: { processInstanceKey: instance.processInstanceKey },
    } as never);
    assert.equal(incidents.items.length, 1);
    await rest.updateElementInstanceVariables({
      elementInstanceKey: instance.processInstanceKey,
      variables: { amount: 500 },
    });
    await rest.resolveIncident(incidents.items[0]!.incidentKey);
    await server.settled();
    const elements = await rest.searchElementInstances({
      filter: { processInstanceKey: instance.processInstanceKey, elementId: 'big' },
    } as never);
    assert.equal(elements.items.length, 1);

    const variables = await rest.searchVariables({
      filter: { processInstanceKey: instance.processInstanceKey, name: 'amount' },
    } as never);
    assert.equal(variables.items[0]!.value, '500');

    const found = await rest.searchProcessInstances({
      filter: { processDefinitionId: 'sdk-routing', state: 'ACTIVE' },
    } as never);
    assert.deepEqual(
      found.items.map((i) => i.processInstanceKey),
      [instance.processInstanceKey],
    );
    await rest.cancelProcessInstance({ processInstanceKey: instance.processInstanceKey });
    await server.settled();
    const after = await rest.searchProcessInstances({
      filter: { processInstanceKey: instance.processInstanceKey },
    } as never);
    assert.equal(after.items[0]!.state, 'TERMINATED');
  });

  it('publishes and correlates messages, broadcasts a signal, pins the clock, deletes a resource', async () => {
    const xml = await createProcess('sdk-wait')
      .startEvent()
      .intermediateCatchEvent('paid', { message: { name: 'sdk-paid', correlationKey: '= id' } })
      .intermediateCatchEvent('go', { signal: 'sdk-go' })
      .intermediateCatchEvent('nap', { timer: { duration: 'PT1H' } })
      .endEvent()
      .toXml();
    const deployment = await rest.deployResources([{ name: 'sdk-wait.bpmn', content: xml }]);
    const a = await rest.createProcessInstance({ processDefinitionId: 'sdk-wait', variables: { id: 'a' } });
    const b = await rest.createProcessInstance({ processDefinitionId: 'sdk-wait', variables: { id: 'b' } });
    const published = await rest.publishMessage({ name: 'sdk-paid', correlationKey: 'a', variables: {} });
    assert.match(published.messageKey, /^\d+$/);
    const correlated = await rest.correlateMessage({ name: 'sdk-paid', correlationKey: 'b', variables: {} });
    assert.equal(correlated.processInstanceKey, b.processInstanceKey);
    const signal = await rest.broadcastSignal({ signalName: 'sdk-go', variables: {} });
    assert.match(signal.signalKey, /^\d+$/);
    await rest.pinInternalClock(Date.now() + 2 * 3_600_000);
    // The timers fire once the pinned time is past their due date: wait until both instances completed.
    for (const key of [a.processInstanceKey, b.processInstanceKey]) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        await server.settled();
        const found = await rest.searchProcessInstances({ filter: { processInstanceKey: key } } as never);
        if (found.items[0]?.state === 'COMPLETED') break;
        assert.ok(Date.now() < deadline, `instance ${key} did not complete after the clock was pinned`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    await rest.resetClock();
    const spare = await rest.deployResources([
      { name: 'sdk-spare.bpmn', content: await createProcess('sdk-spare').startEvent().endEvent().toXml() },
    ]);
    await rest.deleteResource({ resourceKey: spare.processes[0]!.processDefinitionKey });
    await assert.rejects(rest.deleteResource({ resourceKey: '2251799813600000' }));
    // Every instance of sdk-wait completed: its definition can go too.
    await rest.deleteResource({ resourceKey: deployment.processes[0]!.processDefinitionKey });
  });
});
