import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startV2TestServer } from './test-server.js';
import { taskModels } from './task-test-models.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field */

describe('/v2 jobs, user tasks and decisions over several partitions', () => {
  it('activates jobs of every partition, routes task commands by key, keeps one row per decision', async () => {
    const server = await startV2TestServer({ engine: { partitions: 3 } });
    try {
      await server.engine.deploy(taskModels);
      const call = async (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) => {
        const res = await server.app.inject({ method, url, ...(payload ? { payload } : {}) });
        return { status: res.statusCode, body: res.body ? (res.json() as any) : undefined };
      };
      for (let i = 0; i < 6; i++) {
        await server.engine.createInstance('review');
        await server.engine.createInstance('payment');
      }
      const { body } = await call('POST', '/v2/jobs/activation', {
        type: 'charge',
        timeout: 60_000,
        maxJobsToActivate: 10,
        requestTimeout: -1,
      });
      assert.equal(body.jobs.length, 6, 'one job per instance, whichever partition has it');
      // A key carries its partition id above its low 51 bits (as Zeebe's keys do).
      const partitions = new Set(body.jobs.map((j: any) => BigInt(j.jobKey) >> 51n));
      assert.ok(partitions.size > 1, 'the instances were spread over the partitions');
      for (const job of body.jobs) {
        assert.equal((await call('POST', `/v2/jobs/${job.jobKey}/completion`)).status, 204);
      }
      await server.settled();
      const tasks = (await call('POST', '/v2/user-tasks/search', {})).body.items;
      assert.equal(tasks.length, 6);
      for (const task of tasks) {
        const key = task.userTaskKey;
        assert.equal(
          (await call('PATCH', `/v2/user-tasks/${key}`, { changeset: { priority: 1 } })).status,
          204,
        );
        assert.equal((await call('GET', `/v2/user-tasks/${key}/form`)).status, 200);
        assert.equal((await call('POST', `/v2/user-tasks/${key}/completion`)).status, 204);
      }
      const definitions = (await call('POST', '/v2/decision-definitions/search', {})).body.items;
      assert.equal(definitions.length, 2, 'a decision deployed to every partition is one definition');
      const discount = definitions.find((d: any) => d.decisionDefinitionId === 'discount');
      for (const by of [
        { decisionDefinitionId: 'discount' },
        { decisionDefinitionKey: discount.decisionDefinitionKey },
      ]) {
        const evaluation = await call('POST', '/v2/decision-definitions/evaluation', {
          ...by,
          variables: { total: 1 },
        });
        assert.equal(evaluation.status, 200);
        assert.equal(evaluation.body.output, '0');
      }
      await server.settled();
      assert.equal((await call('POST', '/v2/decision-instances/search', {})).body.page.totalItems, 4);
      assert.equal((await call('POST', '/v2/decision-requirements/search', {})).body.items.length, 1);
    } finally {
      await server.close();
    }
  });
});
