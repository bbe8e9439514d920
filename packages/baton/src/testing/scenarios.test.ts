import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exclusiveChoice, oneTask, parallelForkJoin, threeTasks } from '../test-support/models.js';
import { createTestEngine, expectInstance } from './index.js';
import type { TestEngine } from './index.js';

describe('baton/testing: scenarios', () => {
  let harness: TestEngine;
  beforeEach(async () => {
    harness = await createTestEngine();
  });
  afterEach(() => harness.close());

  it('completes a flow with the job helpers', async () => {
    await harness.deploy(threeTasks());
    const instance = await harness.createInstance('three-tasks', { orderId: 'o-1' });
    await expectInstance(instance).toBeWaitingAt('a');
    await harness.completeJob('task-a', { paid: true });
    await expectInstance(instance).toBeWaitingAt('b');
    await harness.completeJob('task-b', (job) => ({ shippedFor: job.variables.orderId }));
    await harness.completeJob('task-c');
    await expectInstance(instance).toHaveCompleted();
    await expectInstance(instance).toHavePassedInOrder('start', 'a', 'b', 'c', 'end');
    await expectInstance(instance).toHaveVariables({ orderId: 'o-1', paid: true, shippedFor: 'o-1' });
  });

  it('takes the exclusive gateway branch the condition selects', async () => {
    await harness.deploy(exclusiveChoice());
    const small = await harness.createInstance('choice', { amount: 20 });
    await expectInstance(small).toHaveCompleted();
    await expectInstance(small).toHavePassed('gw', 'auto', 'endAuto');
    await expectInstance(small).not.toHavePassed('review');
    await expectInstance(small).toHaveVariables({ doubled: 40 });

    const big = await harness.createInstance('choice', { amount: 500 });
    await expectInstance(big).toBeWaitingAt('review');
    await expectInstance(big).not.toHavePassed('auto');
    await harness.completeJob('review', { approved: true });
    await expectInstance(big).toHavePassed('review', 'endReview');
    await expectInstance(big).toHaveCompleted();
  });

  it('joins parallel branches only when both arrived', async () => {
    await harness.deploy(parallelForkJoin());
    const instance = await harness.createInstance('fork-join');
    await expectInstance(instance).toBeWaitingAt('left', 'right');
    await harness.completeJob('right');
    await expectInstance(instance).toBeWaitingAt('left');
    await expectInstance(instance).not.toHavePassed('join');
    await expectInstance(instance).toBeActive();
    await harness.completeJob('left');
    await expectInstance(instance).toHavePassed('left', 'right', 'join', 'end');
    await expectInstance(instance).toHaveCompleted();
  });

  it('raises an incident when a job fails without retries, and goes on once it is resolved', async () => {
    await harness.deploy(oneTask('pay', 'payment'));
    const instance = await harness.createInstance('pay');
    const job = await harness.failJob('payment', { retries: 0, errorMessage: 'card declined' });
    await expectInstance(instance).toHaveIncident('task', 'card declined');
    await expectInstance(instance).toBeWaitingAt('task');

    const [incident] = harness.incidents(instance);
    assert.equal(incident?.jobKey, job.key);
    await harness.engine.updateJobRetries(job.key, 1);
    await harness.engine.resolveIncident(incident!.key);
    await expectInstance(instance).not.toHaveIncident();
    await harness.completeJob('payment', { receipt: 'r-1' });
    await expectInstance(instance).toHaveCompleted();
    await expectInstance(instance).toHaveVariables({ receipt: 'r-1' });
  });

  it('makes a job activatable again when its worker times out', async () => {
    await harness.deploy(oneTask('slow', 'slow-work'));
    await harness.createInstance('slow');
    const [job] = await harness.engine.activateJobs({
      type: 'slow-work',
      worker: 'lost-worker',
      timeout: 60_000,
      maxJobsToActivate: 1,
    });
    assert.ok(job);
    assert.equal(harness.jobs('slow-work')[0]?.state, 'ACTIVATED');
    await harness.advanceTime('PT2M');
    const [again] = harness.jobs('slow-work');
    assert.equal(again?.state, 'ACTIVATABLE');
    assert.equal(again?.key, job.key);
    assert.ok(
      harness.records.some((r) => r.valueType === 'JOB' && r.intent === 'TIMED_OUT' && r.key === job.key),
    );
  });

  it('keeps a failed job back for its retry back-off', async () => {
    await harness.deploy(oneTask('flaky', 'flaky-work'));
    const instance = await harness.createInstance('flaky');
    await harness.failJob('flaky-work', { retries: 2, errorMessage: 'try later', retryBackoff: 'PT10M' });
    assert.equal(harness.jobs('flaky-work')[0]?.state, 'BACKOFF');
    await harness.advanceTime('PT9M59S');
    assert.equal(harness.jobs('flaky-work')[0]?.state, 'BACKOFF');
    await harness.advanceTime(1_000);
    assert.equal(harness.jobs('flaky-work')[0]?.state, 'ACTIVATABLE');
    const retried = await harness.completeJob('flaky-work');
    assert.equal(retried.retries, 2);
    await expectInstance(instance).toHaveCompleted();
  });

  it('sees an instance terminated by cancellation', async () => {
    await harness.deploy(oneTask('cancel-me', 'never'));
    const instance = await harness.createInstance('cancel-me');
    await harness.engine.cancelInstance(instance.processInstanceKey);
    await expectInstance(instance).toHaveBeenTerminated();
    await expectInstance(instance).not.toBeActive();
    assert.deepEqual(harness.jobs('never'), []);
  });
});
