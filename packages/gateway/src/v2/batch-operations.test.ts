import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';
import { batchEnded } from './batch-test-support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers

describe('/v2 batch operations', () => {
  let server: V2TestServer;
  let v1Key: string;
  let v2Key: string;
  before(async () => {
    server = await startV2TestServer();
    v1Key = (
      await server.engine.deploy(
        createProcess('wait').startEvent().userTask('a').userTask('b').endEvent().done(),
      )
    ).processes[0]!.processDefinitionKey;
    v2Key = (
      await server.engine.deploy(
        createProcess('wait').startEvent().userTask('a').userTask('c').endEvent().done(),
      )
    ).processes[0]!.processDefinitionKey;
    await server.engine.deploy(createProcess('other').startEvent().userTask('x').endEvent().done());
    await server.engine.deploy(
      createProcess('caller').startEvent().callActivity('call', { processId: 'other' }).endEvent().done(),
    );
    await server.engine.deploy(
      createProcess('failing').startEvent().serviceTask('work', { type: 'batch-work' }).endEvent().done(),
    );
  });
  after(() => server.close());

  const post = async (url: string, payload?: object) => {
    const response = await server.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: (response.body ? response.json() : {}) as Json };
  };
  const get = async (url: string) => {
    const response = await server.app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() as Json };
  };
  const start = async (processId: string, count: number, version?: number) => {
    const keys: string[] = [];
    for (let i = 0; i < count; i++)
      keys.push(
        (await server.engine.createInstance(processId, {}, version ? { version } : {})).processInstanceKey,
      );
    await server.settled();
    return keys;
  };
  const run = async (path: string, body: object) => {
    const created = await post(`/v2/process-instances/${path}`, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    await batchEnded(server.engine, created.body.batchOperationKey);
    await server.settled();
    return created.body;
  };
  const instanceStates = async (keys: string[]) => {
    const found = await post('/v2/process-instances/search', {
      filter: { processInstanceKey: { $in: keys } },
    });
    return new Set(found.body.items.map((i: Json) => i.state));
  };

  it('cancels the active instances a filter finds, and says so per item', async () => {
    const keys = await start('other', 12);
    const untouched = await start('wait', 1);
    const created = await run('cancellation', { filter: { processDefinitionId: 'other' } });
    assert.deepEqual(Object.keys(created).sort(), ['batchOperationKey', 'batchOperationType']);
    assert.equal(created.batchOperationType, 'CANCEL_PROCESS_INSTANCE');
    const operation = await get(`/v2/batch-operations/${created.batchOperationKey}`);
    assert.equal(operation.status, 200);
    assert.equal(operation.body.state, 'COMPLETED');
    assert.equal(operation.body.batchOperationType, 'CANCEL_PROCESS_INSTANCE');
    assert.equal(operation.body.operationsTotalCount, 12);
    assert.equal(operation.body.operationsCompletedCount, 12);
    assert.equal(operation.body.operationsFailedCount, 0);
    assert.deepEqual(operation.body.errors, []);
    assert.ok(Date.parse(operation.body.endDate) >= Date.parse(operation.body.startDate));
    assert.deepEqual(await instanceStates(keys), new Set(['TERMINATED']));
    assert.deepEqual(await instanceStates(untouched), new Set(['ACTIVE']));

    const items = await post('/v2/batch-operation-items/search', {
      filter: { batchOperationKey: created.batchOperationKey },
      sort: [{ field: 'processInstanceKey', order: 'ASC' }],
      page: { limit: 5 },
    });
    assert.equal(items.status, 200);
    assert.equal(items.body.page.totalItems, 12);
    assert.equal(items.body.items.length, 5);
    assert.deepEqual(
      items.body.items.map((i: Json) => i.itemKey),
      [...keys].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).slice(0, 5),
    );
    const first = items.body.items[0];
    assert.equal(first.operationType, 'CANCEL_PROCESS_INSTANCE');
    assert.equal(first.state, 'COMPLETED');
    assert.equal(first.processInstanceKey, first.itemKey);
    assert.ok(Date.parse(first.processedDate) > 0);
    const next = await post('/v2/batch-operation-items/search', {
      filter: { batchOperationKey: created.batchOperationKey },
      page: { after: items.body.page.endCursor, limit: 100 },
    });
    assert.equal(next.body.items.length, 7);

    // A called instance is not an item: it ends with its root, as in Zeebe.
    const [parent] = await start('caller', 1);
    const called = await post('/v2/process-instances/search', {
      filter: { parentProcessInstanceKey: parent, state: 'ACTIVE' },
    });
    assert.equal(called.body.items.length, 1);
    const tree = await run('cancellation', { filter: { processDefinitionId: { $in: ['caller', 'other'] } } });
    const treeItems = await post('/v2/batch-operation-items/search', {
      filter: { batchOperationKey: tree.batchOperationKey },
    });
    assert.deepEqual(
      treeItems.body.items.map((i: Json) => i.itemKey),
      [parent],
    );
    assert.deepEqual(
      await instanceStates([parent!, called.body.items[0].processInstanceKey]),
      new Set(['TERMINATED']),
    );

    // Cancelling again finds nothing active: an empty batch completes at once.
    const again = await run('cancellation', { filter: { processDefinitionId: 'other' } });
    const empty = await get(`/v2/batch-operations/${again.batchOperationKey}`);
    assert.equal(empty.body.state, 'COMPLETED');
    assert.equal(empty.body.operationsTotalCount, 0);
  });

  it("resolves the incidents of the instances found, raising a job incident's retries", async () => {
    const keys = await start('failing', 3);
    for (const job of await server.engine.activateJobs({
      type: 'batch-work',
      worker: 't',
      timeout: 60_000,
      maxJobsToActivate: 10,
    }))
      await server.engine.failJob(job.key, { retries: 0, errorMessage: 'down' });
    await server.settled();
    const created = await run('incident-resolution', { filter: { processInstanceKey: { $in: keys } } });
    const operation = await get(`/v2/batch-operations/${created.batchOperationKey}`);
    assert.equal(operation.body.state, 'COMPLETED');
    assert.equal(operation.body.operationsTotalCount, 3);
    const incidents = await post('/v2/incidents/search', {
      filter: { processInstanceKey: { $in: keys }, state: 'ACTIVE' },
    });
    assert.equal(incidents.body.page.totalItems, 0);
    const items = await post('/v2/batch-operation-items/search', {
      filter: { batchOperationKey: created.batchOperationKey },
    });
    // The incident is the item, of its instance.
    assert.ok(
      items.body.items.every(
        (i: Json) => i.itemKey !== i.processInstanceKey && keys.includes(i.processInstanceKey),
      ),
    );
    const jobs = await server.engine.activateJobs({
      type: 'batch-work',
      worker: 't',
      timeout: 60_000,
      maxJobsToActivate: 10,
    });
    assert.equal(jobs.length, 3, 'the jobs can be worked again');
  });

  it('migrates the instances found with a migration plan, and reports the ones it cannot', async () => {
    const keys = await start('wait', 3, 1);
    const created = await run('migration', {
      filter: { processDefinitionKey: v1Key },
      migrationPlan: {
        targetProcessDefinitionKey: v2Key,
        mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }],
      },
    });
    const operation = await get(`/v2/batch-operations/${created.batchOperationKey}`);
    assert.equal(operation.body.state, 'COMPLETED');
    const found = await post('/v2/process-instances/search', {
      filter: { processInstanceKey: { $in: keys } },
    });
    assert.deepEqual(new Set(found.body.items.map((i: Json) => i.processDefinitionKey)), new Set([v2Key]));

    // Instances standing at 'b', which the plan does not map: each item fails with the engine's reason.
    const atB = await start('wait', 2, 1);
    for (const key of atB) {
      const task = server.engine.userTasks({ processInstanceKey: key })[0]!;
      await server.engine.completeUserTask(task.key);
    }
    await server.settled();
    const partial = await run('migration', {
      filter: { processInstanceKey: { $in: atB } },
      migrationPlan: {
        targetProcessDefinitionKey: v2Key,
        mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }],
      },
    });
    const failed = await get(`/v2/batch-operations/${partial.batchOperationKey}`);
    assert.equal(failed.body.state, 'PARTIALLY_COMPLETED');
    assert.equal(failed.body.operationsFailedCount, 2);
    const items = await post('/v2/batch-operation-items/search', {
      filter: { batchOperationKey: partial.batchOperationKey, state: 'FAILED' },
    });
    assert.equal(items.body.items.length, 2);
    assert.match(items.body.items[0].errorMessage, /'b'/);
  });

  it('moves tokens of the instances found (modification)', async () => {
    const keys = await start('wait', 2, 1);
    const created = await run('modification', {
      filter: { processInstanceKey: { $in: keys } },
      moveInstructions: [{ sourceElementId: 'a', targetElementId: 'b' }],
    });
    const operation = await get(`/v2/batch-operations/${created.batchOperationKey}`);
    assert.equal(operation.body.state, 'COMPLETED', JSON.stringify(operation.body));
    const active = await post('/v2/element-instances/search', {
      filter: { processInstanceKey: { $in: keys }, state: 'ACTIVE', type: 'USER_TASK' },
    });
    assert.deepEqual(new Set(active.body.items.map((e: Json) => e.elementId)), new Set(['b']));
    assert.equal(active.body.items.length, 2);
  });

  it('searches batch operations by type and state, sorted and paged', async () => {
    const all = await post('/v2/batch-operations/search', {});
    assert.equal(all.status, 200);
    assert.ok(all.body.page.totalItems >= 4);
    const cancellations = await post('/v2/batch-operations/search', {
      filter: { operationType: 'CANCEL_PROCESS_INSTANCE', state: { $in: ['COMPLETED'] } },
      sort: [{ field: 'startDate', order: 'DESC' }],
    });
    assert.ok(cancellations.body.items.length >= 2);
    assert.ok(
      cancellations.body.items.every((o: Json) => o.batchOperationType === 'CANCEL_PROCESS_INSTANCE'),
    );
    assert.ok(!('operationType' in cancellations.body.items[0]));
    const partial = await post('/v2/batch-operations/search', { filter: { state: 'PARTIALLY_COMPLETED' } });
    assert.equal(partial.body.items.length, 1);
  });

  it('refuses bad requests naming the field, and unknown keys', async () => {
    const cases: [string, object | undefined, number, RegExp][] = [
      ['/v2/process-instances/cancellation', {}, 400, /filter/],
      ['/v2/process-instances/cancellation', { filter: { nope: 1 } }, 400, /filter\.nope/],
      ['/v2/process-instances/cancellation', { filter: { state: 7 } }, 400, /filter\.state/],
      ['/v2/process-instances/migration', { filter: {} }, 400, /migrationPlan/],
      [
        '/v2/process-instances/migration',
        { filter: {}, migrationPlan: { targetProcessDefinitionKey: '42', mappingInstructions: [] } },
        400,
        /mappingInstructions/,
      ],
      [
        '/v2/process-instances/migration',
        {
          filter: {},
          migrationPlan: {
            targetProcessDefinitionKey: '42',
            mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }],
          },
        },
        404,
        /process definition '42'/,
      ],
      ['/v2/process-instances/modification', { filter: {}, moveInstructions: [] }, 400, /moveInstructions/],
      ['/v2/batch-operations/search', { filter: { state: 'DONE' } }, 400, /filter\.state/],
      ['/v2/batch-operations/search', { filter: { unknown: 'x' } }, 400, /filter\.unknown/],
      ['/v2/batch-operation-items/search', { sort: [{ field: 'nope' }] }, 400, /sort\.0\.field/],
      ['/v2/batch-operations/12345/suspension', undefined, 404, /batch operation/],
      ['/v2/batch-operations/abc/cancellation', undefined, 400, /batchOperationKey/],
    ];
    for (const [url, body, status, detail] of cases) {
      const response = await post(url, body);
      assert.equal(
        response.status,
        status,
        `${url} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`,
      );
      assert.match(response.body.detail, detail, url);
    }
    assert.equal((await get('/v2/batch-operations/12345')).status, 404);
  });

  it('refuses to suspend, resume or cancel an ended batch operation (409)', async () => {
    const created = await run('cancellation', { filter: { processDefinitionId: 'nothing-here' } });
    for (const action of ['suspension', 'resumption', 'cancellation']) {
      const response = await post(`/v2/batch-operations/${created.batchOperationKey}/${action}`);
      assert.equal(response.status, 409, action);
      assert.equal(response.body.title, 'INVALID_STATE');
    }
  });
});

