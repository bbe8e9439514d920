// `npm run sample`: the order-fulfilment sample on one machine (README.md in this directory).
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '@baton-engine/baton';
import type { Bus } from '@baton-engine/connectors';
import { MemoryBroker, NatsBus } from '@baton-engine/connectors';
import { NO_AUTHENTICATION, startHttpGateway, v2Api } from '@baton-engine/gateway';
import { ReadModel } from '@baton-engine/read-model';
import { CUSTOMERS } from './catalogue.js';
import { cockpitDirectory } from './cockpit.js';
import { startServiceProcesses } from './processes.js';
import { startSample } from './sample.js';
import { delayCarrier } from './services/shipping.js';

const { values: flags } = parseArgs({
  options: {
    nats: { type: 'boolean', default: false },
    'nats-url': { type: 'string', default: 'nats://127.0.0.1:4222' },
    'nats-stream': { type: 'string', default: 'BATON_SAMPLE' },
    'nats-prefix': { type: 'string', default: 'sample.' },
    processes: { type: 'boolean', default: false },
    dir: { type: 'string', default: '.baton' },
    'card-update-timeout': { type: 'string' },
    'carrier-delay': { type: 'string', default: '3000' },
    'fetch-first': { type: 'boolean', default: false },
    port: { type: 'string', default: '8088' },
    'api-port': { type: 'string', default: '8080' },
    sla: { type: 'string', default: 'PT30S' },
    'charge-backoff': { type: 'string', default: '10000' },
    'demo-orders': { type: 'boolean', default: true },
    'no-demo-orders': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`npm run sample -- [options]
  --nats              run on NATS JetStream instead of the in-process bus
  --nats-url <url>    where NATS is (default nats://127.0.0.1:4222)
  --nats-stream <name>   the JetStream stream (default BATON_SAMPLE)
  --nats-prefix <p>   put in front of every subject (default sample.)
  --processes         with --nats: every service an OS process of its own (the order and payment services each
                      with its own engine on SQLite in --dir)
  --dir <path>        where the engines keep their SQLite files (default .baton)
  --fetch-first       fetch goods before payment (the orchestrated model and three services change)
  --port <n>          the checkout page (default 8088)
  --api-port <n>      Baton's REST API and cockpit (default 8080)
  --sla <duration>    how long a choreographed order may take (default PT30S)
  --card-update-timeout <duration>  how long the payment flow waits for a new card (default P14D)
  --carrier-delay <ms>  how long the carrier takes (default 3000; bulky goods 45 s)
  --charge-backoff <ms>  wait between attempts to charge a card that failed transiently (default 10000 here,
                      10 minutes in production: the model's 30 retries then span five hours)
  --no-demo-orders    do not place a few orders at start`);
  process.exit(0);
}
const onNats = flags.nats;
const natsUrl = flags['nats-url'];
const nats = { servers: natsUrl, stream: flags['nats-stream'], subjectPrefix: flags['nats-prefix'] };
const demoOrders = flags['demo-orders'] && !flags['no-demo-orders'];
const demo = () =>
  CUSTOMERS.flatMap((customer, i) =>
    (['orchestrated', 'choreographed'] as const).map((mode) => ({
      customerId: customer.id,
      items: [{ sku: i === 0 ? 'baton' : 'stand', quantity: 1 }],
      mode,
    })),
  );

// The engines' logs live in .baton/. The in-process bus forgets its messages when the process ends, so that
// run starts afresh; on NATS the bus keeps them and the engines resume where they stopped.
const dir = resolve(flags.dir);
mkdirSync(dir, { recursive: true });

if (flags.processes) {
  if (!onNats) {
    console.error('--processes needs --nats: the services talk over NATS JetStream');
    process.exit(2);
  }
  await runInProcesses();
} else {
  await runInOneProcess();
}

/** Every service an OS process of its own (processes.ts, service-process.ts); this one only watches them. */
async function runInProcesses(): Promise<void> {
  const services = await startServiceProcesses({
    nats,
    dir,
    fetchGoodsFirst: flags['fetch-first'],
    sla: flags.sla,
    chargeRetryBackoffMs: Number(flags['charge-backoff']),
    cardUpdateTimeout: flags['card-update-timeout'],
    carrierDelayMs: Number(flags['carrier-delay']),
    port: Number(flags.port),
    apiPort: Number(flags['api-port']),
  });
  console.log(`
Baton order-fulfilment sample (NATS JetStream at ${natsUrl}, stream ${nats.stream}, one process per service${flags['fetch-first'] ? ', goods fetched before payment' : ''})
  checkout page   http://127.0.0.1:${services.checkoutPort}/
  Baton cockpit   ${services.cockpit ? `http://127.0.0.1:${services.apiPort}/` : '(not built: npm run build -w @baton-engine/cockpit)'}
  REST API        http://127.0.0.1:${services.apiPort}/v2 (e.g. POST /v2/process-instances/search)
  engine logs     ${join(dir, 'order-fulfilment-order.db')}, ${join(dir, 'order-fulfilment-payment.db')}
Ctrl-C stops them all.
SAMPLE READY ${JSON.stringify({ checkoutPort: services.checkoutPort, apiPort: services.apiPort })}
`);
  if (demoOrders) {
    for (const order of demo()) {
      await fetch(`http://127.0.0.1:${services.checkoutPort}/api/orders`, {
        method: 'POST',
        body: JSON.stringify(order),
      });
    }
  }
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    const codes = await services.stop();
    for (const [service, how] of Object.entries(codes)) console.log(`EXIT ${service} ${how}`);
    process.exit(Object.values(codes).every((how) => how === 0) ? code : 1);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // One service gone: stop the others too, and say so.
  void services.unexpectedExit.then(() => stop(1));
}

