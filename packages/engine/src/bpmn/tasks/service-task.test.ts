import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, assertLifecycle, lifecycleOf } from '../../testing/index.js';

const charge = createProcess('charge')
  .startEvent('start')
  .serviceTask('charge-card', {
    type: 'payment',
    retries: 2,
    headers: { provider: 'acme' },
    inputs: [{ source: '= order.total', target: 'amount' }],
    outputs: [{ source: '= receipt', target: 'paymentReceipt' }],
  })
  .endEvent('end')
  .done();

describe('service task', () => {
  it('creates a job with its type, retries, headers and input variables, and waits for it', async () => {
    const engine = new EngineHarness();
    await engine.deploy(charge);
    const created = engine.createInstance('charge', { order: { total: 42 } });
    const job = created.job().withIntent('CREATED').only();
    assert.equal(job.value.type, 'payment');
    assert.equal(job.value.retries, 2);
    assert.deepEqual(job.value.customHeaders, { provider: 'acme' });
    assert.equal(created.processInstance().withElementId('charge-card').last()?.intent, 'ELEMENT_ACTIVATED');
    const [activated] = engine.activateJobs('payment');
    assert.equal(activated?.variables.amount, 42, 'the input mapping is visible to the worker');
  });

  it('completes when its job completes, applying the output mapping', async () => {
    const engine = new EngineHarness();
    await engine.deploy(charge);
    const instance = engine.createInstance('charge', { order: { total: 42 } }).processInstanceKey;
    const completed = engine.completeJob(engine.jobKey('payment'), { receipt: 'r-1' });
    assert.equal(completed.job().withIntent('COMPLETED').length, 1);
    const receipt = completed.variable().withName('paymentReceipt').only();
    assert.equal(receipt.value.value, 'r-1');
    assert.equal(receipt.value.scopeKey, instance, 'outputs land on the process scope');
    assertLifecycle(engine.records, instance, [...lifecycleOf('charge-card'), ...lifecycleOf('end')], {
      subsequence: true,
    });
  });

  it('raises an incident when the job type expression fails', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('bad-type').startEvent().serviceTask('t', { type: '= missing.field' }).endEvent().done(),
    );
    const created = engine.createInstance('bad-type');
    const incident = created.incident().withIntent('CREATED').only();
    assert.equal(incident.value.elementId, 't');
    assert.equal(created.job().length, 0);
  });

  it('cancels its job when the instance is cancelled', async () => {
    const engine = new EngineHarness();
    await engine.deploy(charge);
    const instance = engine.createInstance('charge', { order: { total: 1 } }).processInstanceKey;
    const cancelled = engine.cancelInstance(instance);
    assert.equal(cancelled.job().withIntent('CANCELED').length, 1);
    assert.equal(
      cancelled.processInstance().withElementId('charge-card').last()?.intent,
      'ELEMENT_TERMINATED',
    );
  });
  it('a send task is a job like a service task', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('send').startEvent().sendTask('mail', { type: 'mail' }).endEvent('end').done(),
    );
    const created = engine.createInstance('send');
    assert.equal(created.job().withIntent('CREATED').only().value.elementId, 'mail');
    const done = engine.completeJob(engine.jobKey('mail'));
    assert.ok(done.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').first());
  });
});
