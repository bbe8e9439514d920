import type { Engine } from '@baton-engine/baton';
import { BpmnError } from '@baton-engine/baton';
import type { InboundConfigInput } from '@baton-engine/connectors';
import { CUSTOMERS } from '../catalogue.js';
import type { ServiceBus } from '../service-bus.js';

type Card = 'ok' | 'flaky' | 'declined';

export interface PaymentOptions {
  /** Wait between attempts to charge a card that failed transiently (default 10 minutes). */
  readonly chargeRetryBackoffMs?: number;
  /** The choreography's variant (see README): with goods fetched first, no payment precedes unavailable goods. */
  readonly fetchGoodsFirst?: boolean;
}

/** A movement of money, as the payment service's books record it. */
export interface LedgerEntry {
  readonly orderId: string;
  readonly customerId: string;
  readonly kind: 'credit-deducted' | 'credit-returned' | 'card-charged' | 'card-refunded';
  readonly amount: number;
}

/**
 * The payment service: its flow runs in Baton (models/payment-flow.ts); its workers keep its own state
 * (customer credit, cards on file, what was deducted and charged per order, and a ledger of every movement).
 */
export class PaymentService {
  readonly credit = new Map(CUSTOMERS.map((c) => [c.id, c.credit]));
  readonly cards = new Map<string, Card>(CUSTOMERS.map((c) => [c.id, c.card]));
  readonly deducted = new Map<string, number>();
  readonly charged = new Map<string, number>();
  readonly refunded = new Set<string>();
  /** Every movement of money, in order. */
  readonly ledger: LedgerEntry[] = [];
  private readonly transientFailures = new Map<string, number>();
  private bus: ServiceBus | undefined;

  constructor(private readonly options: PaymentOptions = {}) {}

  /** Starts the workers of the payment flow on the engine and listens to the bus. */
  static async start(engine: Engine, bus: ServiceBus, options: PaymentOptions = {}): Promise<PaymentService> {
    const service = new PaymentService(options);
    engine.createWorker<{ orderId: string; customerId: string; amount: number }>({
      type: 'payment.deduct-credit',
      handler: (job) => service.deductCredit(job.variables),
    });
    engine.createWorker<{ orderId: string; customerId: string }>({
      type: 'payment.refund-credit',
      handler: (job) => service.refundCredit(job.variables),
    });
    engine.createWorker<{ orderId: string; customerId: string; remaining: number; newCard?: Card }>({
      type: 'payment.charge-card',
      retryBackoff: options.chargeRetryBackoffMs ?? 600_000,
      handler: (job) => service.chargeCard(job.variables),
    });
    await service.listen(bus);
    return service;
  }

  /** Takes the refund commands (and, in the choreography, unavailable goods) from the bus, e.g. after an outage. */
  async listen(bus: ServiceBus): Promise<void> {
    this.bus = bus;
    await bus.on('payment.commands', 'refunds', async (envelope) => {
      if (envelope.type !== 'payment.refund') return;
      const { orderId, customerId } = envelope.data as { orderId: string; customerId: string };
      await this.refund(orderId, customerId, envelope.traceId);
    });
    if (!this.options.fetchGoodsFirst) {
      // Choreography: paid, then the goods were not there; nobody commands the refund, the event is the cue.
      await bus.on('inventory.events', 'unavailable-goods', async (envelope) => {
        const { orderId, customerId, mode } = envelope.data as {
          orderId: string;
          customerId: string;
          mode: string;
        };
        if (envelope.type !== 'goods.unavailable' || mode !== 'choreographed') return;
        await this.refund(orderId, customerId, envelope.traceId);
      });
    }
  }

  private record(orderId: string, customerId: string, kind: LedgerEntry['kind'], amount: number): void {
    if (amount > 0) this.ledger.push({ orderId, customerId, kind, amount });
  }

