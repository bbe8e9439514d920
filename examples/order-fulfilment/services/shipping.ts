import type { Envelope } from '@baton-engine/connectors';
import type { OrderLine } from '../catalogue.js';
import { PRODUCTS } from '../catalogue.js';
import type { ServiceBus } from '../service-bus.js';

interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderLine[];
  readonly mode: string;
}

/** Hands the parcel to the carrier; resolves when it is on its way. */
export type Carrier = (order: Order) => Promise<void>;

/** A carrier that takes a few seconds, and longer for bulky goods. */
export function delayCarrier(normalMs: number, bulkyMs: number): Carrier {
  return (order) => {
    const bulky = order.items.some((l) => PRODUCTS.find((p) => p.sku === l.sku)?.bulky);
    return new Promise((resolve) => setTimeout(resolve, bulky ? bulkyMs : normalMs));
  };
}

/** The shipping service: its own shipments; ships on command, or when the previous step's event says so. */
export class ShippingService {
  readonly shipments = new Map<string, { status: 'with carrier' | 'shipped'; trackingId?: string }>();
  /** How often each order was handed to the carrier (once, unless something went wrong). */
  readonly handovers = new Map<string, number>();
  private readonly orders = new Map<string, Order>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly bus: ServiceBus,
    private readonly carrier: Carrier,
  ) {}

  static async start(
    bus: ServiceBus,
    carrier: Carrier,
    choreography: { fetchGoodsFirst: boolean },
  ): Promise<ShippingService> {
    const service = new ShippingService(bus, carrier);
    await bus.on('shipping.commands', 'commands', (envelope) => {
      if (envelope.type === 'shipping.ship-goods') service.ship(envelope.data as Order, envelope);
    });
    await bus.on('orders.placed', 'orders', (envelope) => {
      const order = envelope.data as Order;
      if (order.mode === 'choreographed') service.orders.set(order.orderId, order);
    });
    // Choreography: ship once the step before is done (goods fetched, or paid when goods are fetched first).
    const [subject, type] = choreography.fetchGoodsFirst
      ? ['payment.events', 'payment.received']
      : ['inventory.events', 'goods.fetched'];
    await bus.on(subject, 'choreography', (envelope) => {
      const { orderId, mode } = envelope.data as { orderId: string; mode: string };
      if (envelope.type !== type || mode !== 'choreographed') return;
      const order = service.orders.get(orderId);
      if (!order) throw new Error(`order ${orderId} not known yet`);
      service.ship(order, envelope);
    });
    return service;
  }

  /** Takes the order (acknowledged at once); the carrier's answer comes as goods.shipped later. */
  private ship(order: Order, cause: Envelope): void {
    if (this.shipments.has(order.orderId)) return;
    this.shipments.set(order.orderId, { status: 'with carrier' });
    this.handovers.set(order.orderId, (this.handovers.get(order.orderId) ?? 0) + 1);
    const done: Promise<void> = this.carrier(order)
      .then(async () => {
        const trackingId = `TRK-${order.orderId.toUpperCase()}`;
        this.shipments.set(order.orderId, { status: 'shipped', trackingId });
        await this.bus.emit(
          'shipping.events',
          'goods.shipped',
          { orderId: order.orderId, customerId: order.customerId, trackingId, mode: order.mode },
          { id: `shipping:shipped:${order.orderId}`, correlationId: order.orderId, traceId: cause.traceId },
        );
      })
      .catch((error: unknown) => console.error(`shipping: ${order.orderId}: ${(error as Error).message}`))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  state() {
    return { shipments: Object.fromEntries(this.shipments) };
  }
}
