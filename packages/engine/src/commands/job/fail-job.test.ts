import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const oneJob = createProcess('one-job')
  .startEvent()
  .serviceTask('task', { type: 'work', retries: 3 })
  .endEvent()
  .done();

async function started() {
  const engine = new EngineHarness();
  await engine.deploy(oneJob);
  const instance = engine.createInstance('one-job').processInstanceKey;
  const [job] = engine.activateJobs('work');
  assert.ok(job);
  return { engine, instance, jobKey: job.key };
}

describe('FAIL job', () => {
  it('with retries left, makes the job activatable again', async () => {
    const { engine, jobKey } = await started();
    const failed = engine.failJob(jobKey, { retries: 2, errorMessage: 'flaky' });
    assert.equal(failed.job().withIntent('FAILED').only().value.retries, 2);
    assert.equal(failed.incident().length, 0);
    const [again] = engine.activateJobs('work');
    assert.equal(again?.key, jobKey);
    assert.equal(again?.retries, 2);
  });

  it('with a back-off, the job comes back only once the back-off has passed', async () => {
    const { engine, jobKey } = await started();
    engine.failJob(jobKey, { retries: 2, retryBackoff: 30_000 });
    assert.deepEqual(engine.activateJobs('work'), [], 'in back-off');
    assert.equal(engine.advanceTime(29_999).length, 0);
    const recurred = engine.advanceTime(1);
    assert.deepEqual(recurred.job().events().intents(), ['RECURRED_AFTER_BACKOFF']);
    assert.equal(engine.activateJobs('work')[0]?.key, jobKey);
  });

  it('without retries, raises an incident with the error message; resolving it after updating the retries brings the job back', async () => {
    const { engine, jobKey } = await started();
    const failed = engine.failJob(jobKey, { retries: 0, errorMessage: 'database down' });
    const incident = failed.incident().withIntent('CREATED').only();
    assert.equal(incident.value.errorType, 'JOB_NO_RETRIES');
    assert.equal(incident.value.errorMessage, 'database down');
    assert.equal(incident.value.jobKey, jobKey);
    const tooEarly = engine.resolveIncident(incident.key);
    assert.equal(tooEarly.rejection?.rejectionType, 'INVALID_STATE', 'no retries yet');
    engine.updateJobRetries(jobKey, 1);
    const resolved = engine.resolveIncident(incident.key);
    assert.equal(resolved.incident().withIntent('RESOLVED').length, 1);
    assert.equal(engine.activateJobs('work')[0]?.key, jobKey);
  });

  it('refuses a job that is not activated, and an unknown one', async () => {
    const { engine, jobKey } = await started();
    engine.completeJob(jobKey);
    assert.equal(engine.failJob(jobKey, { retries: 1 }).rejection?.rejectionType, 'NOT_FOUND');
    const engine2 = new EngineHarness();
    await engine2.deploy(oneJob);
    engine2.createInstance('one-job');
    const notActivated = engine2.failJob(engine2.jobKey('work'), { retries: 1 });
    assert.equal(notActivated.rejection?.rejectionType, 'INVALID_STATE');
  });

  it('an activated job that passes its deadline times out and can be activated again', async () => {
    const engine = new EngineHarness();
    await engine.deploy(oneJob);
    engine.createInstance('one-job');
    const [job] = engine.activateJobs('work', { timeout: 10_000 });
    const timedOut = engine.advanceTime(10_000);
    assert.equal(timedOut.job().withIntent('TIMED_OUT').only().key, job?.key);
    assert.equal(engine.activateJobs('work')[0]?.key, job?.key);
  });
});
