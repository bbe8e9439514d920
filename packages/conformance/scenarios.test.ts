// Scenarios per element kind, run over the Zeebe gRPC gateway with the official @camunda8/sdk, each checked against
// what Zeebe's documentation says the outcome is (variables at the end, the path taken).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioHarness } from './scenario-harness.js';
import * as models from './scenario-models.js';

describe('Zeebe semantics over the gateway, with @camunda8/sdk', { timeout: 120_000 }, () => {
  const harness = scenarioHarness();
  const { deploy, work, run, nextRecord } = harness;

  it('FEEL: script results of every type reach the variables as Zeebe serializes them', async () => {
    await deploy(models.FEEL, 'feel.bpmn');
    const expected = Object.fromEntries(
      Object.entries(models.FEEL_VALUES).map(([name, [, json]]) => [name, json]),
    );
    assert.deepEqual(await run('conformance-feel'), expected);
  });

  it('FEEL: a variable named like a built-in function does not hide the function', async () => {
    await deploy(models.FEEL_SHADOWING, 'feel-shadowing.bpmn');
    const variables = { date: '2024-05-01', time: '12:00:00' };
    assert.deepEqual(await run('conformance-feel-shadowing', variables), {
      ...variables,
      day: '2024-01-01',
      moment: '2024-01-01T10:00:00Z',
    });
  });

  it('service task: input mappings reach the worker with the headers; only the output mapping leaves', async () => {
    await deploy(models.SERVICE_TASK, 'service-task.bpmn');
    const seen: unknown[] = [];
    work('conformance-add', (job) => {
      const { x, y } = job.variables as { x: number; y: number };
      seen.push({ ...job.variables }, { ...job.customHeaders });
      return job.complete({ sum: x + y, scratch: 'stays on the task' });
    });
    assert.deepEqual(await run('conformance-service-task', { a: 2, b: 3 }), { a: 2, b: 3, total: 5 });
    assert.deepEqual(seen, [{ a: 2, b: 3, x: 2, y: 3 }, { operation: 'add' }]);
  });

  it('exclusive gateway: the flow whose condition holds, else the default flow', async () => {
    await deploy(models.EXCLUSIVE_GATEWAY, 'exclusive.bpmn');
    assert.deepEqual(await run('conformance-exclusive', { amount: 150 }), { amount: 150, path: 'big' });
    assert.deepEqual(await run('conformance-exclusive', { amount: 50 }), { amount: 50, path: 'small' });
  });

  it('parallel gateway: forks into both flows and joins them', async () => {
    await deploy(models.PARALLEL_GATEWAY, 'parallel.bpmn');
    assert.deepEqual(await run('conformance-parallel'), { a: 1, b: 2, sum: 3 });
  });

  it('inclusive gateway: takes every flow whose condition holds and joins only those', async () => {
    await deploy(models.INCLUSIVE_GATEWAY, 'inclusive.bpmn');
    assert.deepEqual(await run('conformance-inclusive', { x: 3 }), { x: 3, a: 'a', b: 'b', joined: 2 });
  });

  it('timers: a duration catch event fires; an interrupting timer boundary leaves an unserved task', async () => {
    await deploy(models.TIMERS, 'timers.bpmn');
    assert.deepEqual(await run('conformance-timer'), { path: 'timeout' });
  });

  it('message published before the instance waits: buffered for its TTL, then correlated with its variables', async () => {
    await deploy(models.MESSAGE_CATCH, 'message.bpmn');
    await harness.zeebe.publishMessage({
      name: 'conformance-paid',
      correlationKey: 'order-1',
      timeToLive: 10_000,
      variables: { amount: 42 },
    });
    assert.deepEqual(await run('conformance-message', { orderId: 'order-1' }), {
      orderId: 'order-1',
      amount: 42,
    });
  });

  it('message published after the instance waits (no TTL): correlated to the open subscription', async () => {
    await deploy(models.MESSAGE_CATCH, 'message.bpmn');
    const subscribed = nextRecord(
      (r) =>
        r.valueType === 'MESSAGE_SUBSCRIPTION' &&
        r.intent === 'CREATED' &&
        r.value.correlationKey === 'order-2',
    );
    const result = run('conformance-message', { orderId: 'order-2' });
    await subscribed;
    await harness.zeebe.publishMessage({
      name: 'conformance-paid',
      correlationKey: 'order-2',
      timeToLive: 0,
      variables: { amount: 7 },
    });
    assert.deepEqual(await result, { orderId: 'order-2', amount: 7 });
  });

  it('message id: a second message with the id of one still buffered is refused with ALREADY_EXISTS', async () => {
    const message = { name: 'conformance-dedup', correlationKey: 'k', messageId: 'once', timeToLive: 60_000 };
    await harness.zeebe.publishMessage(message);
    await assert.rejects(harness.zeebe.publishMessage(message), /ALREADY_EXISTS/);
  });

  it("error boundary: a worker's throwError is caught by the boundary for its code, or by a catch-all", async () => {
    await deploy(models.ERROR_BOUNDARY, 'error.bpmn');
    work('conformance-charge', (job) =>
      (job.variables as { card: string }).card === 'bad'
        ? job.error({ errorCode: 'DECLINED', errorMessage: 'card declined', variables: {} })
        : job.complete(),
    );
    work('conformance-ship', (job) =>
      job.error({ errorCode: 'NO_STOCK', errorMessage: 'out', variables: {} }),
    );
    assert.deepEqual(await run('conformance-error', { card: 'bad' }), { card: 'bad', path: 'declined' });
    assert.deepEqual(await run('conformance-error', { card: 'ok' }), { card: 'ok', path: 'any error' });
  });

  it("embedded sub-process: its input mapping stays local; its inner task's result reaches the process", async () => {
    await deploy(models.SUB_PROCESS, 'sub-process.bpmn');
    assert.deepEqual(await run('conformance-sub-process', { base: 1 }), { base: 1, inner: 20 });
  });

  for (const sequential of [true, false]) {
    const kind = sequential ? 'sequential' : 'parallel';
    it(`multi-instance (${kind}): the output collection in input order; inner variables stay inside`, async () => {
      await deploy(models.multiInstanceJobs(sequential), `mi-${kind}.bpmn`);
      // One worker serves both tests (they run in order).
      if (sequential)
        work('conformance-times-ten', (job) =>
          job.complete({ r: (job.variables as { item: number }).item * 10 }),
        );
      assert.deepEqual(await run(`conformance-mi-${kind}`, { items: [1, 2, 3] }), {
        items: [1, 2, 3],
        results: [10, 20, 30],
      });
    });
  }

  it('multi-instance script task (parallel): each inner result is collected', async () => {
    await deploy(models.MULTI_INSTANCE_SCRIPT, 'mi-script.bpmn');
    assert.deepEqual(await run('conformance-mi-script', { items: [1, 2, 3] }), {
      items: [1, 2, 3],
      results: [10, 20, 30],
    });
  });

  it("call activity: the child sees the parent's variables; its variables come back", async () => {
    await deploy(models.CALL_ACTIVITY, 'call-activity.bpmn');
    assert.deepEqual(await run('conformance-parent', { a: 2 }), { a: 2, y: 4 });
  });

  for (const withTaskDefinition of [false, true]) {
    const id = withTaskDefinition ? 'conformance-user-task-defined' : 'conformance-user-task';
    const title = withTaskDefinition ? ' (a zeebe:taskDefinition on it is ignored)' : '';
    it(`job-based user task: a job of type io.camunda.zeebe:userTask with the assignment headers${title}`, async () => {
      await deploy(models.jobBasedUserTask(id, withTaskDefinition), `${id}.bpmn`);
      const created = nextRecord((r) => r.valueType === 'JOB' && r.intent === 'CREATED');
      const result = run(id);
      const job = (await created).value as { type: string; customHeaders: Record<string, string> };
      assert.equal(job.type, 'io.camunda.zeebe:userTask');
      assert.equal(job.customHeaders['io.camunda.zeebe:assignee'], 'demo');
      assert.deepEqual(JSON.parse(job.customHeaders['io.camunda.zeebe:candidateGroups']!), [
        'finance',
        'audit',
      ]);
      if (!withTaskDefinition) work('io.camunda.zeebe:userTask', (j) => j.complete({ approved: true }));
      assert.deepEqual(await result, { approved: true });
    });
  }

  it('business rule task: the called decision (DMN) result lands in the result variable', async () => {
    await harness.zeebe.deployResource({ name: 'discount.dmn', decision: Buffer.from(models.DISCOUNT_DMN) });
    await deploy(models.BUSINESS_RULE_TASK, 'business-rule.bpmn');
    assert.deepEqual(await run('conformance-business-rule', { customer: 'gold' }), {
      customer: 'gold',
      discount: 0.2,
    });
    assert.deepEqual(await run('conformance-business-rule', { customer: 'new' }), {
      customer: 'new',
      discount: 0,
    });
    const evaluated = await harness.zeebe.evaluateDecision({
      decisionId: 'conformance-discount',
      variables: { customer: 'silver' },
    });
    assert.equal(JSON.parse(evaluated.decisionOutput), 0.1);
  });

  it('signal: a broadcast triggers the waiting catch event and starts the signal-started process', async () => {
    await deploy(models.SIGNALS, 'signals.bpmn');
    const subscribed = nextRecord(
      (r) =>
        r.valueType === 'SIGNAL_SUBSCRIPTION' &&
        r.intent === 'CREATED' &&
        r.value.bpmnProcessId === 'conformance-signal-catch',
    );
    const result = run('conformance-signal-catch', { n: 1 });
    await subscribed;
    await harness.zeebe.broadcastSignal({ signalName: 'conformance-go', variables: { from: 'signal' } });
    assert.deepEqual(await result, { n: 1, from: 'signal' });

    const started = new Promise<unknown>((resolve) =>
      work('conformance-signal-started', (job) => {
        resolve({ ...job.variables });
        return job.complete();
      }),
    );
    await harness.zeebe.broadcastSignal({
      signalName: 'conformance-kick-off',
      variables: { reason: 'kick-off' },
    });
    assert.deepEqual(await started, { reason: 'kick-off' });
  });

  it('escalation: a non-interrupting boundary catches it and the sub-process goes on', async () => {
    await deploy(models.ESCALATION, 'escalation.bpmn');
    assert.deepEqual(await run('conformance-escalation'), { continued: true, escalated: true });
  });

  it('compensation: a compensation end event runs the handler of the completed task', async () => {
    await deploy(models.COMPENSATION, 'compensation.bpmn');
    work('conformance-book', (job) => job.complete({ booked: true }));
    work('conformance-refund', (job) =>
      job.complete({ refunded: (job.variables as { booked: boolean }).booked }),
    );
    assert.deepEqual(await run('conformance-compensation'), { booked: true, refunded: true });
  });
});
