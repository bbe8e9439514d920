import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { paymentXml, pricedXml, pricingDmn, reviewForm, reviewXml } from '@baton-engine/gateway/test-models';
import { eventually, sdkRestClient } from './test-clients.js';
import type { SdkRestClient } from './test-clients.js';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

/**
 * Issue 18's acceptance, second part: `@camunda8/sdk`'s REST client (`CamundaRestClient`, 8.8) doing the core
 * calls against `baton start`, authenticated by OAuth client credentials at Baton's `/oauth/token`. The read
 * side is eventually consistent: reads wait for what a step caused (`eventually`, bounded).
 */
const client = { clientId: 'sdk-app', clientSecret: 'sdk-s3cret' };

describe('@camunda8/sdk CamundaRestClient against baton start', { timeout: 180_000 }, () => {
  let server: TestServer;
  let rest: SdkRestClient;

  before(async () => {
    server = await startBaton(['--oauth-client', `${client.clientId}:${client.clientSecret}`]);
    rest = sdkRestClient(server.url, { url: `${server.url}/oauth/token`, ...client });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'baton start stops cleanly on SIGTERM');
  });

  /** Activates `count` jobs of `type`, long polling until all of them were created. */
  async function activate(type: string, count: number) {
    const jobs = [];
    const end = Date.now() + 10_000;
    while (jobs.length < count) {
      assert.ok(Date.now() < end, `only ${jobs.length} of ${count} '${type}' jobs became activatable`);
      jobs.push(
        ...(await rest.activateJobs({
          type,
          worker: 'sdk-acceptance',
          timeout: 60_000,
          maxJobsToActivate: count - jobs.length,
          requestTimeout: 2_000,
        })),
      );
    }
    return jobs;
  }

  /** Waits until the instance is in `state` (the read side has caught up with it). */
  const instanceIn = (processInstanceKey: string, state: string) =>
    eventually(
      () => rest.searchProcessInstances({ filter: { processInstanceKey } }),
      (found) => found.items[0]?.state === state,
      `instance ${processInstanceKey} ${state}`,
    );

  it('deploys BPMN, DMN and a form', async () => {
    const deployment = await rest.deployResources([
      { name: 'payment.bpmn', content: paymentXml },
      { name: 'review.bpmn', content: reviewXml },
      { name: 'review.form', content: reviewForm },
      { name: 'pricing.dmn', content: pricingDmn },
      { name: 'priced.bpmn', content: pricedXml },
      {
        name: 'paying.bpmn',
        content: await createProcess('paying')
          .startEvent()
          .intermediateCatchEvent('paid', { message: { name: 'paid', correlationKey: '= orderId' } })
          .intermediateCatchEvent('go', { signal: 'go' })
          .endEvent()
          .toXml(),
      },
    ]);
    assert.deepEqual(deployment.processes.map((p) => p.processDefinitionId).sort(), [
      'paying',
      'payment',
      'priced',
      'review',
    ]);
    assert.deepEqual(deployment.decisions.map((d) => d.decisionDefinitionId).sort(), ['discount', 'level']);
    assert.equal(deployment.decisionRequirements[0]!.decisionRequirementsId, 'pricing');
    assert.equal(deployment.forms[0]!.formId, 'review-form');
    assert.match(deployment.processes[0]!.processDefinitionKey, /^\d+$/);
  });

  it('creates instances with and without result; activates, fails and completes jobs; resolves the incident', async () => {
    const first = await rest.createProcessInstance({
      processDefinitionId: 'payment',
      variables: { order: 1 },
    });
    const second = await rest.createProcessInstance({
      processDefinitionId: 'payment',
      variables: { order: 2 },
    });
    assert.match(first.processInstanceKey, /^\d+$/);
    assert.equal(first.processDefinitionId, 'payment');
    // Answers once the instance completed: its job is completed below.
    const awaited = rest.createProcessInstanceWithResult({
      processDefinitionId: 'payment',
      variables: { order: 3 },
      requestTimeout: 30_000,
    });
    const jobs = await activate('charge', 3);
    const byOrder = new Map(jobs.map((j) => [(j.variables as unknown as { order: number }).order, j]));
    assert.deepEqual([...byOrder.keys()].sort(), [1, 2, 3]);
    assert.equal(byOrder.get(1)!.processInstanceKey, first.processInstanceKey);
    assert.equal((byOrder.get(1)!.customHeaders as unknown as { region: string }).region, 'eu');

    const ack = await rest.completeJob({ jobKey: byOrder.get(3)!.jobKey, variables: { receipt: 'r-3' } });
    assert.equal(ack, 'JOB_ACTION_ACKNOWLEDGEMENT');
    const result = await awaited;
    assert.deepEqual({ ...(result.variables as object) }, { order: 3, receipt: 'r-3' });
    await rest.completeJob({ jobKey: byOrder.get(2)!.jobKey, variables: { receipt: 'r-2' } });

    // No retries left: an incident; raising the retries and resolving it lets a worker complete the job.
    await rest.failJob({
      jobKey: byOrder.get(1)!.jobKey,
      retries: 0,
      errorMessage: 'card declined',
      retryBackOff: 0,
    });
    const incidents = await eventually(
      () => rest.searchIncidents({ filter: { processInstanceKey: first.processInstanceKey } }),
      (found) => found.items.length === 1,
      'the incident of the failed job',
    );
    const incident = incidents.items[0]!;
    assert.equal(incident.errorType, 'JOB_NO_RETRIES');
    assert.equal(incident.errorMessage, 'card declined');
    await rest.updateJob({ jobKey: byOrder.get(1)!.jobKey, retries: 1 });
    await rest.resolveIncident(incident.incidentKey);
    const [again] = await activate('charge', 1);
    assert.equal(again!.jobKey, byOrder.get(1)!.jobKey);
    await rest.completeJob({ jobKey: again!.jobKey, variables: { receipt: 'r-1' } });

    for (const key of [first.processInstanceKey, second.processInstanceKey, result.processInstanceKey])
      await instanceIn(key, 'COMPLETED');
    const resolved = await rest.searchIncidents({ filter: { processInstanceKey: first.processInstanceKey } });
    assert.equal(resolved.items[0]!.state, 'RESOLVED');
  });

  it('publishes and correlates messages, broadcasts a signal', async () => {
    const a = await rest.createProcessInstance({
      processDefinitionId: 'paying',
      variables: { orderId: 'a' },
    });
    const b = await rest.createProcessInstance({
      processDefinitionId: 'paying',
      variables: { orderId: 'b' },
    });
    const published = await rest.publishMessage({
      name: 'paid',
      correlationKey: 'a',
      variables: { amount: 10 },
      timeToLive: 60_000,
    });
    assert.match(published.messageKey, /^\d+$/);
    // Correlation needs the subscription open: wait until b waits for its message.
    await eventually(
      () =>
        rest.searchElementInstances({
          filter: { processInstanceKey: b.processInstanceKey, elementId: 'paid', state: 'ACTIVE' },
        }),
      (found) => found.items.length === 1,
      "b's message subscription",
    );
    const correlated = await rest.correlateMessage({
      name: 'paid',
      correlationKey: 'b',
      variables: { amount: 20 },
    });
    assert.equal(correlated.processInstanceKey, b.processInstanceKey);
    // Both wait for the signal now; it is not buffered, so wait until both reached its catch event.
    await eventually(
      () =>
        rest.searchElementInstances({
          filter: { processDefinitionId: 'paying', elementId: 'go', state: 'ACTIVE' },
        }),
      (found) => found.items.length === 2,
      'both instances at the signal catch event',
    );
    const signal = await rest.broadcastSignal({ signalName: 'go', variables: {} });
    assert.match(signal.signalKey, /^\d+$/);
    for (const key of [a.processInstanceKey, b.processInstanceKey]) await instanceIn(key, 'COMPLETED');
    const amounts = await rest.searchVariables({ filter: { name: 'amount' } });
    assert.deepEqual(amounts.items.map((v) => v.value).sort(), ['10', '20']);
  });

  it('evaluates a decision', async () => {
    const evaluation = await rest.evaluateDecision({
      decisionDefinitionId: 'discount',
      variables: { total: 500, orders: 40 },
    });
    assert.equal(evaluation.output, '0.2');
    assert.equal(evaluation.decisionDefinitionId, 'discount');
    assert.equal(evaluation.decisionDefinitionVersion, 1);
    assert.equal(evaluation.failureMessage, '');
    assert.match(evaluation.decisionEvaluationKey, /^\d+$/);
    assert.deepEqual(
      evaluation.evaluatedDecisions.map((d) => d.decisionDefinitionId),
      ['level', 'discount'],
    );
    const failed = await rest.evaluateDecision({
      decisionDefinitionId: 'discount',
      variables: { orders: 1 },
    });
    assert.equal(failed.failedDecisionDefinitionId, 'discount');
  });

  it('searches and completes a user task; cancels an instance', async () => {
    const review = await rest.createProcessInstance({
      processDefinitionId: 'review',
      variables: { order: 'R-9' },
    });
    const tasks = await eventually(
      () =>
        rest.searchUserTasks({ filter: { processInstanceKey: review.processInstanceKey, state: 'CREATED' } }),
      (found) => found.items.length === 1,
      'the review task',
    );
    const task = tasks.items[0]!;
    assert.equal(task.elementId, 'check');
    await rest.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
    await instanceIn(review.processInstanceKey, 'COMPLETED');
    const approved = await rest.searchVariables({
      filter: { processInstanceKey: review.processInstanceKey, name: 'approved' },
    });
    assert.equal(approved.items[0]!.value, 'true');

    const doomed = await rest.createProcessInstance({ processDefinitionId: 'review', variables: {} });
    await eventually(
      () => rest.searchUserTasks({ filter: { processInstanceKey: doomed.processInstanceKey } }),
      (found) => found.items.length === 1,
      'the task of the instance to cancel',
    );
    await rest.cancelProcessInstance({ processInstanceKey: doomed.processInstanceKey });
    await instanceIn(doomed.processInstanceKey, 'TERMINATED');
    await assert.rejects(
      rest.cancelProcessInstance({ processInstanceKey: doomed.processInstanceKey }),
      /404/,
    );
  });
});
