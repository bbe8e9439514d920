import type { Envelope } from '@baton-engine/connectors';
import type { OrderLine } from '../catalogue.js';
import { PRODUCTS, priceOf } from '../catalogue.js';
import type { ServiceBus } from '../service-bus.js';

interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderLine[];
  readonly amount: number;
  readonly mode: string;
}

/** The inventory service: stock and reservations of its own; answers commands, or reacts to events. */
export class InventoryService {
  readonly stock: Map<string, number>;
  readonly reserved = new Map<string, readonly OrderLine[]>();
  /** How often goods were taken off the shelf for each order (once, unless something went wrong). */
  readonly picks = new Map<string, number>();
  /** Choreography: what it learned from `order.placed`, since later events do not carry the items. */
  private readonly orders = new Map<string, Order>();

  constructor(
    private readonly bus: ServiceBus,
    stock: Readonly<Record<string, number>> = {},
  ) {
    this.stock = new Map(PRODUCTS.map((p) => [p.sku, stock[p.sku] ?? p.stock]));
  }

  static async start(
    bus: ServiceBus,
    choreography: { fetchGoodsFirst: boolean },
    options: { stock?: Readonly<Record<string, number>> } = {},
  ): Promise<InventoryService> {
    const service = new InventoryService(bus, options.stock);
    // Orchestration: commands from the order flow.
    await bus.on('inventory.commands', 'commands', async (envelope) => {
      const order = envelope.data as Order;
      if (envelope.type === 'inventory.fetch-goods') await service.fetch(order, envelope);
      if (envelope.type === 'inventory.return-goods') service.putBack(order.orderId);
    });
    // Choreography: events from the other services.
    await bus.on('orders.placed', 'orders', async (envelope) => {
      const order = envelope.data as Order;
      if (order.mode !== 'choreographed') return;
      service.orders.set(order.orderId, order);
      if (choreography.fetchGoodsFirst) await service.fetch(order, envelope);
    });
    await bus.on('payment.events', 'payments', async (envelope) => {
      const { orderId, mode } = envelope.data as { orderId: string; mode: string };
      if (mode !== 'choreographed') return;
      if (envelope.type === 'payment.received' && !choreography.fetchGoodsFirst) {
        await service.fetch(service.known(orderId), envelope);
      }
      // Goods fetched before a payment that then failed go back to the shelf: the fourth change.
      if (envelope.type === 'payment.failed' && choreography.fetchGoodsFirst) service.putBack(orderId);
    });
    return service;
  }

  private known(orderId: string): Order {
    const order = this.orders.get(orderId);
    // Events may overtake one another: try again later, when order.placed has arrived.
    if (!order) throw new Error(`order ${orderId} not known yet`);
    return order;
  }

  private async fetch(order: Order, cause: Envelope): Promise<void> {
    const items = order.items;
    const reserved = this.reserved.get(order.orderId);
    const available =
      reserved !== undefined || items.every((l) => (this.stock.get(l.sku) ?? 0) >= l.quantity);
    if (available && !reserved) {
      for (const line of items) this.stock.set(line.sku, this.stock.get(line.sku)! - line.quantity);
      this.reserved.set(order.orderId, items);
      this.picks.set(order.orderId, (this.picks.get(order.orderId) ?? 0) + 1);
    }
    const type = available ? 'goods.fetched' : 'goods.unavailable';
    await this.bus.emit(
      'inventory.events',
      type,
      {
        orderId: order.orderId,
        customerId: order.customerId,
        items,
        amount: order.amount ?? priceOf(items),
        mode: order.mode,
        ...(available ? {} : { reason: 'not enough in stock' }),
      },
      { id: `inventory:${type}:${order.orderId}`, correlationId: order.orderId, traceId: cause.traceId },
    );
  }

  private putBack(orderId: string): void {
    const items = this.reserved.get(orderId);
    if (!items) return;
    for (const line of items) this.stock.set(line.sku, (this.stock.get(line.sku) ?? 0) + line.quantity);
    this.reserved.delete(orderId);
  }

  state() {
    return { stock: Object.fromEntries(this.stock), reserved: Object.fromEntries(this.reserved) };
  }
}
