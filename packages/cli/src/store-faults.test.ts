import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneTask } from './test-models.js';
import { startBaton } from './test-server.js';

// What an operator sees when the SQLite file goes wrong under `baton start` (issue 14, items 5 and 6).

const auth = { authorization: 'Bearer fault-key', 'content-type': 'application/json' };
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: auth, body: JSON.stringify(body) });

describe('baton start and its SQLite file', { timeout: 120_000 }, () => {
  it('refuses a second server on the same file, naming the one that holds it', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'baton-lock-')), 'baton.db');
    const first = await startBaton(['--insecure-no-auth'], { db });
    try {
      await assert.rejects(startBaton(['--insecure-no-auth'], { db }), (error: Error) => {
        assert.match(error.message, new RegExp(`in use by process ${first.process.pid} `));
        assert.match(error.message, /exited with 1/);
        return true;
      });
    } finally {
      assert.equal(await first.stop(), 0);
    }
  });

  it('refuses an empty file instead of starting an empty engine', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'baton-empty-')), 'baton.db');
    writeFileSync(db, '');
    await assert.rejects(startBaton(['--insecure-no-auth'], { db }), /is an empty file \(0 bytes\)/);
  });

  it('stops taking writes when its files are removed, and its probes say why', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'baton-removed-')), 'baton.db');
    const server = await startBaton(['--api-key', 'fault-key'], { db });
    try {
      const deployment = new FormData();
      deployment.append('resources', new Blob([await oneTask('chore', 'chore')]), 'chore.bpmn');
      const deployed = await fetch(`${server.url}/v1/deployments`, {
        method: 'POST',
        headers: { authorization: auth.authorization },
        body: deployment,
      });
      assert.equal(deployed.status, 200, await deployed.text());
      assert.equal(
        (await post(`${server.url}/v1/process-instances`, { bpmnProcessId: 'chore' })).status,
        201,
      );
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

      for (const file of [db, `${db}-wal`, `${db}-shm`]) rmSync(file, { force: true });
      const refused = await post(`${server.url}/v1/process-instances`, { bpmnProcessId: 'chore' });
      assert.equal(refused.status, 503, 'a create after the file is gone is not acknowledged');
      assert.match(await refused.text(), /baton\.db was removed while the engine had it open/);

      for (const probe of ['/readyz', '/healthz', '/healthz/']) {
        const answer = await fetch(`${server.url}${probe}`); // no credentials: probes are public
        assert.equal(answer.status, 503, probe);
        const body = (await answer.json()) as { status: string; store: { detail: string } };
        assert.equal(body.status, 'DOWN');
        assert.match(body.store.detail, /removed/);
      }
      assert.equal((await fetch(`${server.url}/livez`)).status, 200, 'the process itself is alive');
      const topology = (await (await fetch(`${server.url}/v1/topology`, { headers: auth })).json()) as {
        partitions: { health: string }[];
      };
      assert.equal(topology.partitions[0]!.health, 'UNHEALTHY');
    } finally {
      await server.stop();
    }
  });
});
