import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundary, chain, end, flow, model, serviceTask, start } from '../test-support/event-models.js';
import { oneTask } from '../test-support/models.js';
import { createTestEngine, expectInstance } from './index.js';
import type { TestEngine } from './index.js';

describe('baton/testing: job helpers', () => {
  let harness: TestEngine;
  beforeEach(async () => {
    harness = await createTestEngine({ waitTimeout: 100 });
  });
  afterEach(() => harness.close());

  it('completes with variables computed from the job', async () => {
    await harness.deploy(
      oneTask(
        'quote',
        'price',
        '<zeebe:taskHeaders><zeebe:header key="currency" value="EUR"/></zeebe:taskHeaders>',
      ),
    );
    const instance = await harness.createInstance('quote', { net: 100 });
    const job = await harness.completeJob('price', (j) => ({
      gross: (j.variables.net as number) * 1.2,
      currency: j.customHeaders.currency,
    }));
    assert.equal(job.type, 'price');
    assert.equal(job.worker, 'baton-testing');
    assert.equal(job.processInstanceKey, instance.processInstanceKey);
    await expectInstance(instance).toHaveVariables({ net: 100, gross: 120, currency: 'EUR' });
    await expectInstance(instance).toHaveCompleted();
  });

  it('completes the jobs of a type in the order a worker gets them', async () => {
    await harness.deploy(oneTask('fifo', 'work'));
    const first = await harness.createInstance('fifo', { n: 1 });
    const second = await harness.createInstance('fifo', { n: 2 });
    assert.deepEqual(
      harness.jobs('work').map((j) => [j.processInstanceKey, j.state]),
      [
        [first.processInstanceKey, 'ACTIVATABLE'],
        [second.processInstanceKey, 'ACTIVATABLE'],
      ],
    );
    const job = await harness.completeJob('work');
    assert.equal(job.processInstanceKey, first.processInstanceKey);
    await expectInstance(first).toHaveCompleted();
    await expectInstance(second).toBeWaitingAt('task');
  });

  it('fails with one retry fewer by default, and raises an incident at zero', async () => {
    await harness.deploy(oneTask('retry', 'flaky'));
    const instance = await harness.createInstance('retry');
    await harness.failJob('flaky', { errorMessage: 'first' });
    await harness.failJob('flaky', { errorMessage: 'second' });
    const [job] = harness.jobs('flaky');
    assert.equal(job?.retries, 1);
    assert.equal(job?.errorMessage, 'second');
    await expectInstance(instance).not.toHaveIncident();
    await harness.failJob('flaky', { errorMessage: 'third and last' });
    await expectInstance(instance).toHaveIncident('task', 'third and last');
  });

  it('sets failure variables locally on the task for the next attempt', async () => {
    await harness.deploy(oneTask('attempts', 'flaky'));
    const instance = await harness.createInstance('attempts');
    await harness.failJob('flaky', { variables: { attempt: 1 } });
    const retried = await harness.completeJob('flaky', (j) => ({ sawAttempt: j.variables.attempt }));
    assert.equal(retried.variables.attempt, 1);
    await expectInstance(instance).toHaveVariables({ sawAttempt: 1 });
  });

  it('throws a BPMN error that an error boundary event catches', async () => {
    await harness.deploy(
      model('refund', [
        start('s'),
        serviceTask('charge', 'payment'),
        boundary('declined', 'charge', { error: 'CARD_DECLINED' }),
        end('paid'),
        end('not-paid'),
        ...chain('s', 'charge', 'paid'),
        flow('declined', 'not-paid'),
      ]),
    );
    const instance = await harness.createInstance('refund');
    await harness.throwError('payment', 'CARD_DECLINED', 'insufficient funds');
    await expectInstance(instance).toHavePassed('declined', 'not-paid');
    await expectInstance(instance).not.toHavePassed('charge', 'paid');
    await expectInstance(instance).toHaveCompleted();
  });

  it('turns an uncaught BPMN error into an incident', async () => {
    await harness.deploy(oneTask('uncaught', 'payment'));
    const instance = await harness.createInstance('uncaught');
    await harness.throwError('payment', 'NOBODY_CATCHES_THIS', 'oops');
    await expectInstance(instance).toHaveIncident('task', 'NOBODY_CATCHES_THIS');
  });

  it('lists every live job with its state', async () => {
    await harness.deploy(oneTask('a', 'type-a'), oneTask('b', 'type-b'));
    await harness.createInstance('a');
    await harness.createInstance('b');
    await harness.failJob('type-b', { retries: 3, retryBackoff: 'PT30S' });
    assert.deepEqual(
      harness.jobs().map((j) => [j.type, j.state, j.elementId]),
      [
        ['type-a', 'ACTIVATABLE', 'task'],
        ['type-b', 'BACKOFF', 'task'],
      ],
    );
    assert.equal(harness.jobs('type-b')[0]?.recurringTime, harness.now() + 30_000);
    assert.deepEqual(harness.jobs('no-such-type'), []);
  });
});
