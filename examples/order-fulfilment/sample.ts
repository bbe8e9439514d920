import type { Engine } from '@baton-engine/baton';
import type { Bus, ConnectorLog, RunningConnectors } from '@baton-engine/connectors';
import { startBatonEngine } from './baton-engine.js';
import { ServiceBus, whenConnected } from './service-bus.js';
import { CheckoutService } from './services/checkout.js';
import { InventoryService } from './services/inventory.js';
import { NotificationService } from './services/notification.js';
import type { PaymentService } from './services/payment.js';
import type { Carrier } from './services/shipping.js';
import { delayCarrier, ShippingService } from './services/shipping.js';

export interface SampleOptions {
  /** "Fetch goods before payment": one model change in the orchestration, three services in the choreography. */
  readonly fetchGoodsFirst?: boolean;
  /** How long a choreographed order may take until shipped before the tracking flow raises an incident. */
  readonly sla?: string;
  /** The shipping service's carrier (default: 3 s, bulky goods 45 s). */
  readonly carrier?: Carrier;
  /** Back-off between attempts to charge a card that failed transiently (default 10 minutes). */
  readonly chargeRetryBackoffMs?: number;
  /** How long the payment flow waits for a new card (default 14 days). */
  readonly cardUpdateTimeout?: string;
  /** Lines for a person watching (notifications, connector events). */
  readonly print?: (line: string) => void;
  readonly connectorLog?: ConnectorLog;
}

/** The running sample: each service with its own state, and the connectors of the Baton engine. */
export interface Sample {
  readonly checkout: CheckoutService;
  readonly payment: PaymentService;
  readonly inventory: InventoryService;
  readonly shipping: ShippingService;
  readonly notification: NotificationService;
  readonly connectors: RunningConnectors;
  /** Everything the checkout page shows. */
  state(): Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * Deploys the order, payment and tracking flows to the engine, starts its connectors, and starts the services,
 * each on its own connection to the bus (`connect()` gives a new client of the same broker).
 */
export async function startSample(
  engine: Engine,
  connect: () => Bus,
  options: SampleOptions = {},
): Promise<Sample> {
  const fetchGoodsFirst = options.fetchGoodsFirst ?? false;
  // The order, payment and tracking flows share this one engine, and its connectors.
  const baton = await startBatonEngine(engine, connect, {
    services: ['order', 'payment'],
    source: 'baton',
    fetchGoodsFirst,
    sla: options.sla,
    chargeRetryBackoffMs: options.chargeRetryBackoffMs,
    cardUpdateTimeout: options.cardUpdateTimeout,
    connectorLog: options.connectorLog,
  });
  const connectors = baton.connectors;
  const payment = baton.payment!;

  const buses: Bus[] = [];
  const busOf = (service: string) => {
    const bus = connect();
    buses.push(bus);
    return new ServiceBus(bus, service);
  };
  const ready = async () => Promise.all(buses.map((bus) => whenConnected(bus)));
  const choreography = { fetchGoodsFirst };
  const inventory = await InventoryService.start(busOf('inventory'), choreography);
  const shipping = await ShippingService.start(
    busOf('shipping'),
    options.carrier ?? delayCarrier(3_000, 45_000),
    choreography,
  );
  const notification = await NotificationService.start(busOf('notification'), options.print);
  const checkout = await CheckoutService.start(busOf('checkout'));
  await ready();

  return {
    checkout,
    payment,
    inventory,
    shipping,
    notification,
    connectors,
    state: () => ({
      checkout: checkout.state(),
      services: {
        payment: payment.state(),
        inventory: inventory.state(),
        shipping: shipping.state(),
        notification: notification.state(),
        'baton connectors': connectors.metrics.snapshot(),
      },
    }),
    stop: async () => {
      await checkout.stop();
      await baton.stop();
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
}
