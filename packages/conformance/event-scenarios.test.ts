// Event scenarios over the Zeebe gRPC gateway with the official @camunda8/sdk, checked against Zeebe's
// documented outcomes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as models from './event-models.js';
import { scenarioHarness } from './scenario-harness.js';

const isVariable = (name: string) => (r: { valueType: string; intent: string; value: unknown }) =>
  r.valueType === 'VARIABLE' && r.intent === 'CREATED' && (r.value as { name: string }).name === name;

describe('Zeebe event semantics over the gateway, with @camunda8/sdk', { timeout: 120_000 }, () => {
  const harness = scenarioHarness();
  const { deploy, work, run, nextRecord } = harness;
  const subscribed = (messageName: string, correlationKey: string) =>
    nextRecord(
      (r) =>
        r.valueType === 'MESSAGE_SUBSCRIPTION' &&
        r.intent === 'CREATED' &&
        r.value.messageName === messageName &&
        r.value.correlationKey === correlationKey,
    );
  const publish = (name: string, correlationKey: string, variables: Record<string, string> = {}) =>
    harness.zeebe.publishMessage({ name, correlationKey, variables, timeToLive: 0 });

  it('event-based gateway: the message that comes first wins; else the timer', async () => {
    await deploy(models.EVENT_BASED_GATEWAY, 'event-based.bpmn');
    const waiting = subscribed('conformance-approve', 'e-1');
    const result = run('conformance-event-based', { id: 'e-1' });
    await waiting;
    await publish('conformance-approve', 'e-1', { by: 'mail' });
    assert.deepEqual(await result, { id: 'e-1', by: 'mail', path: 'message' });
    assert.deepEqual(await run('conformance-event-based', { id: 'e-2' }), { id: 'e-2', path: 'timer' });
  });

  it('a buffered message correlates once per process: a second active instance waits for its own', async () => {
    await deploy(models.MESSAGE_THEN_JOB, 'message-then-job.bpmn');
    await harness.zeebe.publishMessage({
      name: 'conformance-paid-once',
      correlationKey: 'once',
      variables: { n: 1 },
      timeToLive: 10_000,
    });
    const firstAtJob = nextRecord((r) => r.valueType === 'JOB' && r.intent === 'CREATED');
    const first = run('conformance-message-then-job', { orderId: 'once' });
    await firstAtJob;
    const secondWaiting = subscribed('conformance-paid-once', 'once');
    const second = run('conformance-message-then-job', { orderId: 'once' });
    await secondWaiting;
    await harness.zeebe.publishMessage({
      name: 'conformance-paid-once',
      correlationKey: 'once',
      variables: { n: 2 },
      timeToLive: 0,
    });
    work('conformance-hold', (job) => job.complete());
    assert.deepEqual(await first, { orderId: 'once', n: 1 });
    assert.deepEqual(await second, { orderId: 'once', n: 2 });
  });

  it('message boundaries: non-interrupting runs beside the task; interrupting cancels it', async () => {
    await deploy(models.MESSAGE_BOUNDARIES, 'message-boundaries.bpmn');
    const waiting = [subscribed('conformance-remind', 'm-1'), subscribed('conformance-cancel', 'm-1')];
    const reminded = nextRecord(isVariable('reminded'));
    const result = run('conformance-message-boundaries', { id: 'm-1' });
    await Promise.all(waiting);
    await publish('conformance-remind', 'm-1');
    await reminded;
    // The task is still there after the reminder: the interrupting boundary can still cancel it.
    await publish('conformance-cancel', 'm-1');
    assert.deepEqual(await result, { id: 'm-1', reminded: true, path: 'canceled' });
  });

  it('event sub-processes: a non-interrupting message one runs beside; an error one interrupts', async () => {
    await deploy(models.EVENT_SUB_PROCESSES, 'event-sub-processes.bpmn');
    const waiting = subscribed('conformance-note', 'x-1');
    const noted = nextRecord(isVariable('noted'));
    const result = run('conformance-event-sub-processes', { id: 'x-1' });
    await waiting;
    await publish('conformance-note', 'x-1');
    await noted;
    work('conformance-esp-work', (job) =>
      job.error({ errorCode: 'FAIL', errorMessage: 'broken', variables: {} }),
    );
    assert.deepEqual(await result, { id: 'x-1', noted: true, path: 'handled' });
  });

  it('terminate end event: ends the instance with its other branch still waiting', async () => {
    await deploy(models.TERMINATE, 'terminate.bpmn');
    assert.deepEqual(await run('conformance-terminate'), { terminated: true });
  });

  it('link events: the throw continues at the catch of the same name', async () => {
    await deploy(models.LINK, 'link.bpmn');
    assert.deepEqual(await run('conformance-link'), { linked: true });
  });

  it('incident: a job failed without retries waits; new retries and resolving the incident go on', async () => {
    await deploy(models.FLAKY, 'flaky.bpmn');
    const incident = nextRecord((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');
    let attempts = 0;
    let jobKey = '';
    work('conformance-flaky', (job) => {
      attempts += 1;
      jobKey = job.key;
      return attempts === 1 ? job.fail({ errorMessage: 'down', retries: 0 }) : job.complete({ attempts });
    });
    const result = run('conformance-flaky');
    const created = await incident;
    assert.equal((created.value as { errorType: string }).errorType, 'JOB_NO_RETRIES');
    await harness.zeebe.updateJobRetries({ jobKey, retries: 1 });
    await harness.zeebe.resolveIncident({ incidentKey: created.key });
    assert.deepEqual(await result, { attempts: 2 });
  });

  it('multi-instance completion condition: stops after two; the collection keeps null for the third', async () => {
    await deploy(models.MULTI_INSTANCE_COMPLETION, 'mi-completion.bpmn');
    work('conformance-times-ten-2', (job) =>
      job.complete({ r: (job.variables as { item: number }).item * 10 }),
    );
    const result = await run('conformance-mi-completion', { items: [1, 2, 3] });
    assert.deepEqual(result.results, [10, 20, null]);
  });

  it('call activity without propagating all child variables: only the output mapping comes back', async () => {
    await deploy(models.CALL_ACTIVITY_MAPPED, 'call-activity-mapped.bpmn');
    assert.deepEqual(await run('conformance-parent-mapped', { a: 2 }), { a: 2, fromChild: 9 });
  });
});
