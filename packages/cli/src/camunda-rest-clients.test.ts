import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivatedJobResult, CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createProcess } from '@baton-engine/baton';
import { paymentXml, pricedXml, pricingDmn, reviewForm, reviewXml } from '@baton-engine/gateway/test-models';
import {
  hasStatus,
  instanceIn,
  items,
  orchestrationClient,
  readNow,
  resourceFile as file,
  until,
} from './test-clients.js';
import type { OAuthCredentials } from './test-clients.js';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

/**
 * Issue 18's acceptance against `baton start` (a separate process, as users run it), first part: deploying,
 * running and waiting — instances, jobs, messages, signals, decisions, user tasks and the searches over them —
 * driven by `@camunda8/orchestration-cluster-api` (8.8). The client authenticates by OAuth client credentials
 * at Baton's `/oauth/token` and checks every response against the 8.8 spec (`res:fanatical`: a wrong type, a
 * missing required field or a property the spec does not have fails the call). The read side is eventually
 * consistent: reads wait for what a step caused through the client's own bounded polling (`until`).
 * `camunda-rest-operations.test.ts` is the second part (operations, the clock, errors).
 */
const client = { clientId: 'orders-app', clientSecret: 's3cret' };
const bpmn = async (built: { toXml(): Promise<string> }, name: string) => file(await built.toXml(), name);

