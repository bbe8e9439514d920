import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, waitFor } from './test-support/fixture.js';
import { oneTask } from './test-support/models.js';
import { stateOf } from './internal.js';

const activatable = (engine: Awaited<ReturnType<typeof memoryEngine>>['engine'], type: string) =>
  stateOf(engine).hasActivatableJobs(type);

describe('jobs', () => {
  it('creates a job with the task definition type, retries and headers', async () => {
    const { engine } = await memoryEngine();
    const headers = '<zeebe:taskHeaders><zeebe:header key="region" value="eu"/></zeebe:taskHeaders>';
    await engine.deploy(oneTask('p', 'work', headers).replace('retries="3"', 'retries="5"'));
    await engine.createInstance('p', { a: 1 });
    const job = await activateOne(engine, 'work');
    assert.equal(job.type, 'work');
    assert.equal(job.retries, 5);
    assert.deepEqual(job.customHeaders, { region: 'eu' });
    assert.deepEqual(job.variables, { a: 1 });
    assert.equal(job.worker, 'test');
    await engine.close();
  });

  it('evaluates FEEL job types and retries; a bad expression is an incident on the task', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', '=kind + &quot;-work&quot;'));
    await engine.createInstance('p', { kind: 'fast' });
    await activateOne(engine, 'fast-work');
    await engine.createInstance('p', { kind: 42 });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'EXTRACT_VALUE_ERROR');
    assert.equal(incident?.value.elementId, 'task');
    await engine.close();
  });

  it('hands a job to one worker at a time; a timed-out job becomes activatable again', async () => {
    const { engine, clock } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    await engine.createInstance('p');
    const job = await activateOne(engine, 'work', 60_000);
    assert.deepEqual(
      await engine.activateJobs({ type: 'work', worker: 'w2', timeout: 1000, maxJobsToActivate: 5 }),
      [],
    );
    clock.advance(59_000);
    await engine.flush();
    assert.equal(activatable(engine, 'work'), false);
    clock.advance(2_000);
    await waitFor(() => activatable(engine, 'work'), 'the timed-out job');
    const again = await activateOne(engine, 'work');
    assert.equal(again.key, job.key);
    await engine.close();
  });

  it('a yielded job is activatable again at once, its retries untouched; only an activated job yields', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    await engine.createInstance('p');
    const job = await activateOne(engine, 'work', 60_000);
    await engine.yieldJob(job.key);
    assert.equal(activatable(engine, 'work'), true);
    const again = await activateOne(engine, 'work', 60_000);
    assert.equal(again.key, job.key);
    assert.equal(again.retries, job.retries);
    await engine.completeJob(again.key);
    await assert.rejects(engine.yieldJob(again.key), (e: BatonError) => e.code === 'NOT_FOUND');
    await engine.createInstance('p');
    const [waiting] = [...stateOf(engine).activatableJobs('work')];
    await assert.rejects(engine.yieldJob(waiting!), (e: BatonError) => e.code === 'INVALID_STATE');
    await engine.close();
  });

  it('streamJobs hands jobs over as they come until aborted, across a partition released and hosted again', async () => {
    const { engine } = await memoryEngine({ partitions: 2 });
    await engine.deploy(oneTask('p', 'work'));
    const got: string[] = [];
    const abort = new AbortController();
    const streaming = engine.streamJobs(
      { type: 'work', worker: 'streamer', timeout: 60_000, maxJobsToActivate: 8 },
      async (jobs) => {
        got.push(...jobs.map((j) => j.processInstanceKey));
      },
      abort.signal,
    );
    const created = [await engine.createInstance('p'), await engine.createInstance('p')];
    await waitFor(() => got.length === 2, 'the jobs of both partitions', 5_000);
    await engine.releasePartition(2);
    created.push(await engine.createInstance('p'));
    await waitFor(() => got.length === 3, 'a job of the partition left', 5_000);
    // Partition 2 hosted again: its new jobs reach the stream too.
    await engine.hostPartition(2);
    created.push(await engine.createInstance('p'), await engine.createInstance('p'));
    await waitFor(() => got.length === 5, 'the jobs of both partitions again', 5_000);
    abort.abort();
    await streaming;
    assert.deepEqual([...got].sort(), created.map((c) => c.processInstanceKey).sort());
    await engine.close();
  });

  it('retries a failed job after its back-off, then raises an incident when retries run out', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    const instance = await engine.createInstance('p');
    let job = await activateOne(engine, 'work');
    await engine.failJob(job.key, {
      retries: 2,
      errorMessage: 'card service down',
      retryBackoff: 10 * 60_000,
    });
    assert.equal(activatable(engine, 'work'), false);
    clock.advance(10 * 60_000);
    await waitFor(() => activatable(engine, 'work'), 'the job after its back-off');
    job = await activateOne(engine, 'work');
    assert.equal(job.retries, 2);
    await engine.failJob(job.key, {
      retries: 0,
      errorMessage: 'card declined',
      variables: { reason: 'declined' },
    });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.ok(incident);
    assert.equal(incident.value.errorType, 'JOB_NO_RETRIES');
    assert.equal(incident.value.errorMessage, 'card declined');
    assert.equal(incident.value.jobKey, job.key);
    // Resolving without new retries is refused, and changes nothing.
    await assert.rejects(engine.resolveIncident(incident.key), (e: BatonError) => e.code === 'INVALID_STATE');
    await engine.updateJobRetries(job.key, 1);
    await engine.resolveIncident(incident.key);
    job = await activateOne(engine, 'work');
    assert.equal(
      job.variables.reason,
      'declined',
      'failure variables are set on the task for the next attempt',
    );
    const result = stateOf(engine).localVariables(instance.processInstanceKey);
    assert.equal(result !== undefined && Object.hasOwn(result, 'reason'), false, '…and stay local to it');
    await engine.completeJob(job.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    await engine.close();
  });

  it('moves a deadline with updateJobTimeout', async () => {
    const { engine, clock } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    await engine.createInstance('p');
    const job = await activateOne(engine, 'work', 1_000);
    await engine.updateJobTimeout(job.key, 120_000);
    clock.advance(60_000);
    await engine.flush();
    assert.equal(activatable(engine, 'work'), false);
    await engine.completeJob(job.key);
    await engine.close();
  });

  it('turns an uncaught BPMN error into an incident naming the code', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    await engine.createInstance('p');
    const job = await activateOne(engine, 'work');
    await engine.throwError(job.key, { errorCode: 'CARD_DECLINED', errorMessage: 'no funds' });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'UNHANDLED_ERROR_EVENT');
    assert.match(incident!.value.errorMessage, /'CARD_DECLINED'.*not caught/);
    await engine.close();
  });

  it('long-polls: a waiting activation gets a job created after it started', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'late'));
    const waiting = engine.activateJobs({
      type: 'late',
      worker: 'w',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeout: 5_000,
    });
    // With no job there, the request registers its wait within this turn's microtasks (no command is sent).
    await new Promise((resolve) => setImmediate(resolve));
    await engine.createInstance('p');
    const jobs = await waiting;
    assert.equal(jobs.length, 1);
    await engine.close();
  });

  it('workers complete, fail and throw from their handlers', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(oneTask('p', 'flaky'));
    let calls = 0;
    engine.createWorker({
      type: 'flaky',
      handler: () => {
        calls += 1;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
        return { attempts: calls };
      },
    });
    const result = await engine.createInstanceWithResult('p');
    assert.equal(result.variables.attempts, 3);
    assert.equal(records.filter((r) => r.valueType === 'JOB' && r.intent === 'FAILED').length, 2);
    await engine.close();
  });
});

