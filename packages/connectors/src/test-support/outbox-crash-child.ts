// A Baton process with outbound connectors that kills itself (SIGKILL) right after the broker confirmed the
// N-th message, before the engine completed its job. Prints "ACK <instance key>" for every acknowledged
// instance creation and "PUBLISHED <message id>" for every confirmed publish. Used by outbox-crash.test.ts.
import { createEngine } from '@baton-engine/baton';
import type { Bus } from '../bus/bus.js';
import { AmqpBus } from '../bus/amqp-bus.js';
import { NatsBus } from '../bus/nats-bus.js';
import { startConnectors } from '../connectors.js';
import { silentLog } from '../log.js';
import { announceOrder } from './models.js';
import { wrapBus } from './wrap-bus.js';

const [path, kind, busOptions, crashAfter] = process.argv.slice(2);
if (!path || !kind || !busOptions || !crashAfter)
  throw new Error('usage: outbox-crash-child <db> <nats|amqp> <options> <n>');
const inner: Bus =
  kind === 'nats' ? new NatsBus(JSON.parse(busOptions)) : new AmqpBus(JSON.parse(busOptions));
let confirmed = 0;
const bus = wrapBus(inner, async (subject, message, next) => {
  await next(subject, message);
  process.stdout.write(`PUBLISHED ${message.id}\n`);
  // Published and confirmed, not yet completed in the engine: the worst moment to die.
  if (++confirmed === Number(crashAfter)) process.kill(process.pid, 'SIGKILL');
});

const engine = await createEngine({ path, snapshotEveryRecords: 1e9 });
await engine.deploy(announceOrder());
await startConnectors(
  engine,
  {
    bus: { kind: 'memory' },
    source: 'crash-test',
    outbound: { jobTimeout: 2_000, maxJobsActive: 8 },
    modelSubscriptions: false,
  },
  { bus, log: silentLog },
);
const inFlight = new Set<Promise<void>>();
for (let i = 0; ; i++) {
  const creation: Promise<void> = engine
    .createInstance('announce-order', { orderId: `o-${i}`, total: i, traceId: `t-${i}` })
    .then((instance) => void process.stdout.write(`ACK ${instance.processInstanceKey}\n`))
    .catch(() => undefined)
    .finally(() => inFlight.delete(creation));
  inFlight.add(creation);
  if (inFlight.size >= 20) await Promise.race(inFlight);
}
