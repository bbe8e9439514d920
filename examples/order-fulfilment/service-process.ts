// One service of the sample as an OS process of its own (`npm run sample -- --nats --processes`, processes.ts
// starts one per service): its own state, its own connections to NATS JetStream; the order and payment services
// each with a Baton engine of their own on a SQLite file. It prints "READY <json>" once on the bus (the
// checkout with its port, the order service with its REST API port), and stops cleanly on SIGTERM or SIGINT, or
// when its parent goes away.
//
// usage: service-process.ts <service> <ServiceProcessConfig as JSON>
import { join } from 'node:path';
import { createEngine } from '@baton-engine/baton';
import type { Bus } from '@baton-engine/connectors';
import { NatsBus } from '@baton-engine/connectors';
import { NO_AUTHENTICATION, startHttpGateway, v2Api } from '@baton-engine/gateway';
import { ReadModel } from '@baton-engine/read-model';
import { startBatonEngine } from './baton-engine.js';
import { cockpitDirectory } from './cockpit.js';
import type { ServiceName, ServiceProcessConfig } from './processes.js';
import { ServiceBus, whenConnected } from './service-bus.js';
import { CheckoutService } from './services/checkout.js';
import { InventoryService } from './services/inventory.js';
import { NotificationService } from './services/notification.js';
import { delayCarrier, ShippingService } from './services/shipping.js';

const [service, json] = process.argv.slice(2) as [ServiceName | undefined, string | undefined];
if (!service || !json) throw new Error('usage: service-process.ts <service> <config as JSON>');
const config = JSON.parse(json) as ServiceProcessConfig;

const buses: Bus[] = [];
const connect = (): Bus => {
  const bus = new NatsBus({ ...config.nats, name: `sample-${service}` });
  buses.push(bus);
  return bus;
};
const serviceBus = () => new ServiceBus(connect(), service);
const choreography = { fetchGoodsFirst: config.fetchGoodsFirst };
const closeBuses = async () => {
  await Promise.all(buses.map((bus) => bus.close()));
};
/** Stops the service cleanly: the bus services close their clients, the engines stop their connectors first. */
let stopService: () => Promise<void> = closeBuses;
let ready: Record<string, unknown> = {};

switch (service) {
  case 'order':
  case 'payment': {
    // Each engine on a file of its own; the order service's with its read model and the REST API and cockpit.
    const path = join(config.dir, `order-fulfilment-${service}.db`);
    const engine = await createEngine({ path });
    const baton = await startBatonEngine(engine, connect, {
      services: [service],
      // Engines sharing a bus need their own connectors source: the namespace of the ids they publish.
      source: service === 'order' ? 'order-service' : 'payment',
      fetchGoodsFirst: config.fetchGoodsFirst,
      sla: config.sla,
      cardUpdateTimeout: config.cardUpdateTimeout,
      chargeRetryBackoffMs: config.chargeRetryBackoffMs,
    });
    if (service === 'order') {
      const readModel = await ReadModel.attach(engine, { path });
      const webRoot = cockpitDirectory();
      const http = await startHttpGateway(engine, {
        host: '127.0.0.1',
        port: config.apiPort,
        auth: NO_AUTHENTICATION,
        readModel,
        webRoot,
        // The cockpit calls Camunda's REST API /v2 (and Baton's /baton/v1).
        plugins: [{ plugin: v2Api, prefix: '/v2' }],
      });
      ready = { apiPort: http.port, cockpit: webRoot !== undefined, path };
      stopService = async () => {
        await http.stop();
        await baton.stop();
        await engine.close();
        await readModel.close();
      };
    } else {
      ready = { path };
      stopService = async () => {
        await baton.stop();
        await engine.close();
      };
    }
    break;
  }
  case 'inventory':
    await InventoryService.start(serviceBus(), choreography);
    break;
  case 'shipping':
    await ShippingService.start(
      serviceBus(),
      delayCarrier(config.carrierDelayMs, Math.max(config.carrierDelayMs, 45_000)),
      choreography,
    );
    break;
  case 'notification':
    await NotificationService.start(serviceBus(), (line) => console.log(line));
    break;
  case 'checkout': {
    const checkout = await CheckoutService.start(serviceBus());
    const port = await checkout.listen(config.port, () => ({
      checkout: checkout.state(),
      // The other services' state is theirs, in their processes.
      services: {},
      cockpit: config.cockpit,
    }));
    stopService = async () => {
      await checkout.stop();
      await closeBuses();
    };
    ready = { port };
    break;
  }
  default:
    throw new Error(`unknown service '${String(service)}'`);
}
await Promise.all(buses.map((bus) => whenConnected(bus)));
process.stdout.write(`READY ${JSON.stringify(ready)}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    try {
      await stopService();
      process.exit(0);
    } catch (error) {
      console.error(`${service}: stopping failed: ${(error as Error).message}`);
      process.exit(1);
    }
  })();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// No orphans: when the parent goes away (even killed), so does this process.
process.on('disconnect', stop);
