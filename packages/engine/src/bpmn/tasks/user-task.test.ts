import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const review = createProcess('review')
  .startEvent()
  .userTask('approve', { assignee: 'ann', candidateGroups: ['managers'] })
  .endEvent('done')
  .done();

describe('user task', () => {
  it('creates a user task with its assignment and waits for it', async () => {
    const engine = new EngineHarness();
    await engine.deploy(review);
    const created = engine.createInstance('review');
    const task = created.userTask().withIntent('CREATED').only();
    assert.equal(task.value.assignee, 'ann');
    assert.deepEqual(task.value.candidateGroups, ['managers']);
    assert.equal(created.job().length, 0, 'a Camunda user task is no job');
    assert.equal(created.processInstance().withElementId('approve').last()?.intent, 'ELEMENT_ACTIVATED');
  });

  it('completes with the variables it is completed with', async () => {
    const engine = new EngineHarness();
    await engine.deploy(review);
    const created = engine.createInstance('review');
    const task = created.userTask().withIntent('CREATED').only();
    const completed = engine.command(
      { valueType: 'USER_TASK', intent: 'COMPLETE', value: { variables: { approved: true } } as never },
      task.key,
    );
    assert.equal(completed.userTask().withIntent('COMPLETED').length, 1);
    assert.equal(completed.variable().withName('approved').only().value.value, true);
    assert.ok(completed.processInstance().withElementId('done').withIntent('ELEMENT_COMPLETED').first());
  });

  it('refuses a claim when someone else has the task', async () => {
    const engine = new EngineHarness();
    await engine.deploy(review);
    const task = engine.createInstance('review').userTask().withIntent('CREATED').only();
    const claim = engine.command(
      { valueType: 'USER_TASK', intent: 'CLAIM', value: { assignee: 'bob' } as never },
      task.key,
    );
    assert.equal(claim.rejection?.rejectionType, 'INVALID_STATE');
  });
});
