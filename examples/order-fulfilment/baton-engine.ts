import type { Engine } from '@baton-engine/baton';
import type { Bus, ConnectorLog, InboundConfigInput, RunningConnectors } from '@baton-engine/connectors';
import { startConnectors } from '@baton-engine/connectors';
import { orderFlow } from './models/order-flow.js';
import { paymentFlow } from './models/payment-flow.js';
import { trackingFlow } from './models/tracking-flow.js';
import { ServiceBus, whenConnected } from './service-bus.js';
import { orderSubscriptions, resultSubscriptions } from './services/order.js';
import { PaymentService, paymentSubscriptions } from './services/payment.js';
import { startTrackingWorker, trackingSubscriptions } from './services/tracking.js';

/** The services of the sample whose flows run in Baton: the order service (with tracking) and payment. */
export type BatonService = 'order' | 'payment';

export interface BatonEngineOptions {
  /** Whose flows this engine runs: both in one engine (`npm run sample`), or one engine per service. */
  readonly services: readonly BatonService[];
  /** The connectors' `source`: the namespace of the ids it publishes, so one per engine sharing a bus. */
  readonly source: string;
  readonly fetchGoodsFirst?: boolean;
  /** The tracking flow's SLA (default 30 s). */
  readonly sla?: string;
  /** How long the payment flow waits for a new card (default 14 days). */
  readonly cardUpdateTimeout?: string;
  readonly chargeRetryBackoffMs?: number;
  /** After a crash, messages taken for publishing are published again once this passed (default 30 s). */
  readonly outboundJobTimeout?: number;
  readonly connectorLog?: ConnectorLog;
}

/** An engine running the sample's flows, its connectors and workers. */
export interface BatonEngine {
  readonly connectors: RunningConnectors;
  /** The payment service's own state, when this engine runs the payment flow. */
  readonly payment?: PaymentService;
  /** Takes the engine's services off the bus (connectors and bus clients stop; the engine and workers go on). */
  disconnect(): Promise<void>;
  /** Puts them back on the bus: the broker delivers what it kept meanwhile. */
  reconnect(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Deploys the flows of the given services to the engine, starts their workers and the engine's connectors (one
 * set per engine: it is the engine's outbox), each on its own client of the bus (`connect()`).
 */
export async function startBatonEngine(
  engine: Engine,
  connect: () => Bus,
  options: BatonEngineOptions,
): Promise<BatonEngine> {
  const runs = (service: BatonService) => options.services.includes(service);
  const fetchGoodsFirst = options.fetchGoodsFirst ?? false;
  const sla = options.sla ?? 'PT30S';
  await engine.deploy([
    ...(runs('order') ? [orderFlow({ fetchGoodsFirst }), trackingFlow({ sla })] : []),
    ...(runs('payment') ? [paymentFlow({ cardUpdateTimeout: options.cardUpdateTimeout })] : []),
  ]);
  const inbound: InboundConfigInput[] = [
    ...(runs('order') ? [...orderSubscriptions(), ...trackingSubscriptions(sla)] : []),
    ...(runs('payment') ? paymentSubscriptions({ fetchGoodsFirst }) : []),
    // The flows of the order service wait for the services' results (the payment flow for none of them).
    ...(runs('order') ? resultSubscriptions() : []),
  ];
  if (runs('order')) startTrackingWorker(engine);

  let buses: Bus[] = [];
  const open = () => {
    const bus = connect();
    buses.push(bus);
    return bus;
  };
  const startBus = () =>
    startConnectors(
      engine,
      {
        bus: { kind: 'memory' },
        source: options.source,
        inbound,
        modelSubscriptions: false,
        ...(options.outboundJobTimeout ? { outbound: { jobTimeout: options.outboundJobTimeout } } : {}),
      },
      { bus: open(), log: options.connectorLog },
    );
  let connectors = await startBus();
  const payment = runs('payment')
    ? await PaymentService.start(engine, new ServiceBus(open(), 'payment'), {
        chargeRetryBackoffMs: options.chargeRetryBackoffMs,
        fetchGoodsFirst,
      })
    : undefined;

  await Promise.all(buses.map((bus) => whenConnected(bus)));

  let connected = true;
  let stopped = false;
  const disconnect = async () => {
    if (!connected) return;
    connected = false;
    await connectors.stop();
    await Promise.all(buses.map((bus) => bus.close()));
    buses = [];
  };
  return {
    get connectors() {
      return connectors;
    },
    payment,
    disconnect,
    reconnect: async () => {
      if (connected || stopped) return;
      connected = true;
      connectors = await startBus();
      await payment?.listen(new ServiceBus(open(), 'payment'));
      await Promise.all(buses.map((bus) => whenConnected(bus)));
    },
    stop: async () => {
      stopped = true;
      await disconnect();
    },
  };
}
