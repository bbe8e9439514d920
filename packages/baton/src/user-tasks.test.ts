import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, waitFor } from './test-support/fixture.js';
import { chain, end, model, start, userTask } from './test-support/event-models.js';
import { stateOf } from './internal.js';

const approval = model('approval', [
  start('s'),
  userTask(
    'approve',
    '<zeebe:userTask/><zeebe:assignmentDefinition assignee="=requester.manager" candidateGroups="finance, managers"/><zeebe:taskSchedule dueDate="=due"/><zeebe:formDefinition formKey="approve-form"/>',
  ),
  end('e'),
  ...chain('s', 'approve', 'e'),
]);

describe('user tasks', () => {
  it('creates a task with its assignment, schedule and form; it can be listed, claimed and completed', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(approval);
    const instance = await engine.createInstance('approval', {
      requester: { manager: null },
      due: '2030-02-01T09:00:00Z',
    });
    const [task] = engine.userTasks({ candidateGroup: 'finance' });
    assert.ok(task);
    assert.equal(task.assignee, '');
    assert.deepEqual(task.candidateGroups, ['finance', 'managers']);
    assert.equal(task.dueDate, '2030-02-01T09:00:00Z');
    assert.equal(task.formKey, 'approve-form');
    await engine.claimUserTask(task.key, 'ada');
    await assert.rejects(
      engine.claimUserTask(task.key, 'bob'),
      (e: BatonError) => e.code === 'INVALID_STATE' && /'ada'/.test(e.message),
    );
    assert.equal(engine.userTasks({ assignee: 'ada' }).length, 1);
    await engine.assignUserTask(task.key, 'bob'); // an explicit assignment overrides
    await engine.completeUserTask(task.key, { approved: true });
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    assert.equal(engine.userTasks().length, 0);
    await assert.rejects(engine.completeUserTask(task.key), (e: BatonError) => e.code === 'NOT_FOUND');
    await engine.close();
  });

  it('a bad due date is an incident naming the field', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(approval);
    await engine.createInstance('approval', { requester: { manager: 'm' }, due: 'next week' });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.elementId, 'approve');
    assert.match(incident!.value.errorMessage, /due date.*'next week'/);
    await engine.close();
  });

  it('without zeebe:userTask it is a job for a tasklist worker, with the assignment in its headers', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('legacy', [
        start('s'),
        userTask(
          'review',
          '<zeebe:assignmentDefinition assignee="demo" candidateGroups="=[&quot;ops&quot;]"/><zeebe:formDefinition formKey="camunda-forms:bpmn:review"/>',
        ),
        end('e'),
        ...chain('s', 'review', 'e'),
      ]),
    );
    await engine.createInstance('legacy');
    const job = await activateOne(engine, 'io.camunda.zeebe:userTask');
    assert.equal(job.customHeaders['io.camunda.zeebe:assignee'], 'demo');
    assert.equal(job.customHeaders['io.camunda.zeebe:candidateGroups'], '["ops"]');
    assert.equal(job.customHeaders['io.camunda.zeebe:formKey'], 'camunda-forms:bpmn:review');
    await engine.close();
  });
});