describe('@camunda8/orchestration-cluster-api against baton start', { timeout: 180_000 }, () => {
  let server: TestServer;
  let oauth: OAuthCredentials;
  let camunda: CamundaClient;

  before(async () => {
    // As a user runs it for tests: a SQLite file (the default store and read model), an OAuth client, and the
    // clock PUT /v2/clock may pin (the second part pins it).
    const db = join(mkdtempSync(join(tmpdir(), 'baton-rest-clients-')), 'baton.db');
    server = await startBaton(
      ['--controlled-clock', '--oauth-client', `${client.clientId}:${client.clientSecret}`],
      { db },
    );
    oauth = { url: `${server.url}/oauth/token`, ...client };
    camunda = orchestrationClient(server.url, oauth);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'baton start stops cleanly on SIGTERM');
  });

  /** Activates `count` jobs of `type`, long polling until all of them were created. */
  async function activate(type: string, count: number): Promise<ActivatedJobResult[]> {
    const jobs: ActivatedJobResult[] = [];
    const end = Date.now() + 10_000;
    while (jobs.length < count) {
      assert.ok(Date.now() < end, `only ${jobs.length} of ${count} '${type}' jobs became activatable`);
      const batch = await camunda.activateJobs({
        type,
        worker: 'acceptance',
        timeout: 60_000,
        maxJobsToActivate: count - jobs.length,
        requestTimeout: 2_000,
      });
      jobs.push(...batch.jobs);
    }
    return jobs;
  }

  const stateOf = (processInstanceKey: string, state: string) =>
    instanceIn(camunda, processInstanceKey, state);

  it('gets its token by OAuth client credentials; a wrong secret gets none', async () => {
    const topology = await camunda.getTopology();
    assert.equal(topology.partitionsCount, 1);
    assert.equal(topology.brokers[0]!.partitions[0]!.role, 'leader');
    const intruder = orchestrationClient(server.url, { ...oauth, clientSecret: 'wrong' }, undefined, {
      CAMUNDA_OAUTH_RETRY_MAX: 1,
    });
    await assert.rejects(intruder.getTopology(), hasStatus(401));
  });

  it('deploys BPMN, DMN and a form in one deployment', async () => {
    const deployment = await camunda.createDeployment({
      resources: [
        file(paymentXml, 'payment.bpmn'),
        file(reviewXml, 'review.bpmn'),
        file(reviewForm, 'review.form'),
        file(pricingDmn, 'pricing.dmn'),
        file(pricedXml, 'priced.bpmn'),
        await bpmn(createProcess('straight').startEvent().endEvent().done(), 'straight.bpmn'),
      ],
    });
    const of = (kind: string) =>
      deployment.deployments
        .filter((d) => d[kind as keyof typeof d] !== undefined)
        .map((d) => d[kind as never]);
    assert.deepEqual(
      of('processDefinition')
        .map((p: { processDefinitionId: string }) => p.processDefinitionId)
        .sort(),
      ['payment', 'priced', 'review', 'straight'],
    );
    assert.deepEqual(
      of('decisionDefinition')
        .map((d: { decisionDefinitionId: string }) => d.decisionDefinitionId)
        .sort(),
      ['discount', 'level'],
    );
    assert.deepEqual(
      of('decisionRequirements').map((d: { decisionRequirementsId: string }) => d.decisionRequirementsId),
      ['pricing'],
    );
    assert.deepEqual(
      of('form').map((f: { formId: string }) => f.formId),
      ['review-form'],
    );
    assert.match(deployment.deploymentKey, /^\d+$/);
  });

  it('creates instances with and without an awaited result; activates, fails and completes jobs', async () => {
    const first = await camunda.createProcessInstance({
      processDefinitionId: 'payment' as never,
      variables: { order: 1 },
    });
    const second = await camunda.createProcessInstance({
      processDefinitionId: 'payment' as never,
      variables: { order: 2 },
    });
    assert.match(first.processInstanceKey, /^\d+$/);
    // This one answers only when the instance completed, with its variables: its job is completed below.
    const awaited = camunda.createProcessInstance({
      processDefinitionId: 'payment' as never,
      variables: { order: 3 },
      awaitCompletion: true,
      requestTimeout: 30_000,
    });
    const jobs = await activate('charge', 3);
    const byOrder = new Map(jobs.map((j) => [(j.variables as { order: number }).order, j]));
    assert.deepEqual([...byOrder.keys()].sort(), [1, 2, 3]);
    assert.deepEqual(byOrder.get(1)!.customHeaders, { region: 'eu' });
    assert.equal(byOrder.get(1)!.processInstanceKey, first.processInstanceKey);
    assert.equal(byOrder.get(1)!.retries, 3);

    await camunda.completeJob({ jobKey: byOrder.get(3)!.jobKey, variables: { receipt: 'r-3' } });
    const result = await awaited;
    assert.deepEqual(result.variables, { order: 3, receipt: 'r-3' });
    assert.equal(result.processDefinitionId, 'payment');

    // A failure with retries left: the job comes back (no back-off), with the retries the failure left.
    await camunda.failJob({ jobKey: byOrder.get(1)!.jobKey, retries: 2, errorMessage: 'try again' });
    const [again] = await activate('charge', 1);
    assert.equal(again!.jobKey, byOrder.get(1)!.jobKey);
    assert.equal(again!.retries, 2);
    await camunda.completeJob({ jobKey: again!.jobKey });
    await stateOf(first.processInstanceKey, 'COMPLETED');

    // No retries left: an incident, resolved once the job has retries again.
    await camunda.failJob({ jobKey: byOrder.get(2)!.jobKey, retries: 0, errorMessage: 'card declined' });
    const incidents = await camunda.searchIncidents(
      { filter: { processInstanceKey: second.processInstanceKey, state: 'ACTIVE' } },
      until(items(1)),
    );
    const incident = incidents.items![0]!;
    assert.equal(incident.errorType, 'JOB_NO_RETRIES');
    assert.equal(incident.errorMessage, 'card declined');
    assert.equal(incident.jobKey, byOrder.get(2)!.jobKey);
    await camunda.updateJob({ jobKey: byOrder.get(2)!.jobKey, changeset: { retries: 1 } });
    await camunda.resolveIncident({ incidentKey: incident.incidentKey! });
    await camunda.getIncident(
      { incidentKey: incident.incidentKey! },
      until((found: { state?: string }) => found.state === 'RESOLVED'),
    );
    const [resolved] = await activate('charge', 1);
    assert.equal(resolved!.jobKey, byOrder.get(2)!.jobKey);
    await camunda.completeJob({ jobKey: resolved!.jobKey, variables: { receipt: 'r-2' } });
    await stateOf(second.processInstanceKey, 'COMPLETED');

    const completed = await camunda.searchJobs(
      { filter: { type: 'charge', state: 'COMPLETED' } },
      until(items(3)),
    );
    assert.equal(completed.page.totalItems, 3);
    await assert.rejects(camunda.completeJob({ jobKey: byOrder.get(3)!.jobKey }), hasStatus(404));
  });

  it("runs the client's own JobWorker: it completes jobs and throws a BPMN error", async () => {
    const worker = camunda.createJobWorker({
      jobType: 'charge',
      workerName: 'acceptance-worker',
      jobTimeoutMs: 60_000,
      maxParallelJobs: 2,
      pollTimeoutMs: 1_000,
      jobHandler: (job) => {
        const { order } = job.variables as { order: string };
        return order === 'declined'
          ? job.error({ errorCode: 'DECLINED', errorMessage: 'no funds' })
          : job.complete({ receipt: `w-${order}` });
      },
    });
    try {
      const paid = await camunda.createProcessInstance({
        processDefinitionId: 'payment' as never,
        variables: { order: 'a' },
        awaitCompletion: true,
        requestTimeout: 30_000,
      });
      assert.deepEqual(paid.variables, { order: 'a', receipt: 'w-a' });
      const declined = await camunda.createProcessInstance({
        processDefinitionId: 'payment' as never,
        variables: { order: 'declined' },
        awaitCompletion: true,
        requestTimeout: 30_000,
      });
      // The error boundary event caught it: the instance ended at 'declined', not at 'paid'.
      const ends = await camunda.searchElementInstances(
        { filter: { processInstanceKey: declined.processInstanceKey, type: 'END_EVENT' } },
        until(items(1)),
      );
      assert.equal(ends.items![0]!.elementId, 'declined');
      const thrown = await camunda.searchJobs(
        { filter: { processInstanceKey: declined.processInstanceKey, state: 'ERROR_THROWN' } },
        until(items(1)),
      );
      assert.equal(thrown.items[0]!.errorCode, 'DECLINED');
      assert.equal(thrown.items[0]!.worker, 'acceptance-worker');
    } finally {
      await worker.stopGracefully({ waitUpToMs: 5_000 });
    }
  });

  it('publishes and correlates messages and broadcasts a signal', async () => {
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
    // The subscriptions are open before anything is sent (the signal is not buffered).
    await camunda.searchMessageSubscriptions(
      { filter: { processDefinitionId: 'paying' as never } },
      until(items(2)),
    );
    await camunda.searchElementInstances(
      { filter: { processInstanceKey: s.processInstanceKey, elementId: 'go' as never, state: 'ACTIVE' } },
      until(items(1)),
    );

    const published = await camunda.publishMessage({
      name: 'paid',
      correlationKey: 'A',
      variables: { amount: 10 },
    });
    assert.match(published.messageKey!, /^\d+$/);
    const correlated = await camunda.correlateMessage({
      name: 'paid',
      correlationKey: 'B',
      variables: { amount: 20 },
    });
    assert.equal(correlated.processInstanceKey, b.processInstanceKey);
    await assert.rejects(
      camunda.correlateMessage({ name: 'paid', correlationKey: 'nobody' }),
      hasStatus(404),
    );
    const signal = await camunda.broadcastSignal({ signalName: 'go', variables: { loud: true } });
    assert.match(signal.signalKey, /^\d+$/);

    for (const key of [a.processInstanceKey, b.processInstanceKey, s.processInstanceKey])
      await stateOf(key, 'COMPLETED');
    const amounts = await camunda.searchVariables(
      { filter: { name: 'amount' }, sort: [{ field: 'value', order: 'ASC' }] },
      until(items(2)),
    );
    assert.deepEqual(
      amounts.items.map((v) => [v.processInstanceKey, v.value]),
      [
        [a.processInstanceKey, '10'],
        [b.processInstanceKey, '20'],
      ],
    );
  });

  it('evaluates a decision, directly and from a business rule task', async () => {
    // A failed evaluation passes the fanatical validation whole.
    const failed = await camunda.evaluateDecision({
      decisionDefinitionId: 'discount' as never,
      variables: { orders: 12 },
    });
    assert.equal(failed.failedDecisionDefinitionId, 'discount');
    assert.match(failed.failureMessage, /UNIQUE|total/);
    // A successful one answers failedDecisionDefinitionId "" (nothing failed; Zeebe's record and REST answer
    // say so the same way), which the 8.8 schema refuses (it types the field as a non-empty decision id):
    // that one call is made with response validation off and checked field by field.
    const success = { decisionDefinitionId: 'discount' as never, variables: { total: 120, orders: 12 } };
    // The strict client refuses that field, and only that field.
    await assert.rejects(
      camunda.evaluateDecision(success),
      (error: { issues?: string[] }) =>
        (error.issues ?? []).every((issue) => issue.startsWith('failedDecisionDefinitionId:')) &&
        error.issues!.length > 0,
    );
    const lenient = orchestrationClient(server.url, oauth, 'req:strict,res:none');
    const evaluation = await lenient.evaluateDecision(success);
    assert.equal(evaluation.decisionDefinitionId, 'discount');
    assert.equal(evaluation.decisionDefinitionName, 'Discount');
    assert.equal(evaluation.decisionDefinitionVersion, 1);
    assert.equal(evaluation.decisionRequirementsId, 'pricing');
    assert.equal(evaluation.output, '0.2');
    assert.equal(evaluation.failedDecisionDefinitionId, '');
    assert.equal(evaluation.failureMessage, '');
    assert.equal(evaluation.tenantId, '<default>');
    for (const key of ['decisionDefinitionKey', 'decisionRequirementsKey', 'decisionEvaluationKey'] as const)
      assert.match(evaluation[key], /^\d+$/, key);
    assert.deepEqual(
      evaluation.evaluatedDecisions.map((d) => [d.decisionDefinitionId, d.output]),
      [
        ['level', '"gold"'],
        ['discount', '0.2'],
      ],
    );
    assert.equal(evaluation.evaluatedDecisions[1]!.matchedRules![0]!.ruleId, 'big');

    const priced = await camunda.createProcessInstance({
      processDefinitionId: 'priced' as never,
      variables: { total: 20, orders: 1 },
      awaitCompletion: true,
    });
    assert.equal((priced.variables as { discount: number }).discount, 0);
    const fromProcess = await camunda.searchDecisionInstances(
      {
        filter: {
          processInstanceKey: priced.processInstanceKey,
          decisionDefinitionId: 'discount' as never,
        },
      },
      until(items(1)),
    );
    assert.equal(fromProcess.items![0]!.result, '0');
  });

  it('searches instances, incidents, variables and user tasks, and completes a user task', async () => {
    const review = await camunda.createProcessInstance({
      processDefinitionId: 'review' as never,
      variables: { order: 'R-1' },
    });
    const tasks = await camunda.searchUserTasks(
      { filter: { processInstanceKey: review.processInstanceKey, state: 'CREATED' } },
      until(items(1)),
    );
    const task = tasks.items[0]!;
    assert.equal(task.elementId, 'check');
    assert.deepEqual(task.candidateGroups, ['clerks', 'leads']);
    const form = (await camunda.getUserTaskForm({ userTaskKey: task.userTaskKey }, readNow)) || undefined;
    assert.equal(form?.formId, 'review-form');

    await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'ada' });
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
    await stateOf(review.processInstanceKey, 'COMPLETED');
    const done = await camunda.getUserTask(
      { userTaskKey: task.userTaskKey },
      until((found: { state?: string }) => found.state === 'COMPLETED'),
    );
    assert.equal(done.assignee, 'ada');

    const instances = await camunda.searchProcessInstances(
      { filter: { processDefinitionId: 'review', state: 'COMPLETED' } },
      until(items(1)),
    );
    assert.equal(instances.items[0]!.processInstanceKey, review.processInstanceKey);
    const variables = await camunda.searchVariables(
      { filter: { processInstanceKey: review.processInstanceKey }, sort: [{ field: 'name' }] },
      until(items(2)),
    );
    assert.deepEqual(
      variables.items.map((v) => [v.name, v.value]),
      [
        ['approved', 'true'],
        ['order', '"R-1"'],
      ],
    );
    const resolved = await camunda.searchIncidents({ filter: { state: 'RESOLVED' } }, until(items(1)));
    assert.equal(resolved.items![0]!.errorType, 'JOB_NO_RETRIES');
  });
});