describe('variables', () => {
  const mappings = `<zeebe:ioMapping>
      <zeebe:input source="=order.total" target="amount"/>
      <zeebe:input source="=&quot;EUR&quot;" target="currency"/>
      <zeebe:input source="static text" target="note"/>
      <zeebe:output source="=receipt.id" target="payment.receiptId"/>
      <zeebe:output source="=amount" target="payment.amount"/>
    </zeebe:ioMapping>`;

  it('maps inputs into the task scope and outputs (nested targets) out of it', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'pay', mappings));
    engine.createWorker({
      type: 'pay',
      handler: (job) => {
        assert.equal(job.variables.amount, 30);
        assert.equal(job.variables.currency, 'EUR');
        assert.equal(job.variables.note, 'static text');
        return { receipt: { id: 'R-1' }, secret: 'stays local' };
      },
    });
    const result = await engine.createInstanceWithResult('p', {
      order: { total: 30 },
      payment: { method: 'card' },
    });
    assert.deepEqual(result.variables, {
      order: { total: 30 },
      payment: { method: 'card', receiptId: 'R-1', amount: 30 },
    });
    await engine.close();
  });

  it('propagates job variables to the process without output mappings', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'w'));
    engine.createWorker({ type: 'w', handler: () => ({ out: 1 }) });
    const result = await engine.createInstanceWithResult('p', { in: 0 });
    assert.deepEqual(result.variables, { in: 0, out: 1 });
    await engine.close();
  });

  it('raises an IO mapping incident when a mapping fails and retries it on resolve', async () => {
    const { engine, records } = await memoryEngine();
    const failing =
      '<zeebe:ioMapping><zeebe:input source="=if ready then count(items) else lookUp(items)" target="n"/></zeebe:ioMapping>';
    await engine.deploy(oneTask('p', 'w', failing));
    const instance = await engine.createInstance('p', { items: [1, 2], ready: false });
    const state = stateOf(engine);
    let [incident] = [...state.openIncidents()];
    assert.ok(incident, 'an incident for the failing input mapping');
    assert.equal(incident.value.errorType, 'IO_MAPPING_ERROR');
    assert.match(incident.value.errorMessage, /input mapping 'n'.*lookUp/);
    await engine.setVariables(instance.processInstanceKey, { ready: true });
    await engine.resolveIncident(incident.key);
    const job = await activateOne(engine, 'w');
    assert.equal(job.variables.n, 2);
    [incident] = [...state.openIncidents()];
    assert.equal(incident, undefined);
    await engine.completeJob(job.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    await engine.close();
  });

  it('sets variables locally or with propagation', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'w'));
    const instance = await engine.createInstance('p', { shared: 1 });
    const job = await activateOne(engine, 'w');
    await engine.setVariables(job.elementInstanceKey, { shared: 2, fresh: true });
    await engine.setVariables(job.elementInstanceKey, { local: 'x' }, { local: true });
    const state = stateOf(engine);
    assert.deepEqual(
      { ...state.localVariables(instance.processInstanceKey) },
      {
        shared: 2,
        fresh: true,
      },
    );
    assert.deepEqual({ ...state.localVariables(job.elementInstanceKey) }, { local: 'x' });
    await assert.rejects(
      engine.setVariables(job.elementInstanceKey, 'x' as never),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT',
    );
    await engine.close();
  });
});
