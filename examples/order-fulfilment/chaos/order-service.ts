// The order service of the chaos test (chaos.test.ts) as a process of its own: its Baton engine on a SQLite file
// (with the read model in it) runs the order and tracking flows, with connectors on NATS JetStream. The test kills it with SIGKILL mid-flow
// and starts it again on the same file. It prints "READY" once on the bus, "STATS <json>" every 500 ms, and on
// SIGTERM a last STATS line before it stops cleanly.
//
// usage: order-service.ts <db file> <NatsBusOptions as JSON> <seed> <share of acks lost>
import { createEngine } from '@baton-engine/baton';
import type { ConnectorLog } from '@baton-engine/connectors';
import { NatsBus } from '@baton-engine/connectors';
import { ReadModel } from '@baton-engine/read-model';
import { startBatonEngine } from '../baton-engine.js';
import { LossyBus, seededRandom } from './lossy-bus.js';

const [path, natsOptions, seed, ackLoss] = process.argv.slice(2);
if (!path || !natsOptions || !seed || !ackLoss) {
  throw new Error('usage: order-service.ts <db> <nats options> <seed> <ack loss>');
}

const random = seededRandom(Number(seed));
const buses: LossyBus[] = [];
const connect = () => {
  const bus = new LossyBus(new NatsBus(JSON.parse(natsOptions)), random, Number(ackLoss));
  buses.push(bus);
  return bus;
};
// Warnings (messages given back while the engine is busy …) are expected under chaos: counted, errors printed.
const warnings = { count: 0 };
const log: ConnectorLog = {
  info: () => undefined,
  warn: () => void warnings.count++,
  error: (fields, message) => console.error(`order-service: ${message} ${JSON.stringify(fields)}`),
};

const engine = await createEngine({ path });
// The read side in the same file, as `npm run sample` keeps it: the test reads the instances from it at the end.
const readModel = await ReadModel.attach(engine, { path });
const baton = await startBatonEngine(engine, connect, {
  services: ['order'],
  source: 'order-service',
  sla: 'PT1H',
  outboundJobTimeout: 5_000,
  connectorLog: log,
});

const stats = () => {
  const counts = engine.stats().partitions[0]!;
  return JSON.stringify({
    running: counts.elementInstances,
    jobs: counts.jobs,
    incidents: counts.openIncidents,
    lostAcks: buses.reduce((n, b) => n + b.lostAcks, 0),
    warnings: warnings.count,
    metrics: baton.connectors.metrics.snapshot(),
  });
};
process.stdout.write('READY\n');
const timer = setInterval(() => process.stdout.write(`STATS ${stats()}\n`), 500);

process.on('SIGTERM', () => {
  clearInterval(timer);
  void (async () => {
    await engine.flush();
    process.stdout.write(`STATS ${stats()}\n`);
    await baton.stop();
    await engine.close();
    await readModel.close();
    process.exit(0);
  })();
});
