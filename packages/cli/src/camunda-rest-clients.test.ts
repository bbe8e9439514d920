import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivatedJobResult, CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createProcess } from '@baton-engine/baton';
import { paymentXml, pricedXml, pricingDmn, reviewForm, reviewXml } from '@baton-engine/gateway/test-models';
import { orchestrationClient } from './test-clients.js';
import type { OAuthCredentials } from './test-clients.js';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

/**
 * Issue 18's acceptance against `baton start` (a separate process, as users run it): every step driven by
 * `@camunda8/orchestration-cluster-api` (8.8), which authenticates by OAuth client credentials at Baton's
 * `/oauth/token` and checks every response against the 8.8 spec (`res:fanatical`: a wrong type, a missing
 * required field or a property the spec does not have fails the call). The read side is eventually
 * consistent, so reads wait for what a step caused through the client's own bounded polling (`until`).
 */
const client = { clientId: 'orders-app', clientSecret: 's3cret' };

/** A read answered from what the read side holds now. */
const now = { consistency: { waitUpToMs: 0 } };

/** The client's bounded wait: polls the read until `predicate` holds, at most 10 s. */
const until = <T>(predicate: (response: T) => boolean) => ({
  consistency: { waitUpToMs: 10_000, pollIntervalMs: 20, predicate },
});
/** A search whose first page has `count` items. */
const items =
  (count: number) =>
  (response: { items?: readonly unknown[] }): boolean =>
    response.items?.length === count;
const file = (text: string, name: string) => new File([text], name, { type: 'application/octet-stream' });
const bpmn = async (built: { toXml(): Promise<string> }, name: string) => file(await built.toXml(), name);
const status = (expected: number) => (error: { status?: number }) => error.status === expected;

describe(
  'issue 18 acceptance: @camunda8/orchestration-cluster-api against baton start',
  { timeout: 180_000 },
  () => {
    let server: TestServer;
    let oauth: OAuthCredentials;
    let camunda: CamundaClient;

    before(async () => {
      // As a user runs it: a SQLite file (the default store and read model), OAuth clients, a pinnable clock.
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
      camunda.getProcessInstance(
        { processInstanceKey: processInstanceKey as never },
        until((instance: { state: string }) => instance.state === state),
      );

    it('gets its token by OAuth client credentials; a wrong secret gets none', async () => {
      const topology = await camunda.getTopology();
      assert.equal(topology.partitionsCount, 1);
      assert.equal(topology.brokers[0]!.partitions[0]!.role, 'leader');
      const intruder = orchestrationClient(server.url, { ...oauth, clientSecret: 'wrong' }, undefined, {
        CAMUNDA_OAUTH_RETRY_MAX: 1,
      });
      await assert.rejects(intruder.getTopology(), status(401));
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
      await assert.rejects(camunda.completeJob({ jobKey: byOrder.get(3)!.jobKey }), status(404));
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
      await assert.rejects(camunda.correlateMessage({ name: 'paid', correlationKey: 'nobody' }), status(404));
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
      for (const key of [
        'decisionDefinitionKey',
        'decisionRequirementsKey',
        'decisionEvaluationKey',
      ] as const)
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
      const form = (await camunda.getUserTaskForm({ userTaskKey: task.userTaskKey }, now)) || undefined;
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

    it('sets variables to resolve an incident, modifies and migrates an instance, cancels it', async () => {
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
      const routed = await camunda.createProcessInstance({ processDefinitionId: 'routing' as never });
      const incidents = await camunda.searchIncidents(
        { filter: { processInstanceKey: routed.processInstanceKey, state: 'ACTIVE' } },
        until(items(1)),
      );
      const incident = incidents.items![0]!;
      assert.equal(incident.elementId, 'route');
      // The process instance is the scope of its variables (its key is an element instance key too).
      await camunda.createElementInstanceVariables({
        elementInstanceKey: routed.processInstanceKey as never,
        variables: { amount: 500 },
      });
      await camunda.resolveIncident({ incidentKey: incident.incidentKey! });
      const atBig = await camunda.searchElementInstances(
        {
          filter: {
            processInstanceKey: routed.processInstanceKey,
            elementId: 'big' as never,
            state: 'ACTIVE',
          },
        },
        until(items(1)),
      );

      await camunda.modifyProcessInstance({
        processInstanceKey: routed.processInstanceKey,
        activateInstructions: [{ elementId: 'small' as never }],
        terminateInstructions: [{ elementInstanceKey: atBig.items![0]!.elementInstanceKey }],
      });
      await camunda.searchElementInstances(
        {
          filter: {
            processInstanceKey: routed.processInstanceKey,
            elementId: 'small' as never,
            state: 'ACTIVE',
          },
        },
        until(items(1)),
      );
      const big = await camunda.getElementInstance(
        { elementInstanceKey: atBig.items![0]!.elementInstanceKey },
        now,
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
        processInstanceKey: routed.processInstanceKey,
        targetProcessDefinitionKey: target.processDefinitionKey,
        mappingInstructions: [{ sourceElementId: 'small' as never, targetElementId: 'small' as never }],
      });
      const migrated = await camunda.getProcessInstance(
        { processInstanceKey: routed.processInstanceKey },
        until((instance: { processDefinitionVersion: number }) => instance.processDefinitionVersion === 2),
      );
      assert.equal(migrated.processDefinitionKey, target.processDefinitionKey);
      assert.equal(migrated.processDefinitionName, 'Routing v2');

      await camunda.cancelProcessInstance({ processInstanceKey: routed.processInstanceKey });
      const cancelled = await stateOf(routed.processInstanceKey, 'TERMINATED');
      assert.ok(cancelled.endDate);
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
          filter: {
            processInstanceKey: sleepy.processInstanceKey,
            elementId: 'nap' as never,
            state: 'ACTIVE',
          },
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

    it('deletes a resource; one with a running instance is refused', async () => {
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
        camunda.getProcessDefinition({ processDefinitionKey: spareKey }, now),
        status(404),
      );

      const busy = await camunda.createProcessInstance({ processDefinitionId: 'review' as never });
      await camunda.searchUserTasks(
        { filter: { processInstanceKey: busy.processInstanceKey } },
        until(items(1)),
      );
      await assert.rejects(camunda.deleteResource({ resourceKey: busy.processDefinitionKey }), status(409));
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
      await expectProblem(
        await send('POST', '/jobs/2251799813685249/completion', {}),
        404,
        /2251799813685249/,
      );
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
        camunda.getProcessInstance({ processInstanceKey: '2251799813699999' as never }, now),
        status(404),
      );
    });
  },
);
