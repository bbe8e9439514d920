import { readFileSync } from 'node:fs';
import type { Engine } from '@baton-engine/baton';

/**
 * The sample process `baton start --demo` deploys (packages/cli/samples/order.bpmn, drawn with a diagram so
 * that it opens in Camunda Modeler): pay, then on "paid" fetch goods and write the invoice in parallel, then
 * ship; unpaid orders end as cancelled.
 */
export function sampleOrderXml(): string {
  // samples/ sits next to src/ and dist/, so the same relative path works from sources and from the build.
  return readFileSync(new URL('../samples/order.bpmn', import.meta.url), 'utf8');
}

/**
 * In-process workers for the sample, and an order placed every two seconds so that instances flow. Order
 * numbers go on from `placedBefore` (the orders an earlier run of the demo placed in the same file).
 */
export function startDemoWorkers(engine: Engine, log: (message: string) => void, placedBefore = 0): void {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  engine.createWorker<{ total: number }>({
    type: 'payment',
    handler: async (job) => {
      await pause(50);
      if (Math.random() < 0.1) throw new Error('payment provider timed out'); // retried by the engine
      return { paid: job.variables.total < 500 };
    },
  });
  engine.createWorker({ type: 'inventory', handler: async () => void (await pause(30)) });
  // About one order in ten lacks an address: its shipping job fails until retries run out (an incident). In the
  // cockpit, set the variable `address` on the instance and press Retry, and the order ships.
  engine.createWorker<{ orderId: number; address?: string }>({
    type: 'shipping',
    handler: (job) => {
      if (!job.variables.address)
        throw new Error(`order ${job.variables.orderId} has no shipping address: set "address" and retry`);
      return { trackingId: `T-${Math.floor(Math.random() * 1e6)}` };
    },
  });
  let orders = placedBefore;
  const timer = setInterval(() => {
    orders += 1;
    const orderId = orders;
    const total = Math.floor(Math.random() * 600);
    const address = Math.random() < 0.1 ? undefined : `${orderId} Main Street`;
    engine
      .createInstance('order', { orderId, total, ...(address ? { address } : {}) })
      .then((i) => log(`order ${orderId} placed (total ${total}) as instance ${i.processInstanceKey}`))
      .catch((error: Error) => log(`could not place an order: ${error.message}`));
  }, 2000);
  timer.unref();
}