  private deductCredit({
    orderId,
    customerId,
    amount,
  }: {
    orderId: string;
    customerId: string;
    amount: number;
  }) {
    // Idempotent per order: a job that comes back after a crash does not deduct twice.
    const used = this.deducted.get(orderId) ?? Math.min(this.credit.get(customerId) ?? 0, amount);
    if (!this.deducted.has(orderId)) {
      this.deducted.set(orderId, used);
      this.credit.set(customerId, (this.credit.get(customerId) ?? 0) - used);
      this.record(orderId, customerId, 'credit-deducted', used);
    }
    return { creditUsed: used, remaining: amount - used };
  }

  private refundCredit({ orderId, customerId }: { orderId: string; customerId: string }) {
    const used = this.deducted.get(orderId);
    if (used === undefined) return {};
    this.deducted.delete(orderId);
    this.credit.set(customerId, (this.credit.get(customerId) ?? 0) + used);
    this.record(orderId, customerId, 'credit-returned', used);
    return { creditRefunded: used };
  }

  private chargeCard(v: { orderId: string; customerId: string; remaining: number; newCard?: Card }) {
    if (v.newCard) this.cards.set(v.customerId, v.newCard);
    const card = this.cards.get(v.customerId);
    if (card === 'declined')
      throw new BpmnError('CARD_DECLINED', `the issuer declined ${v.customerId}'s card`);
    if (card === 'flaky') {
      const failures = (this.transientFailures.get(v.orderId) ?? 0) + 1;
      this.transientFailures.set(v.orderId, failures);
      // A gateway time-out: the job fails, waits its back-off and is tried again (retries for hours).
      if (failures <= 2) throw new Error(`card gateway timed out (attempt ${failures})`);
    }
    this.charged.set(v.orderId, v.remaining);
    this.record(v.orderId, v.customerId, 'card-charged', v.remaining);
    return { cardCharged: v.remaining };
  }

  /** The compensation of a paid order: give back what it cost (credit and card), once. */
  private async refund(orderId: string, customerId: string, traceId?: string): Promise<void> {
    if (!this.refunded.has(orderId)) {
      this.refundCredit({ orderId, customerId });
      this.record(orderId, customerId, 'card-refunded', this.charged.get(orderId) ?? 0);
      this.charged.delete(orderId);
      this.refunded.add(orderId);
    }
    await this.bus!.emit(
      'payment.events',
      'payment.refunded',
      { orderId, customerId },
      {
        id: `payment:refunded:${orderId}`,
        correlationId: orderId,
        traceId,
      },
    );
  }

  state() {
    return {
      credit: Object.fromEntries(this.credit),
      cards: Object.fromEntries(this.cards),
      deducted: Object.fromEntries(this.deducted),
      charged: Object.fromEntries(this.charged),
    };
  }
}

/** What the payment flow listens to on the bus (the engine's inbound subscriptions). */
export function paymentSubscriptions(choreography: { fetchGoodsFirst: boolean }): InboundConfigInput[] {
  const start = {
    messageName: 'payment.retrieve',
    correlationKey: '=data.orderId',
    variables:
      '={ orderId: data.orderId, customerId: data.customerId, amount: data.amount, mode: data.mode, traceId: traceId }',
  };
  return [
    {
      name: 'payment: retrieve payment (command)',
      subject: 'payment.commands',
      group: 'payment.retrieve-commands',
      activationCondition: '=type = "payment.retrieve"',
      correlate: start,
    },
    {
      name: 'payment: card updated',
      subject: 'customer.events',
      group: 'payment.card-updates',
      activationCondition: '=type = "card.updated"',
      correlate: {
        messageName: 'card.updated',
        correlationKey: '=data.orderId',
        variables: '={ newCard: data.card }',
      },
    },
    choreography.fetchGoodsFirst
      ? {
          name: 'payment: goods fetched (choreography)',
          subject: 'inventory.events',
          group: 'payment.choreography',
          activationCondition: '=type = "goods.fetched" and data.mode = "choreographed"',
          correlate: start,
        }
      : {
          name: 'payment: order placed (choreography)',
          subject: 'orders.placed',
          group: 'payment.choreography',
          activationCondition: '=data.mode = "choreographed"',
          correlate: start,
        },
  ];
}
