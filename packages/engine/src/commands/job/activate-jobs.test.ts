import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

describe('ACTIVATE job batch', () => {
  it('activates at most the requested number, says when there were more, and never hands a job out twice', async () => {
    const engine = new EngineHarness();
    await engine.deploy(createProcess('p').startEvent().serviceTask('t', { type: 'w' }).endEvent().done());
    for (let i = 0; i < 3; i++) engine.createInstance('p', { i });
    const batch = engine.command({
      valueType: 'JOB_BATCH',
      intent: 'ACTIVATE',
      value: {
        type: 'w',
        worker: 'me',
        timeout: 1000,
        maxJobsToActivate: 2,
        fetchVariables: ['i'],
        jobs: [],
        truncated: false,
      },
    });
    const activated = batch.jobBatch().withIntent('ACTIVATED').only().value;
    assert.equal(activated.jobs.length, 2);
    assert.equal(activated.truncated, true);
    assert.deepEqual(Object.keys(activated.jobs[0]!.variables), ['i']);
    assert.equal(engine.activateJobs('w').length, 1, 'only the third is left');
    assert.equal(engine.activateJobs('w').length, 0);
  });

  it('refuses a batch without a type, timeout or count', async () => {
    const engine = new EngineHarness();
    const activate = (value: object) =>
      engine.command({
        valueType: 'JOB_BATCH',
        intent: 'ACTIVATE',
        value: {
          type: 'w',
          worker: 'me',
          timeout: 1000,
          maxJobsToActivate: 1,
          fetchVariables: [],
          jobs: [],
          truncated: false,
          ...value,
        },
      });
    assert.equal(activate({ type: '' }).rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(activate({ timeout: 0 }).rejection?.rejectionReason ?? '', /positive timeout/);
    assert.match(
      activate({ maxJobsToActivate: 0 }).rejection?.rejectionReason ?? '',
      /positive number of jobs/,
    );
  });
});
