import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const oneJob = createProcess('one-job')
  .startEvent()
  .serviceTask('task', { type: 'work' })
  .endEvent('end')
  .done();

async function started() {
  const engine = new EngineHarness();
  await engine.deploy(oneJob);
  const instance = engine.createInstance('one-job').processInstanceKey;
  return { engine, instance, jobKey: engine.jobKey('work') };
}

describe('COMPLETE job', () => {
  it('completes an activated job with its variables and completes the task', async () => {
    const { engine, instance, jobKey } = await started();
    engine.activateJobs('work');
    const completed = engine.completeJob(jobKey, { answer: 42 });
    assert.equal(completed.response?.intent, 'COMPLETED');
    assert.equal(completed.response?.key, jobKey);
    assert.equal(completed.variable().withName('answer').only().value.scopeKey, instance);
    assert.ok(completed.processInstance().withElementId('task').withIntent('ELEMENT_COMPLETED').first());
  });

  it('completes a job that was never activated (as Zeebe does)', async () => {
    const { engine, jobKey } = await started();
    assert.equal(engine.completeJob(jobKey).rejection, undefined);
  });

  it('refuses a job that is already completed, or unknown: NOT_FOUND', async () => {
    const { engine, jobKey } = await started();
    engine.completeJob(jobKey);
    const again = engine.completeJob(jobKey);
    assert.equal(again.rejection?.rejectionType, 'NOT_FOUND');
    assert.match(
      again.rejection?.rejectionReason ?? '',
      /Expected to complete job with key '\d+', but no such job/,
    );
    assert.equal(again.length, 2, 'the command and its rejection, nothing else');
    assert.equal(engine.completeJob('12345').rejection?.rejectionType, 'NOT_FOUND');
  });

  it('refuses a job whose instance was cancelled', async () => {
    const { engine, instance, jobKey } = await started();
    engine.cancelInstance(instance);
    assert.equal(engine.completeJob(jobKey).rejection?.rejectionType, 'NOT_FOUND');
  });

  it('refuses a job that failed without retries (it waits for an incident to be resolved)', async () => {
    const { engine, jobKey } = await started();
    engine.activateJobs('work');
    assert.equal(engine.failJob(jobKey, { retries: 0 }).incident().withIntent('CREATED').length, 1);
    assert.equal(engine.completeJob(jobKey).rejection?.rejectionType, 'INVALID_STATE');
  });
});
