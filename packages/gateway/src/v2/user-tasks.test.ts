import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';
import { reviewForm, taskModels } from './task-test-models.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field */

describe('/v2 user tasks and their forms', () => {
  let server: V2TestServer;
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? (res.json() as any) : undefined };
  };
  /** Starts a review and answers its open task, as the search finds it. */
  const openTask = async (variables: Record<string, unknown> = {}) => {
    const { processInstanceKey } = await server.engine.createInstance('review', variables);
    await server.settled();
    const { body } = await call('POST', '/v2/user-tasks/search', { filter: { processInstanceKey } });
    assert.equal(body.items.length, 1);
    return body.items[0];
  };

  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(taskModels);
  });
  after(() => server.close());

  it('searches and gets user tasks in the spec shape', async () => {
    const task = await openTask({ order: 'A-1' });
    assert.equal(typeof task.userTaskKey, 'string');
    assert.equal(task.state, 'CREATED');
    assert.equal(task.elementId, 'check');
    assert.equal(task.processDefinitionId, 'review');
    assert.equal(task.processDefinitionVersion, 1);
    assert.equal(typeof task.processDefinitionKey, 'string');
    assert.deepEqual(task.candidateGroups, ['clerks', 'leads']);
    assert.deepEqual(task.candidateUsers, []);
    assert.equal(task.priority, 50);
    assert.equal(task.tenantId, '<default>');
    assert.equal(typeof task.formKey, 'string');
    assert.ok(!Number.isNaN(Date.parse(task.creationDate)));
    assert.equal('assignee' in task, false, 'an unassigned task has no assignee');
    const got = await call('GET', `/v2/user-tasks/${task.userTaskKey}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, task);
    const byGroup = await call('POST', '/v2/user-tasks/search', {
      filter: { candidateGroup: 'leads', state: 'CREATED' },
    });
    assert.ok(byGroup.body.items.some((t: any) => t.userTaskKey === task.userTaskKey));
    const otherGroup = await call('POST', '/v2/user-tasks/search', { filter: { candidateGroup: 'lead' } });
    assert.equal(otherGroup.body.page.totalItems, 0, 'a candidate group matches by its whole name');
    const missing = await call('GET', '/v2/user-tasks/2251799813685249');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.title, 'NOT_FOUND');
  });

  it('assigns, claims, unassigns, updates and completes a task', async () => {
    const task = await openTask();
    const key = task.userTaskKey;
    assert.equal((await call('POST', `/v2/user-tasks/${key}/assignment`, { assignee: 'ada' })).status, 204);
    const claim = await call('POST', `/v2/user-tasks/${key}/assignment`, {
      assignee: 'bob',
      allowOverride: false,
    });
    assert.equal(claim.status, 409, 'a claim of a task someone else has is refused');
    assert.match(claim.body.detail, /'ada'/);
    await server.settled();
    assert.equal((await call('GET', `/v2/user-tasks/${key}`)).body.assignee, 'ada');
    const byAssignee = await call('POST', '/v2/user-tasks/search', { filter: { assignee: 'ada' } });
    assert.deepEqual(
      byAssignee.body.items.map((t: any) => t.userTaskKey),
      [key],
    );
    assert.equal((await call('DELETE', `/v2/user-tasks/${key}/assignee`)).status, 204);
    const update = await call('PATCH', `/v2/user-tasks/${key}`, {
      changeset: {
        dueDate: '2030-05-01T12:00:00Z',
        priority: 90,
        candidateUsers: ['cy'],
        candidateGroups: null,
      },
      action: 'reschedule',
    });
    assert.equal(update.status, 204);
    await server.settled();
    const updated = (await call('GET', `/v2/user-tasks/${key}`)).body;
    assert.equal('assignee' in updated, false);
    assert.equal(updated.dueDate, '2030-05-01T12:00:00.000Z');
    assert.equal(updated.priority, 90);
    assert.deepEqual(updated.candidateUsers, ['cy']);
    assert.deepEqual(updated.candidateGroups, ['clerks', 'leads'], 'null keeps the value');
    const sorted = await call('POST', '/v2/user-tasks/search', {
      filter: { dueDate: { $lt: '2031-01-01T00:00:00Z' } },
      sort: [{ field: 'priority', order: 'DESC' }],
    });
    assert.equal(sorted.body.items[0].userTaskKey, key);
    const completion = await call('POST', `/v2/user-tasks/${key}/completion`, {
      variables: { approved: true },
    });
    assert.equal(completion.status, 204);
    await server.settled();
    const done = (await call('GET', `/v2/user-tasks/${key}`)).body;
    assert.equal(done.state, 'COMPLETED');
    assert.ok(done.completionDate);
    const again = await call('POST', `/v2/user-tasks/${key}/completion`, {});
    assert.equal(again.status, 404);
  });

  it("searches a task's variables", async () => {
    const task = await openTask({ order: 'B-2' });
    // The task's own scope: variables set locally on its element instance.
    await server.engine.setVariables(task.elementInstanceKey, { note: 'urgent' }, { local: true });
    await server.settled();
    const { status, body } = await call('POST', `/v2/user-tasks/${task.userTaskKey}/variables/search`, {
      filter: { name: 'note' },
    });
    assert.equal(status, 200);
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].value, '"urgent"');
    assert.equal(body.items[0].isTruncated, false);
    assert.equal(body.items[0].scopeKey, task.elementInstanceKey);
  });

  it('answers the linked form of a task', async () => {
    const task = await openTask();
    const { status, body } = await call('GET', `/v2/user-tasks/${task.userTaskKey}/form`);
    assert.equal(status, 200);
    assert.equal(body.formId, 'review-form');
    assert.equal(body.formKey, task.formKey);
    assert.equal(body.version, 1);
    assert.equal(body.tenantId, '<default>');
    assert.deepEqual(body.schema, JSON.parse(reviewForm));
    const none = await call('GET', '/v2/user-tasks/2251799813685249/form');
    assert.equal(none.status, 404);
  });

  it('refuses bad bodies naming the field', async () => {
    const task = await openTask();
    const key = task.userTaskKey;
    const noAssignee = await call('POST', `/v2/user-tasks/${key}/assignment`, {});
    assert.equal(noAssignee.status, 400);
    assert.match(noAssignee.body.detail, /'body\.assignee' is required/);
    const badPriority = await call('PATCH', `/v2/user-tasks/${key}`, { changeset: { priority: 101 } });
    assert.equal(badPriority.status, 400);
    assert.match(badPriority.body.detail, /body\.changeset\.priority/);
    const badDate = await call('PATCH', `/v2/user-tasks/${key}`, { changeset: { dueDate: 'soon' } });
    assert.equal(badDate.status, 400);
    assert.match(badDate.body.detail, /body\.changeset\.dueDate/);
    const badVariables = await call('POST', `/v2/user-tasks/${key}/completion`, { variables: [1] });
    assert.equal(badVariables.status, 400);
    assert.match(badVariables.body.detail, /body\.variables/);
    const unknownProperty = await call('POST', `/v2/user-tasks/${key}/completion`, { vars: {} });
    assert.equal(unknownProperty.status, 400);
    assert.match(unknownProperty.body.detail, /'vars'/);
    const badFilter = await call('POST', '/v2/user-tasks/search', {
      filter: { candidateGroup: { $like: 'cl*' } },
    });
    assert.equal(badFilter.status, 400);
    assert.match(badFilter.body.detail, /filter\.candidateGroup/);
    const unknownTask = await call('PATCH', '/v2/user-tasks/2251799813685249', {
      changeset: { priority: 1 },
    });
    assert.equal(unknownTask.status, 404);
  });
});