async function runInOneProcess(): Promise<void> {
  const path = join(dir, onNats ? 'order-fulfilment-nats.db' : 'order-fulfilment.db');
  if (!onNats) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

  const engine = await createEngine({ path });
  const readModel = await ReadModel.attach(engine, { path });
  const webRoot = cockpitDirectory();
  const http = await startHttpGateway(engine, {
    host: '127.0.0.1',
    port: Number(flags['api-port']),
    auth: NO_AUTHENTICATION,
    readModel,
    webRoot,
    // The cockpit calls Camunda's REST API /v2 (and Baton's /baton/v1).
    plugins: [{ plugin: v2Api, prefix: '/v2' }],
  });

  const broker = onNats ? undefined : new MemoryBroker();
  const connect = (): Bus => (broker ? broker.connect() : new NatsBus(nats));
  const sample = await startSample(engine, connect, {
    fetchGoodsFirst: flags['fetch-first'],
    sla: flags.sla,
    chargeRetryBackoffMs: Number(flags['charge-backoff']),
    cardUpdateTimeout: flags['card-update-timeout'],
    carrier: delayCarrier(Number(flags['carrier-delay']), 45_000),
    print: (line) => console.log(line),
  });

  const port = await sample.checkout.listen(Number(flags.port), () => ({
    ...sample.state(),
    cockpit: webRoot ? `http://127.0.0.1:${http.port}/` : undefined,
  }));
  console.log(`
Baton order-fulfilment sample (${onNats ? `NATS JetStream at ${natsUrl}` : 'in-process bus'}${flags['fetch-first'] ? ', goods fetched before payment' : ''})
  checkout page   http://127.0.0.1:${port}/
  Baton cockpit   ${webRoot ? `http://127.0.0.1:${http.port}/` : '(not built: npm run build -w @baton-engine/cockpit)'}
  REST API        http://127.0.0.1:${http.port}/v2 (e.g. POST /v2/process-instances/search)
  engine log      ${path}
Ctrl-C stops it.
`);

  if (demoOrders) {
    for (const order of demo()) await sample.checkout.placeOrder(order.customerId, order.items, order.mode);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('stopping…');
    await sample.stop();
    await http.stop();
    await engine.close();
    await readModel.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
