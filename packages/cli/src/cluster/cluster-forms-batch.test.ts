import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../test-server.js';
import { batonCluster, until } from './test-support/baton-cluster.js';
import { logOf, terminatedInstances } from './test-support/cluster-fixture.js';

const { schema, threeNodesTwoPartitions } = batonCluster('baton_cluster_forms_batch');

/** Three nodes, two partitions: n1 leads partition 1, n2 partition 2, n3 none. */
let n1: TestServer;
let n2: TestServer;
let n3: TestServer;
let nodes: TestServer[] = [];

before(async () => {
  nodes = [n1, n2, n3] = await threeNodesTwoPartitions();
});

after(async () => {
  for (const server of nodes) await server.stop();
});

/** A Camunda Form as Modeler saves it. */
const form = (id: string, label: string) =>
  JSON.stringify({
    components: [{ label, type: 'checkbox', id: 'Field_1', key: 'approved' }],
    type: 'default',
    id,
    executionPlatform: 'Camunda Cloud',
    executionPlatformVersion: '8.8.0',
    schemaVersion: 16,
  });

/** A start form on the none start event, a Camunda user task with a linked form. */
const APPROVAL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
<bpmn:process id="approval" isExecutable="true">
<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formId="request-form"/></bpmn:extensionElements></bpmn:startEvent>
<bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition formId="approve-form"/></bpmn:extensionElements></bpmn:userTask>
<bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review"/><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e"/>
</bpmn:process></bpmn:definitions>`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(server: TestServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json, text };
}

async function ok(server: TestServer, method: string, path: string, body?: unknown): Promise<Json> {
  const answer = await call(server, method, path, body);
  assert.equal(answer.status, 200, `${method} ${path} on ${server.url}: ${answer.text}`);
  return answer.body;
}

const partitionOf = (key: string) => Number(BigInt(key) >> 51n);

describe('forms and batch operations on any node of a cluster', () => {
  let deployment: Json;
  const instances: string[] = [];

  it('deploys through the node leading none and serves forms and start forms through every node', async () => {
    const resources = new FormData();
    resources.append('resources', new Blob([APPROVAL]), 'approval.bpmn');
    resources.append('resources', new Blob([form('request-form', 'Request?')]), 'request-form.form');
    resources.append('resources', new Blob([form('approve-form', 'Approved?')]), 'approve-form.form');
    const deployed = await fetch(`${n3.url}/v2/deployments`, { method: 'POST', body: resources });
    assert.equal(deployed.status, 200, await deployed.clone().text());
    deployment = (await deployed.json()) as Json;
    const definitionKey = deployment.deployments.find((d: Json) => d.processDefinition).processDefinition
      .processDefinitionKey as string;
    const formKeys = Object.fromEntries(
      deployment.deployments.filter((d: Json) => d.form).map((d: Json) => [d.form.formId, d.form.formKey]),
    ) as Record<string, string>;

    for (const server of nodes) {
      const byKey = await ok(server, 'GET', `/baton/v1/forms/${formKeys['approve-form']}`);
      assert.deepEqual(
        [byKey.formId, byKey.version, byKey.schema.components[0].label, byKey.resourceName],
        ['approve-form', 1, 'Approved?', 'approve-form.form'],
      );
      const start = await ok(server, 'GET', `/v2/process-definitions/${definitionKey}/form`);
      assert.deepEqual([start.formId, start.formKey], ['request-form', formKeys['request-form']]);
      await until(`the definition in the read model, searched on ${server.url}`, async () => {
        const found = await ok(server, 'POST', '/v2/process-definitions/search', {
          filter: { processDefinitionKey: definitionKey },
        });
        if (found.items.length === 0) return false;
        assert.equal(found.items[0].hasStartForm, true);
        return true;
      });
      const missing = await call(server, 'GET', '/baton/v1/forms/2251799813685999');
      assert.equal(missing.status, 404, missing.text);
      const noDefinition = await call(server, 'GET', '/v2/process-definitions/4503599627370999/form');
      assert.equal(noDefinition.status, 404, noDefinition.text);
    }
  });

  it("serves a user task's linked form through every node, whichever partition the task is on", async () => {
    // Through every node, so that both partitions get instances (the node leading none spreads them).
    for (let round = 0; round < 4; round++)
      for (const server of nodes) {
        let created: Json | undefined;
        await until('the deployment on every partition', async () => {
          const answer = await call(server, 'POST', '/v2/process-instances', {
            processDefinitionId: 'approval',
          });
          if (answer.status === 404) return false;
          assert.equal(answer.status, 200, answer.text);
          created = answer.body;
          return true;
        });
        instances.push(created!.processInstanceKey as string);
      }
    assert.deepEqual(new Set(instances.map(partitionOf)), new Set([1, 2]));

    let tasks: Json[] = [];
    await until('every user task in the read model', async () => {
      tasks = (await ok(n3, 'POST', '/v2/user-tasks/search', { page: { limit: 100 } })).items;
      return tasks.length === instances.length;
    });
    const onEach = [1, 2].map((p) => tasks.find((t) => partitionOf(t.userTaskKey) === p)!);
    for (const server of nodes)
      for (const task of onEach) {
        const linked = await ok(server, 'GET', `/v2/user-tasks/${task.userTaskKey}/form`);
        assert.deepEqual([linked.formId, linked.schema.components[0].label], ['approve-form', 'Approved?']);
      }
    for (const server of nodes) {
      const gone = await call(server, 'GET', '/v2/user-tasks/4503599627370999/form');
      assert.equal(gone.status, 404, gone.text);
    }
  });

  it('cancels the instances of both partitions by a batch operation created through the node leading none', async () => {
    await until('every instance in the read model', async () => {
      const found = await ok(n3, 'POST', '/v2/process-instances/search', {
        filter: { processDefinitionId: 'approval', state: 'ACTIVE' },
      });
      return found.page.totalItems === instances.length;
    });
    const created = await ok(n3, 'POST', '/v2/process-instances/cancellation', {
      filter: { processDefinitionId: 'approval' },
    });
    const key = created.batchOperationKey as string;
    assert.equal(created.batchOperationType, 'CANCEL_PROCESS_INSTANCE');

    await until('the batch operation COMPLETED, seen through every node', async () => {
      const states = await Promise.all(
        nodes.map(async (server) => (await ok(server, 'GET', `/v2/batch-operations/${key}`)).state),
      );
      return states.every((s) => s === 'COMPLETED');
    });
    for (const server of nodes) {
      const operation = await ok(server, 'GET', `/v2/batch-operations/${key}`);
      assert.deepEqual(
        [operation.operationsTotalCount, operation.operationsCompletedCount, operation.operationsFailedCount],
        [instances.length, instances.length, 0],
      );
      const searched = await ok(server, 'POST', '/v2/batch-operations/search', {
        filter: { batchOperationKey: key },
      });
      assert.deepEqual(
        searched.items.map((o: Json) => [o.batchOperationKey, o.state]),
        [[key, 'COMPLETED']],
      );
      for (const filter of [{ batchOperationKey: key }, { state: 'COMPLETED' }]) {
        const items = await ok(server, 'POST', '/v2/batch-operation-items/search', {
          filter,
          page: { limit: 100 },
        });
        assert.deepEqual(
          items.items.map((i: Json) => i.processInstanceKey).sort(),
          [...instances].sort(),
          `items of ${JSON.stringify(filter)} on ${server.url}`,
        );
        assert.ok(items.items.every((i: Json) => i.state === 'COMPLETED' && i.batchOperationKey === key));
      }
    }

    // Every instance was terminated exactly once, as the partitions' logs in PostgreSQL say.
    const terminated = terminatedInstances(await logOf(schema, 2));
    assert.deepEqual(terminated.sort(), [...instances].sort());
    const remaining = await ok(n1, 'POST', '/v2/process-instances/search', {
      filter: { processDefinitionId: 'approval', state: 'ACTIVE' },
    });
    assert.equal(remaining.page.totalItems, 0);
  });

  it("gathers every partition's batch operations through every node; commands on one reach its leader", async () => {
    // One operation on each partition: through its leader (nothing left to cancel, so each completes empty).
    const keys: string[] = [];
    for (const server of [n1, n2]) {
      const created = await ok(server, 'POST', '/v2/process-instances/cancellation', {
        filter: { processDefinitionId: 'approval' },
      });
      keys.push(created.batchOperationKey as string);
    }
    assert.deepEqual(keys.map(partitionOf), [1, 2]);
    for (const server of nodes) {
      await until(`both operations COMPLETED, searched on ${server.url}`, async () => {
        const found = await ok(server, 'POST', '/v2/batch-operations/search', {
          filter: { state: 'COMPLETED' },
          page: { limit: 100 },
        });
        const seen = new Set(found.items.map((o: Json) => o.batchOperationKey));
        return keys.every((k) => seen.has(k));
      });
      for (const key of keys) {
        // An ended operation cannot be suspended: the partition's leader says so, wherever it is asked.
        const refused = await call(server, 'POST', `/v2/batch-operations/${key}/suspension`);
        assert.equal(refused.status, 409, refused.text);
        assert.match(refused.text, /has ended \(COMPLETED\)/);
      }
      const unknown = await call(server, 'POST', '/v2/batch-operations/4503599627370999/cancellation');
      assert.equal(unknown.status, 404, unknown.text);
      const none = await call(server, 'GET', '/v2/batch-operations/4503599627370999');
      assert.equal(none.status, 404, none.text);
    }
  });
});
