import type { Envelope } from '@baton-engine/connectors';
import type { ServiceBus } from '../service-bus.js';

/** The notification service: "emails" customers (an inbox per customer, printed to the console). */
export class NotificationService {
  readonly inbox = new Map<string, string[]>();

  constructor(private readonly print: (line: string) => void) {}

  static async start(
    bus: ServiceBus,
    print: (line: string) => void = () => undefined,
  ): Promise<NotificationService> {
    const service = new NotificationService(print);
    await bus.on('notification.commands', 'commands', (e) => service.onEvent(e));
    await bus.on('orders.events', 'orders', (e) => service.onEvent(e));
    await bus.on('shipping.events', 'shipping', (e) => service.onEvent(e));
    await bus.on('payment.events', 'payment', (e) => service.onEvent(e));
    return service;
  }

  private onEvent(envelope: Envelope): void {
    const data = envelope.data as {
      orderId: string;
      customerId: string;
      reason?: string;
      trackingId?: string;
    };
    const text: Record<string, string> = {
      'notification.card-update-requested': `Your card was declined for order ${data.orderId}. Please update it within 14 days.`,
      'order.completed': `Order ${data.orderId} is complete. Thank you!`,
      'order.cancelled': `Order ${data.orderId} was cancelled: ${data.reason}.`,
      'goods.shipped': `Order ${data.orderId} is on its way (tracking ${data.trackingId}).`,
      'payment.failed': `We could not take the payment for order ${data.orderId}.`,
    };
    const message = text[envelope.type];
    if (!message || !data.customerId) return;
    const inbox = this.inbox.get(data.customerId) ?? [];
    inbox.push(message);
    this.inbox.set(data.customerId, inbox);
    this.print(`notification → ${data.customerId}: ${message}`);
  }

  state() {
    return { inbox: Object.fromEntries(this.inbox) };
  }
}
