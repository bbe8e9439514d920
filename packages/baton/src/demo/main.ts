// `npm start`: Baton embedded on an SQLite file with a sample process deployed, its workers running, and an
// order placed every second, so a new user sees instances flow. Ctrl-C (SIGINT/SIGTERM) shuts down cleanly.
import { createEngine } from '../engine.js';
import { sampleOrder } from './sample-order.js';

const path = process.env.BATON_DB ?? 'baton.db';
const engine = await createEngine({ path });
const deployment = await engine.deploy(sampleOrder);
const { version } = deployment.processes[0]!;
const log = (message: string) => console.log(`${new Date().toISOString()}  ${message}`);
log(`Baton is running on ${engine.storage}; process 'order' version ${version} deployed. Ctrl-C stops it.`);

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
engine.createWorker({
  type: 'shipping',
  handler: async () => ({ trackingId: `T-${Math.floor(Math.random() * 1e6)}` }),
});

let orders = 0;
let delivered = 0;
engine.onRecords((records) => {
  for (const r of records) {
    if (
      r.valueType === 'PROCESS_INSTANCE' &&
      r.intent === 'ELEMENT_COMPLETED' &&
      r.value.elementId === 'delivered'
    )
      delivered++;
    if (r.valueType === 'INCIDENT' && r.intent === 'CREATED')
      log(`incident on '${r.value.elementId}': ${r.value.errorMessage}`);
  }
});
const placing = setInterval(() => {
  orders += 1;
  const total = Math.floor(Math.random() * 600);
  engine
    .createInstance('order', { orderId: orders, total })
    .then((i) =>
      log(
        `order ${orders} placed (total ${total}) as instance ${i.processInstanceKey}; ${delivered} delivered so far`,
      ),
    )
    .catch((error: Error) => log(`could not place order: ${error.message}`));
}, 1000);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(placing);
    log('shutting down: finishing in-flight work…');
    void engine.close().then(() => process.exit(0));
  });
}
