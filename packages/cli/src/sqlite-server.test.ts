import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threeTasks } from './test-models.js';
import { searchTotal, startBaton } from './test-server.js';
import { sdkClient } from './test-clients.js';

describe('baton start on a SQLite file: engine and read model in one file', { timeout: 120_000 }, () => {
  it('keeps the read model complete under load and across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sqlite-server-'));
    const db = join(dir, 'baton.db');
    try {
      let server = await startBaton(['--insecure-no-auth'], { db });
      let zeebe = sdkClient(server.port);
      await zeebe.deployResource({ process: Buffer.from(await threeTasks('load')), name: 'load.bpmn' });
      const workers = ['task-a', 'task-b', 'task-c'].map((taskType) =>
        zeebe.createWorker({ taskType, maxJobsToActivate: 32, taskHandler: (job) => job.complete({}) }),
      );
      const count = 300;
      await Promise.all(
        Array.from({ length: count }, (_, n) =>
          zeebe.createProcessInstanceWithResult({
            bpmnProcessId: 'load',
            variables: { n },
            requestTimeout: 60_000,
          }),
        ),
      );
      const search = (filter: Record<string, unknown>) =>
        searchTotal(server.url, 'process-instances', filter);
      assert.equal(
        await search({ processDefinitionId: 'load', state: 'COMPLETED' }),
        count,
        'every completed instance is searchable',
      );
      for (const worker of workers) await worker.close();
      await zeebe.close();
      assert.equal(await server.stop(), 0);

      // Started again on the same file: the read model resumes, nothing is lost or doubled.
      server = await startBaton(['--insecure-no-auth'], { db });
      zeebe = sdkClient(server.port);
      await zeebe.createProcessInstance({ bpmnProcessId: 'load', variables: { n: count } });
      let total = 0;
      for (let i = 0; i < 100 && total !== count + 1; i++) {
        total = await search({ processDefinitionId: 'load' });
        if (total !== count + 1) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(total, count + 1);
      assert.equal(await search({ processDefinitionId: 'load', state: 'ACTIVE' }), 1);
      await zeebe.close();
      assert.equal(await server.stop(), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