describe('/v2 batch operations without a read model', () => {
  it('answers creation with 403, as Camunda without secondary storage', async (t) => {
    const server = await startV2TestServer({ readModel: false });
    t.after(() => server.close());
    const response = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances/cancellation',
      payload: { filter: {} },
    });
    assert.equal(response.statusCode, 403);
  });
});

describe('/v2 batch operations over several partitions', () => {
  it('acts on instances of every partition through the normal command path', async (t) => {
    const server = await startV2TestServer({ engine: { partitions: 3 } });
    t.after(() => server.close());
    await server.engine.deploy(createProcess('spread').startEvent().userTask('wait').endEvent().done());
    const keys: string[] = [];
    for (let i = 0; i < 9; i++) keys.push((await server.engine.createInstance('spread')).processInstanceKey);
    await server.settled();
    const partitions = new Set(keys.map((k) => Number(BigInt(k) >> 51n)));
    assert.equal(partitions.size, 3, 'instances on every partition');
    const created = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances/cancellation',
      payload: { filter: { processDefinitionId: 'spread' } },
    });
    assert.equal(created.statusCode, 200);
    const { batchOperationKey } = created.json() as { batchOperationKey: string };
    await batchEnded(server.engine, batchOperationKey);
    const operation = await server.app.inject({
      method: 'GET',
      url: `/v2/batch-operations/${batchOperationKey}`,
    });
    assert.equal(operation.json().state, 'COMPLETED');
    assert.equal(operation.json().operationsCompletedCount, 9);
    await server.settled();
    assert.ok(
      keys.every((k) => server.engine.batchOperation(batchOperationKey)!.items.get(k)?.state === 'COMPLETED'),
    );
  });
});
