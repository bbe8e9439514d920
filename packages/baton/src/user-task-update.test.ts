import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { memoryEngine } from './test-support/fixture.js';
import { chain, end, model, start, userTask } from './test-support/event-models.js';

const review = model('review', [
  start('s'),
  userTask(
    'check',
    '<zeebe:userTask/><zeebe:assignmentDefinition candidateGroups="ops"/><zeebe:taskSchedule dueDate="2030-01-01T10:00:00Z"/>',
  ),
  end('e'),
  ...chain('s', 'check', 'e'),
]);

describe('user task update', () => {
  it('changes only the attributes given; the others keep their values', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(review);
    await engine.createInstance('review');
    const [task] = engine.userTasks();
    assert.ok(task);
    await engine.updateUserTask(task.key, { priority: 80, candidateUsers: ['ada'] });
    let [updated] = engine.userTasks();
    assert.equal(updated?.priority, 80);
    assert.deepEqual(updated?.candidateUsers, ['ada']);
    assert.deepEqual(updated?.candidateGroups, ['ops']);
    assert.equal(updated?.dueDate, '2030-01-01T10:00:00Z');
    await engine.updateUserTask(task.key, { dueDate: '', followUpDate: '2029-12-31T08:00:00+01:00' });
    [updated] = engine.userTasks();
    assert.equal(updated?.dueDate, '');
    assert.equal(updated?.followUpDate, '2029-12-31T08:00:00+01:00');
    assert.ok(records.some((r) => r.valueType === 'USER_TASK' && r.intent === 'UPDATED'));
    await engine.close();
  });

  it('refuses a bad value naming the attribute, and an unknown task', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(review);
    await engine.createInstance('review');
    const [task] = engine.userTasks();
    await assert.rejects(
      engine.updateUserTask(task!.key, { priority: 101 }),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT' && /priority/.test(e.message),
    );
    await assert.rejects(
      engine.updateUserTask(task!.key, { dueDate: 'tomorrow' }),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT' && /dueDate/.test(e.message),
    );
    assert.equal(engine.userTasks()[0]?.priority, 50);
    await assert.rejects(
      engine.updateUserTask('2251799813685249', { priority: 1 }),
      (e: BatonError) => e.code === 'NOT_FOUND',
    );
    await engine.close();
  });
});
