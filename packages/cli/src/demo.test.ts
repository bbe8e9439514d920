import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { searchTotal, startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

/** Waits until the server's output has `count` lines saying an order was placed; returns their numbers. */
async function ordersPlaced(server: TestServer, count: number): Promise<number[]> {
  const placed = () => [...server.output().matchAll(/order (\d+) placed/g)].map((m) => Number(m[1]));
  const deadline = Date.now() + 20_000;
  while (placed().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(placed().length >= count, `expected ${count} orders placed:\n${server.output()}`);
  return placed();
}

describe('the README run line: baton start --demo --insecure-no-auth', { timeout: 90_000 }, () => {
  it('deploys the sample, places orders that complete, and serves the cockpit and its API', async () => {
    const server = await startBaton(['--demo', '--insecure-no-auth']);
    try {
      const definitions = (await (
        await fetch(`${server.url}/v2/process-definitions/search`, { method: 'POST' })
      ).json()) as { items: { processDefinitionId: string }[] };
      assert.deepEqual(
        definitions.items.map((d) => d.processDefinitionId),
        ['order'],
      );
      const completed = () => searchTotal(server.url, 'process-instances', { state: 'COMPLETED' });
      const deadline = Date.now() + 30_000;
      while ((await completed()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok((await completed()) > 0, 'orders flow through the sample process');
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      assert.match(
        await page.text(),
        /<title>Baton Cockpit<\/title>/,
        'the cockpit (built by npm run build)',
      );
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('goes on numbering its orders after a restart on the same file', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'baton-demo-')), 'baton.db');
    const first = await startBaton(['--demo', '--insecure-no-auth'], { db });
    let before: number[];
    try {
      before = await ordersPlaced(first, 2);
    } finally {
      assert.equal(await first.stop(), 0);
    }
    const second = await startBaton(['--demo', '--insecure-no-auth'], { db });
    try {
      const after = await ordersPlaced(second, 1);
      assert.ok(
        after[0]! > Math.max(...before),
        `orders after the restart (${after.join(', ')}) follow those before (${before.join(', ')})`,
      );
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});

describe('baton start on a port in use', { timeout: 60_000 }, () => {
  it('names the port and the flag that changes it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      for (const flag of ['--grpc-port', '--http-port']) {
        await assert.rejects(startBaton(['--insecure-no-auth', flag, String(port)]), (error: Error) => {
          assert.match(error.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
          assert.match(error.message, new RegExp(`choose another port with ${flag}`));
          assert.match(error.message, /exited with 1/);
          return true;
        });
      }
    } finally {
      taken.close();
    }
  });
});
