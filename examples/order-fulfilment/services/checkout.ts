import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Envelope } from '@baton-engine/connectors';
import type { OrderLine } from '../catalogue.js';
import { CUSTOMERS, PRODUCTS, priceOf } from '../catalogue.js';
import type { ServiceBus } from '../service-bus.js';
import { checkoutPage } from './checkout-page.js';

export type Mode = 'orchestrated' | 'choreographed';

/** An order as the checkout sees it: what was ordered, and what it heard happen since. */
export interface OrderView {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderLine[];
  readonly amount: number;
  readonly mode: Mode;
  readonly placedAt: string;
  status: string;
  done: boolean;
  waitingForCard: boolean;
  readonly history: { time: string; type: string; source: string }[];
}

const STATUS: Record<string, string> = {
  'payment.received': 'paid',
  'payment.failed': 'payment failed',
  'payment.refunded': 'refunded',
  'notification.card-update-requested': 'waiting for a new card',
  'goods.fetched': 'goods fetched',
  'goods.unavailable': 'goods unavailable',
  'goods.shipped': 'shipped',
  'order.completed': 'completed',
  'order.cancelled': 'cancelled',
};

/**
 * The checkout service: places orders (`order.placed` on the bus) from a small web page, and follows what happens
 * to them by listening to the other services' events.
 */
export class CheckoutService {
  readonly orders = new Map<string, OrderView>();
  private counter = 0;
  private readonly run = Date.now().toString(36).slice(-4);
  private server: Server | undefined;

  constructor(private readonly bus: ServiceBus) {}

  static async start(bus: ServiceBus): Promise<CheckoutService> {
    const service = new CheckoutService(bus);
    for (const subject of [
      'orders.events',
      'payment.events',
      'inventory.events',
      'shipping.events',
      'notification.commands',
    ]) {
      await bus.on(subject, subject.split('.')[0]!, (e) => service.onEvent(e));
    }
    return service;
  }

  async placeOrder(customerId: string, items: readonly OrderLine[], mode: Mode): Promise<OrderView> {
    if (!CUSTOMERS.some((c) => c.id === customerId)) throw new RangeError(`unknown customer '${customerId}'`);
    if (
      items.length === 0 ||
      items.some((l) => !PRODUCTS.some((p) => p.sku === l.sku) || !(l.quantity > 0))
    ) {
      throw new RangeError('an order needs items of the catalogue with a positive quantity');
    }
    const orderId = `o-${this.run}-${++this.counter}`;
    const order: OrderView = {
      orderId,
      customerId,
      items,
      amount: priceOf(items),
      mode,
      placedAt: new Date().toISOString(),
      status: 'placed',
      done: false,
      waitingForCard: false,
      history: [],
    };
    this.orders.set(orderId, order);
    const envelope = await this.bus.emit(
      'orders.placed',
      'order.placed',
      { orderId, customerId, items, amount: order.amount, mode },
      { id: `checkout:placed:${orderId}`, correlationId: orderId, traceId: randomTraceId() },
    );
    order.history.push({ time: envelope.time, type: envelope.type, source: envelope.source });
    return order;
  }

  /** The customer enters a new card for an order whose payment waits for one. */
  async updateCard(orderId: string): Promise<void> {
    const order = this.orders.get(orderId);
    if (!order) throw new RangeError(`unknown order '${orderId}'`);
    order.waitingForCard = false;
    order.status = 'card updated';
    await this.bus.emit(
      'customer.events',
      'card.updated',
      { orderId, customerId: order.customerId, card: 'ok' },
      { correlationId: orderId },
    );
  }

  private onEvent(envelope: Envelope): void {
    const data = envelope.data as { orderId?: string; reason?: string };
    const order = data.orderId ? this.orders.get(data.orderId) : undefined;
    const status = STATUS[envelope.type];
    if (!order || !status) return;
    order.history.push({ time: envelope.time, type: envelope.type, source: envelope.source });
    if (order.done) return;
    order.status = envelope.type === 'order.cancelled' ? `cancelled: ${data.reason}` : status;
    order.waitingForCard = envelope.type === 'notification.card-update-requested';
    const final =
      order.mode === 'orchestrated'
        ? ['order.completed', 'order.cancelled']
        : ['goods.shipped', 'payment.failed', 'goods.unavailable'];
    if (final.includes(envelope.type)) order.done = true;
  }

  /** Serves the checkout page and its small JSON API. */
  async listen(port: number, state: () => unknown): Promise<number> {
    this.server = createServer((req, res) => {
      this.route(req, res, state).catch((error: unknown) =>
        send(res, 400, { error: (error as Error).message }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  private async route(req: IncomingMessage, res: ServerResponse, state: () => unknown): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(checkoutPage());
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/state') return send(res, 200, state());
    if (req.method === 'POST' && url.pathname === '/api/orders') {
      const body = (await readJson(req)) as { customerId: string; items: OrderLine[]; mode: Mode };
      const order = await this.placeOrder(
        body.customerId,
        body.items,
        body.mode === 'choreographed' ? 'choreographed' : 'orchestrated',
      );
      return send(res, 201, order);
    }
    const card = /^\/api\/orders\/([^/]+)\/new-card$/.exec(url.pathname);
    if (req.method === 'POST' && card) {
      await this.updateCard(decodeURIComponent(card[1]!));
      return send(res, 202, {});
    }
    send(res, 404, { error: 'not found' });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  state() {
    return { orders: [...this.orders.values()].reverse() };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text || '{}');
}

function randomTraceId(): string {
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}
