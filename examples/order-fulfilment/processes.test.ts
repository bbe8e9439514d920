// `npm run sample -- --nats --processes`: every service an OS process of its own on NATS JetStream (127.0.0.1:4222;
// a fresh stream and subject prefix, deleted afterwards). Orders placed through the checkout's HTTP API end as
// the in-process sample ends them, and SIGTERM stops every child cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { natsNamespace, requireBroker } from '@baton-engine/connectors/test-support';
import type { OrderView } from './services/checkout.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('order fulfilment, one process per service (NATS JetStream)', () => {
  it('places orders through the checkout, they end per customer, and SIGTERM stops every child with 0', async (t) => {
    await requireBroker('nats');
    const namespace = natsNamespace();
    const dir = mkdtempSync(join(tmpdir(), 'baton-processes-'));
    const child = spawn(
      process.execPath,
      [
        '--conditions=baton-src',
        '--import',
        'tsx',
        main,
        '--nats',
        '--processes',
        '--nats-stream',
        namespace.options.stream!,
        '--nats-prefix',
        namespace.options.subjectPrefix!,
        '--dir',
        dir,
        '--port',
        '0',
        '--api-port',
        '0',
        '--no-demo-orders',
        '--charge-backoff',
        '200',
        '--card-update-timeout',
        'PT2S',
        '--carrier-delay',
        '100',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    const output: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    const ready = new Promise<{ checkoutPort: number; apiPort: number }>((resolve, reject) => {
      void exited.then((how) =>
        reject(new Error(`the sample exited (${how}) before it was ready\n${stderr}`)),
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        if (line.startsWith('SAMPLE READY ')) resolve(JSON.parse(line.slice(13)));
      });
    });
    t.after(async () => {
      // After a failure: SIGTERM stops the children; SIGKILL leaves none (they stop when their parent is gone).
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await namespace.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const { checkoutPort, apiPort } = await ready;
    const checkout = `http://127.0.0.1:${checkoutPort}`;
    const place = async (customerId: string, mode: string): Promise<OrderView> => {
      const response = await fetch(`${checkout}/api/orders`, {
        method: 'POST',
        body: JSON.stringify({ customerId, mode, items: [{ sku: 'baton', quantity: 1 }] }),
      });
      assert.equal(response.status, 201);
      return (await response.json()) as OrderView;
    };
    const expected: Record<string, Record<string, string>> = {
      orchestrated: { alice: 'completed', carol: 'completed', bob: 'cancelled: payment failed' },
      choreographed: { alice: 'shipped', carol: 'shipped', bob: 'payment failed' },
    };
    const placed: OrderView[] = [];
    for (const mode of ['orchestrated', 'choreographed']) {
      for (const customerId of ['alice', 'carol', 'bob']) placed.push(await place(customerId, mode));
    }

    let orders: OrderView[] = [];
    // Six orders across six processes: generous for a loaded 2-core CI machine; it ends as soon as they are done.
    const end = Date.now() + 45_000;
    for (;;) {
      const state = (await (await fetch(`${checkout}/api/state`)).json()) as {
        checkout: { orders: OrderView[] };
      };
      orders = state.checkout.orders;
      if (orders.length === placed.length && orders.every((o) => o.done)) break;
      if (Date.now() > end) {
        assert.fail(`orders not done in time: ${JSON.stringify(orders.map((o) => [o.orderId, o.status]))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const order of orders) {
      assert.equal(
        order.status,
        expected[order.mode]![order.customerId],
        `${order.orderId} (${order.customerId}, ${order.mode})`,
      );
    }
    // The order service's engine serves the REST API /v2 (what the cockpit calls) with its read model.
    const api = await fetch(`http://127.0.0.1:${apiPort}/v2/process-instances/search`, { method: 'POST' });
    assert.equal(api.status, 200, await api.clone().text());
    const found = (await api.json()) as { page: { totalItems: number } };
    assert.ok(found.page.totalItems > 0, 'the orders are in the read model');

    child.kill('SIGTERM');
    assert.equal(await exited, 0, `the sample's exit\n${stderr}`);
    const exits = Object.fromEntries(
      output.filter((line) => line.startsWith('EXIT ')).map((line) => line.split(' ').slice(1)),
    );
    assert.deepEqual(exits, {
      order: '0',
      payment: '0',
      inventory: '0',
      shipping: '0',
      notification: '0',
      checkout: '0',
    });
  });
});
