import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBaton } from './test-server.js';

interface Page {
  readonly total: number;
}

describe('the README run line: baton start --demo --insecure-no-auth', { timeout: 60_000 }, () => {
  it('deploys the sample, places orders that complete, and serves the cockpit and its API', async () => {
    const server = await startBaton(['--demo', '--insecure-no-auth']);
    try {
      const definitions = (await (await fetch(`${server.url}/v1/process-definitions`)).json()) as {
        items: { bpmnProcessId: string }[];
      };
      assert.deepEqual(
        definitions.items.map((d) => d.bpmnProcessId),
        ['order'],
      );
      const completed = async () =>
        ((await (await fetch(`${server.url}/v1/process-instances?state=COMPLETED`)).json()) as Page).total;
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
});
