import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createProcess } from '@baton-engine/baton';
import { hasStatus, items, orchestrationClient, readNow, resourceFile, until } from './test-clients.js';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

/**
 * Issue 18's batch operations against `baton start`, driven by `@camunda8/orchestration-cluster-api` (8.8)
 * with fanatical response validation: a cancellation batch over 30 instances, polled to COMPLETED, its items
 * searched, and the refusals of an ended operation.
 */
const client = { clientId: 'batch-app', clientSecret: 'batch-s3cret' };
const INSTANCES = 30;

describe(
  '@camunda8/orchestration-cluster-api batch operations against baton start',
  { timeout: 180_000 },
  () => {
    let server: TestServer;
    let camunda: CamundaClient;

    before(async () => {
      const db = join(mkdtempSync(join(tmpdir(), 'baton-rest-batch-')), 'baton.db');
      server = await startBaton(['--oauth-client', `${client.clientId}:${client.clientSecret}`], { db });
      camunda = orchestrationClient(server.url, { url: `${server.url}/oauth/token`, ...client });
      const xml = await createProcess('batch-wait').startEvent().userTask('review').endEvent().done().toXml();
      await camunda.createDeployment({ resources: [resourceFile(xml, 'batch-wait.bpmn')] });
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0, 'baton start stops cleanly on SIGTERM');
    });

    it(`cancels ${INSTANCES} instances in one batch operation, polled to COMPLETED`, async () => {
      const keys = new Set<string>();
      for (let i = 0; i < INSTANCES; i++)
        keys.add(
          (await camunda.createProcessInstance({ processDefinitionId: 'batch-wait' as never }))
            .processInstanceKey as string,
        );
      const filter = { processDefinitionId: 'batch-wait', state: 'ACTIVE' } as const;
      await camunda.searchProcessInstances({ filter, page: { limit: 100 } }, until(items(INSTANCES)));

      const created = await camunda.cancelProcessInstancesBatchOperation({ filter }, readNow);
      assert.equal(created.batchOperationType, 'CANCEL_PROCESS_INSTANCE');
      const key = created.batchOperationKey!;
      const operation = await camunda.getBatchOperation(
        { batchOperationKey: key },
        {
          consistency: { waitUpToMs: 60_000, pollIntervalMs: 50, predicate: (o) => o.state === 'COMPLETED' },
        },
      );
      assert.equal(operation.batchOperationType, 'CANCEL_PROCESS_INSTANCE');
      assert.equal(operation.operationsTotalCount, INSTANCES);
      assert.equal(operation.operationsCompletedCount, INSTANCES);
      assert.equal(operation.operationsFailedCount, 0);
      assert.ok(operation.startDate && operation.endDate);

      const found = await camunda.searchBatchOperationItems(
        { filter: { batchOperationKey: key, state: 'COMPLETED' }, page: { limit: 100 } },
        until(items(INSTANCES)),
      );
      assert.deepEqual(new Set(found.items!.map((i) => i.processInstanceKey as string)), keys);
      assert.ok(found.items!.every((i) => i.operationType === 'CANCEL_PROCESS_INSTANCE' && i.processedDate));
      const terminated = await camunda.searchProcessInstances(
        { filter: { processDefinitionId: 'batch-wait', state: 'TERMINATED' }, page: { limit: 100 } },
        until(items(INSTANCES)),
      );
      assert.equal(terminated.page!.totalItems, INSTANCES);

      const listed = await camunda.searchBatchOperations(
        { filter: { operationType: 'CANCEL_PROCESS_INSTANCE', state: 'COMPLETED' } },
        readNow,
      );
      assert.deepEqual(
        listed.items!.map((o) => o.batchOperationKey),
        [key],
      );
      // An ended operation can be neither suspended, resumed nor cancelled.
      await assert.rejects(
        camunda.suspendBatchOperation({ batchOperationKey: key }, readNow),
        hasStatus(409),
      );
      await assert.rejects(camunda.resumeBatchOperation({ batchOperationKey: key }, readNow), hasStatus(409));
      await assert.rejects(camunda.cancelBatchOperation({ batchOperationKey: key }, readNow), hasStatus(409));
    });

    it('answers an unknown batch operation key with 404', async () => {
      await assert.rejects(
        camunda.getBatchOperation({ batchOperationKey: '4242' as never }, readNow),
        hasStatus(404),
      );
    });
  },
);
