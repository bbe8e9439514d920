// `npm run sample`: the order-fulfilment sample on one machine (README.md in this directory).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from 'baton';
import type { Bus } from '@baton/connectors';
import { MemoryBroker, NatsBus } from '@baton/connectors';
import { NO_AUTHENTICATION, startHttpGateway } from '@baton/gateway';
import { ReadModel } from '@baton/read-model';
import { CUSTOMERS } from './catalogue.js';
import { startSample } from './sample.js';

const { values: flags } = parseArgs({
  options: {
    nats: { type: 'boolean', default: false },
    'nats-url': { type: 'string', default: 'nats://127.0.0.1:4222' },
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
  --fetch-first       fetch goods before payment (the orchestrated model and three services change)
  --port <n>          the checkout page (default 8088)
  --api-port <n>      Baton's REST API and cockpit (default 8080)
  --sla <duration>    how long a choreographed order may take (default PT30S)
  --charge-backoff <ms>  wait between attempts to charge a card that failed transiently (default 10000 here,
                      10 minutes in production: the model's 30 retries then span five hours)
  --no-demo-orders    do not place a few orders at start`);
  process.exit(0);
}
const onNats = flags.nats;
const natsUrl = flags['nats-url'];

// The engine's log lives in .baton/. The in-process bus forgets its messages when the process ends, so that
// run starts afresh; on NATS the bus keeps them and the engine resumes where it stopped.
const dir = join(process.cwd(), '.baton');
mkdirSync(dir, { recursive: true });
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
});

const broker = onNats ? undefined : new MemoryBroker();
const connect = (): Bus =>
  broker
    ? broker.connect()
    : new NatsBus({ servers: natsUrl, stream: 'BATON_SAMPLE', subjectPrefix: 'sample.' });
const sample = await startSample(engine, connect, {
  fetchGoodsFirst: flags['fetch-first'],
  sla: flags.sla,
  chargeRetryBackoffMs: Number(flags['charge-backoff']),
  print: (line) => console.log(line),
});

const port = await sample.checkout.listen(Number(flags.port), () => ({
  ...sample.state(),
  cockpit: webRoot ? `http://127.0.0.1:${http.port}/` : undefined,
}));
console.log(`
Baton order-fulfilment sample (${onNats ? `NATS JetStream at ${natsUrl}` : 'in-process bus'}${flags['fetch-first'] ? ', goods fetched before payment' : ''})
  checkout page   http://127.0.0.1:${port}/
  Baton cockpit   ${webRoot ? `http://127.0.0.1:${http.port}/` : '(not built: npm run build -w @baton/cockpit)'}
  REST API        http://127.0.0.1:${http.port}/v1/process-instances
  engine log      ${path}
Ctrl-C stops it.
`);

if (flags['demo-orders'] && !flags['no-demo-orders']) {
  for (const [i, customer] of CUSTOMERS.entries()) {
    for (const mode of ['orchestrated', 'choreographed'] as const) {
      await sample.checkout.placeOrder(
        customer.id,
        [{ sku: i === 0 ? 'baton' : 'stand', quantity: 1 }],
        mode,
      );
    }
  }
}

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  console.log('stopping…');
  await sample.stop();
  await http.stop();
  await engine.close();
  readModel.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

/** The cockpit's built files, when they have been built (as `baton start` finds them). */
function cockpitDirectory(): string | undefined {
  try {
    const root = join(dirname(createRequire(import.meta.url).resolve('@baton/cockpit/package.json')), 'dist');
    return existsSync(join(root, 'index.html')) ? root : undefined;
  } catch {
    return undefined;
  }
}
