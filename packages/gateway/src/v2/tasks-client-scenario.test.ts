import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { Camunda8 } from '@camunda8/sdk';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';
import { paymentXml, pricedXml, pricingDmn, reviewForm, reviewXml } from './task-test-models.js';

/**
 * The acceptance scenario of issue 18 for jobs, user tasks, decisions and forms: the official Camunda 8.8 REST
 * client with strict request validation and fanatical response validation (a wrong type, a missing required
 * field or an unknown property fails the call), then `@camunda8/sdk`'s `CamundaRestClient` doing the core
 * calls, then bad requests answered as problem details.
 */
const now = { consistency: { waitUpToMs: 0 } };
const file = (text: string, name: string) => new File([text], name, { type: 'application/octet-stream' });

describe('/v2 jobs, user tasks, decisions and forms driven by the official clients', () => {
  let server: V2TestServer;
  let camunda: CamundaClient;
  const settled = () => server.settled();

  before(async () => {
    server = await startV2TestServer({ listen: true });
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

  it('deploys a process with a job, a user task with a form, a DMN and a business rule task', async () => {
    const deployment = await camunda.createDeployment({
      resources: [
        file(paymentXml, 'payment.bpmn'),
        file(reviewXml, 'review.bpmn'),
        file(reviewForm, 'review.form'),
        file(pricingDmn, 'pricing.dmn'),
        file(pricedXml, 'priced.bpmn'),
      ],
    });
    const kinds = deployment.deployments.map((d) => Object.keys(d).find((k) => d[k as keyof typeof d]));
    assert.ok(kinds.includes('form'), JSON.stringify(deployment.deployments));
    assert.ok(kinds.includes('decisionDefinition'));
  });

  it('activates, completes, fails, updates and throws errors on jobs; searches them', async () => {
    const instances = [];
    for (let i = 0; i < 3; i++)
      instances.push(
        await camunda.createProcessInstance({
          processDefinitionId: 'payment' as never,
          variables: { order: i },
        }),
      );
    const { jobs } = await camunda.activateJobs({
      type: 'charge',
      worker: 'scenario',
      timeout: 60_000,
      maxJobsToActivate: 3,
      requestTimeout: 5_000,
    });
    assert.equal(jobs.length, 3);
    const byOrder = new Map(jobs.map((j) => [(j.variables as { order: number }).order, j]));
    const [done, retried, declined] = [byOrder.get(0)!, byOrder.get(1)!, byOrder.get(2)!];
    assert.deepEqual(done.customHeaders, { region: 'eu' });
    assert.equal(done.processDefinitionId, 'payment');

    await camunda.completeJob({ jobKey: done.jobKey, variables: { receipt: 'r-0' } });
    await camunda.updateJob({ jobKey: retried.jobKey, changeset: { retries: 5 } });
    await camunda.failJob({ jobKey: retried.jobKey, retries: 4, errorMessage: 'try again' });
    await camunda.throwJobError({ jobKey: declined.jobKey, errorCode: 'DECLINED', errorMessage: 'no' });

    // The failed job is activatable again, with the retries the failure left.
    const again = await camunda.activateJobs({
      type: 'charge',
      worker: 'scenario',
      timeout: 60_000,
      maxJobsToActivate: 1,
      requestTimeout: 5_000,
    });
    assert.equal(again.jobs[0]!.jobKey, retried.jobKey);
    assert.equal(again.jobs[0]!.retries, 4);
    await camunda.completeJob({ jobKey: retried.jobKey });
    await settled();

    for (const instance of instances) {
      const found = await camunda.getProcessInstance(
        { processInstanceKey: instance.processInstanceKey },
        now,
      );
      assert.equal(found.state, 'COMPLETED');
    }
    const searched = await camunda.searchJobs(
      { filter: { type: 'charge', state: 'COMPLETED' }, sort: [{ field: 'jobKey', order: 'ASC' }] },
      now,
    );
    assert.equal(searched.page.totalItems, 2);
    const thrown = await camunda.searchJobs({ filter: { state: 'ERROR_THROWN' } }, now);
    assert.equal(thrown.items[0]!.jobKey, declined.jobKey);
    assert.equal(thrown.items[0]!.errorCode, 'DECLINED');

    await assert.rejects(
      camunda.completeJob({ jobKey: done.jobKey }),
      (error: { status?: number }) => error.status === 404,
    );
  });

  it('evaluates a decision, searches and gets definitions, DRGs and decision instances', async () => {
    // A failed evaluation passes the fanatical validation whole. A successful one answers
    // failedDecisionDefinitionId "" (nothing failed, as Zeebe's record has it), which the spec's schema refuses
    // (a required decision id): that one call is checked with response validation off, field by field.
    const failed = await camunda.evaluateDecision({
      decisionDefinitionId: 'discount' as never,
      variables: { orders: 12 },
    });
    assert.equal(failed.failedDecisionDefinitionId, 'discount');
    assert.match(failed.failureMessage, /UNIQUE/);
    const lenient = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url!,
        CAMUNDA_AUTH_STRATEGY: 'NONE',
        CAMUNDA_SDK_VALIDATION: 'req:strict,res:none',
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
      } as never,
    });
    const evaluation = await lenient.evaluateDecision({
      decisionDefinitionId: 'discount' as never,
      variables: { total: 120, orders: 12 },
    });
    assert.equal(evaluation.output, '0.2');
    assert.equal(evaluation.failedDecisionDefinitionId, '');
    assert.equal(evaluation.failureMessage, '');
    assert.deepEqual(
      evaluation.evaluatedDecisions.map((d) => [d.decisionDefinitionId, d.decisionEvaluationInstanceKey]),
      [
        ['level', `${evaluation.decisionEvaluationKey}001`],
        ['discount', `${evaluation.decisionEvaluationKey}002`],
      ],
    );
    const priced = await camunda.createProcessInstance({
      processDefinitionId: 'priced' as never,
      variables: { total: 20, orders: 1 },
    });
    await settled();

    const definitions = await camunda.searchDecisionDefinitions(
      { filter: { decisionDefinitionId: 'discount' as never } },
      now,
    );
    const discount = definitions.items![0]!;
    assert.equal(discount.decisionDefinitionKey, evaluation.decisionDefinitionKey);
    const got = await camunda.getDecisionDefinition(
      { decisionDefinitionKey: discount.decisionDefinitionKey! },
      now,
    );
    assert.equal(got.name, 'Discount');
    const xml = await camunda.getDecisionDefinitionXml(
      { decisionDefinitionKey: discount.decisionDefinitionKey! },
      now,
    );
    assert.match(String(xml), /<decision id="discount"/);
    const drgs = await camunda.searchDecisionRequirements({}, now);
    assert.equal(drgs.items![0]!.decisionRequirementsId, 'pricing');
    const drg = await camunda.getDecisionRequirements(
      { decisionRequirementsKey: discount.decisionRequirementsKey! },
      now,
    );
    assert.equal(drg.resourceName, 'pricing.dmn');

    const fromProcess = await camunda.searchDecisionInstances(
      {
        filter: { processInstanceKey: priced.processInstanceKey, decisionDefinitionId: 'discount' as never },
      },
      now,
    );
    assert.equal(fromProcess.items!.length, 1);
    assert.equal(fromProcess.items![0]!.result, '0');
    const all = await camunda.searchDecisionInstances(
      { sort: [{ field: 'evaluationDate', order: 'DESC' }] },
      now,
    );
    assert.equal(all.page.totalItems, 6, 'three evaluations of two decisions each (one failed)');
    const instance = await camunda.getDecisionInstance(
      { decisionEvaluationInstanceKey: fromProcess.items![0]!.decisionEvaluationInstanceKey! },
      now,
    );
    assert.equal(instance.matchedRules![0]!.ruleId, 'small');
    assert.equal(instance.evaluatedInputs!.length, 2);
  });

  it('searches, assigns, unassigns, updates and completes a user task, and gets its form', async () => {
    const review = await camunda.createProcessInstance({
      processDefinitionId: 'review' as never,
      variables: { order: 'R-1' },
    });
    await settled();
    const tasks = await camunda.searchUserTasks(
      { filter: { processInstanceKey: review.processInstanceKey, state: 'CREATED' } },
      now,
    );
    assert.equal(tasks.items.length, 1);
    const task = tasks.items[0]!;
    assert.deepEqual(task.candidateGroups, ['clerks', 'leads']);

    await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'ada' });
    await assert.rejects(
      camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob', allowOverride: false }),
      (error: { status?: number }) => error.status === 409,
    );
    await camunda.unassignUserTask({ userTaskKey: task.userTaskKey });
    await camunda.updateUserTask({
      userTaskKey: task.userTaskKey,
      changeset: { priority: 75, followUpDate: '2030-01-02T03:04:05.000Z' },
    });
    await settled();
    const updated = await camunda.getUserTask({ userTaskKey: task.userTaskKey }, now);
    assert.equal(updated.priority, 75);
    assert.equal(updated.followUpDate, '2030-01-02T03:04:05.000Z');
    assert.equal(updated.assignee, undefined);

    const form = (await camunda.getUserTaskForm({ userTaskKey: task.userTaskKey }, now)) || undefined;
    assert.ok(form, 'the task links a form');
    assert.equal(form.formId, 'review-form');
    assert.deepEqual(form.schema, JSON.parse(reviewForm));

    const variables = await camunda.searchUserTaskVariables({ userTaskKey: task.userTaskKey }, now);
    assert.equal(variables.page.totalItems, 0, 'nothing is set on the task itself');

    await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
    await settled();
    const finished = await camunda.getProcessInstance({ processInstanceKey: review.processInstanceKey }, now);
    assert.equal(finished.state, 'COMPLETED');
    const done = await camunda.getUserTask({ userTaskKey: task.userTaskKey }, now);
    assert.equal(done.state, 'COMPLETED');
  });

  it("@camunda8/sdk's CamundaRestClient: activates and completes jobs, evaluates, completes a user task", async () => {
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: server.url!,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
    } as never);
    const rest = c8.getCamundaRestClient();
    const instance = await rest.createProcessInstance({
      processDefinitionId: 'payment',
      variables: { order: 'sdk' },
    });
    const jobs = await rest.activateJobs({
      type: 'charge',
      worker: 'sdk-worker',
      timeout: 60_000,
      maxJobsToActivate: 5,
      requestTimeout: 5_000,
    });
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.processInstanceKey, instance.processInstanceKey);
    assert.equal((jobs[0]!.variables as unknown as { order: string }).order, 'sdk');
    assert.equal(
      await rest.completeJob({ jobKey: jobs[0]!.jobKey, variables: { ok: true } }),
      'JOB_ACTION_ACKNOWLEDGEMENT',
    );

    const failing = await rest.createProcessInstance({ processDefinitionId: 'payment', variables: {} });
    const [toFail] = await rest.activateJobs({
      type: 'charge',
      worker: 'sdk-worker',
      timeout: 60_000,
      maxJobsToActivate: 1,
    });
    assert.equal(toFail!.processInstanceKey, failing.processInstanceKey);
    await rest.failJob({ jobKey: toFail!.jobKey, retries: 0, errorMessage: 'gave up', retryBackOff: 0 });

    const evaluation = await rest.evaluateDecision({
      decisionDefinitionId: 'discount',
      variables: { total: 500, orders: 40 },
    });
    assert.equal(evaluation.output, '0.2');

    const review = await rest.createProcessInstance({ processDefinitionId: 'review', variables: {} });
    await settled();
    const tasks = await rest.searchUserTasks({
      filter: { processInstanceKey: review.processInstanceKey, state: 'CREATED' },
    });
    assert.equal(tasks.items.length, 1);
    const userTaskKey = tasks.items[0]!.userTaskKey;
    await rest.assignUserTask({ userTaskKey, assignee: 'sdk-user' });
    await rest.completeUserTask({ userTaskKey, variables: { approved: false } });
    await settled();
    const states = await camunda.searchProcessInstances(
      {
        filter: {
          processInstanceKey: { $in: [instance.processInstanceKey, review.processInstanceKey] as never[] },
        },
      },
      now,
    );
    assert.deepEqual(
      states.items.map((i) => i.state),
      ['COMPLETED', 'COMPLETED'],
    );
    const incidents = await camunda.searchIncidents(
      { filter: { processInstanceKey: failing.processInstanceKey as never } },
      now,
    );
    assert.equal(incidents.items![0]!.errorMessage, 'gave up');
  });

  it("@camunda8/sdk's REST job worker: long polls, handles a job and completes it", async () => {
    const rest = new Camunda8({
      ZEEBE_REST_ADDRESS: server.url!,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
    } as never).getCamundaRestClient();
    let handled!: (processInstanceKey: string) => void;
    const handledKey = new Promise<string>((resolve) => (handled = resolve));
    const worker = rest.createJobWorker({
      type: 'charge',
      worker: 'sdk-job-worker',
      timeout: 60_000,
      maxJobsToActivate: 2,
      // Short polls: the worker's stop waits for the poll it has open.
      requestTimeout: 2_000,
      jobHandler: async (job) => {
        const acknowledgement = await job.complete({ viaWorker: true });
        handled(job.processInstanceKey);
        return acknowledgement;
      },
    });
    try {
      // The worker's poll is open before the instance exists: the job reaches it through the long poll.
      await new Promise<void>((resolve) => worker.once('poll', () => resolve()));
      const { processInstanceKey } = await rest.createProcessInstance({
        processDefinitionId: 'payment',
        variables: { order: 'worker' },
      });
      assert.equal(await handledKey, processInstanceKey);
      await settled();
      const done = await camunda.getProcessInstance({ processInstanceKey: processInstanceKey as never }, now);
      assert.equal(done.state, 'COMPLETED');
    } finally {
      await worker.stop();
    }
  });

  it('answers bad bodies, wrong types and unknown keys with problem details naming the field', async () => {
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${server.url}/v2${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const expectProblem = async (response: Response, status: number, detail: RegExp) => {
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = (await response.json()) as { title: string; status: number; detail: string };
      assert.equal(problem.status, status);
      assert.match(problem.detail, detail);
    };
    await expectProblem(
      await send('POST', '/jobs/activation', { type: 'charge', timeout: '1s', maxJobsToActivate: 1 }),
      400,
      /'body\.timeout'/,
    );
    await expectProblem(await send('POST', '/jobs/activation', '{"type":'), 400, /JSON/);
    await expectProblem(
      await send('POST', '/jobs/2251799813685249/completion', { variables: {} }),
      404,
      /2251799813685249/,
    );
    await expectProblem(await send('POST', '/jobs/12ab/failure', {}), 400, /jobKey/);
    await expectProblem(
      await send('PATCH', '/user-tasks/2251799813685249', { changeset: { priority: 'high' } }),
      400,
      /'body\.changeset\.priority'/,
    );
    await expectProblem(
      await send('POST', '/user-tasks/2251799813685249/assignment', { assignee: 'ada' }),
      404,
      /2251799813685249/,
    );
    await expectProblem(
      await send('POST', '/decision-definitions/evaluation', { decisionDefinitionKey: 5 }),
      400,
      /decisionDefinitionId or decisionDefinitionKey/,
    );
    await expectProblem(
      await send('POST', '/decision-instances/search', { filter: { decisionDefinitionVersion: 'one' } }),
      400,
      /filter\.decisionDefinitionVersion/,
    );
    await expectProblem(
      await send('POST', '/user-tasks/search', { page: { limit: -1 } }),
      400,
      /page\.limit/,
    );
  });
});
