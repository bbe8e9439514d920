import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      const deployed = await fetch(`${server.url}/v2/deployments`, {
        method: 'POST',
        headers: { authorization: auth.authorization },
        body: deployment,
      });
      assert.equal(deployed.status, 200, await deployed.text());
      assert.equal(
        (await post(`${server.url}/v2/process-instances`, { processDefinitionId: 'chore' })).status,
        200,
      );
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

      for (const file of [db, `${db}-wal`, `${db}-shm`]) rmSync(file, { force: true });
      const refused = await post(`${server.url}/v2/process-instances`, { processDefinitionId: 'chore' });
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
      const topology = (await (await fetch(`${server.url}/v2/topology`, { headers: auth })).json()) as {
        brokers: { partitions: { health: string }[] }[];
      };
      assert.equal(topology.brokers[0]!.partitions[0]!.health, 'unhealthy');
    } finally {
      await server.stop();
    }
  });
  it('answers 503 naming a full disk at /readyz and for the refused creates, and 200 once space is freed', async (t) => {
    // The probes' side of packages/baton/src/fault-injection.test.ts, through `baton start`.
    const dir = join(mkdtempSync(join(tmpdir(), 'baton-full-')), 'mnt');
    mkdirSync(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
    } catch (error) {
      return t.skip(`cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); needs root`);
    }
    const unmount = () => execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    let server: Awaited<ReturnType<typeof startBaton>> | undefined;
    try {
      server = await startBaton(['--api-key', 'fault-key'], { db: join(dir, 'baton.db') });
      const deployment = new FormData();
      deployment.append('resources', new Blob([await oneTask('chore', 'chore')]), 'chore.bpmn');
      const deployed = await fetch(`${server.url}/v2/deployments`, {
        method: 'POST',
        headers: { authorization: auth.authorization },
        body: deployment,
      });
      assert.equal(deployed.status, 200, await deployed.text());
      let refused: Response | undefined;
      for (let i = 0; i < 500 && !refused; i++) {
        const created = await post(`${server.url}/v2/process-instances`, {
          processDefinitionId: 'chore',
          variables: { pad: randomBytes(16_000).toString('base64') },
        });
        if (created.status !== 200) refused = created;
        else await created.arrayBuffer();
      }
      assert.equal(refused?.status, 503, 'the 2 MB disk filled up');
      assert.match(await refused!.text(), /disk is full/);
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { store: { detail: string } };
      assert.match(body.store.detail, /the disk is full/);

      execFileSync('mount', ['-o', 'remount,size=64m', dir], { stdio: 'pipe' });
      const after = await post(`${server.url}/v2/process-instances`, { processDefinitionId: 'chore' });
      assert.equal(after.status, 200, await after.text());
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    } finally {
      await server?.stop();
      unmount();
    }
  });
});
