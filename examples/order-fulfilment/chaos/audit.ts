import type { Bus, DeadLetter } from '@baton-engine/connectors';
import { decodeEnvelope, readDeadLetter } from '@baton-engine/connectors';

/** Every subject the sample's services and flows talk on. */
export const SUBJECTS = [
  'orders.placed',
  'orders.events',
  'payment.commands',
  'payment.events',
  'inventory.commands',
  'inventory.events',
  'shipping.commands',
  'shipping.events',
  'notification.commands',
  'customer.events',
] as const;

/** Marks a copy the audit published again, so that it does not copy its copies. */
const COPY = ':copy';

export interface AuditOptions {
  readonly random: () => number;
  /** The share of messages published again, with the same envelope and a new broker id (0 to 1). */
  readonly duplicateRate: number;
  /** Copies go out after a random delay up to this long, so that some arrive long after the original. */
  readonly maxDelayMs: number;
}

/**
 * Watches every subject in groups of its own, as an auditor would: which envelopes (by id) were said about each
 * order, of which type. It also injects duplicate deliveries: a share of the messages is published again, the
 * same envelope under a new broker id, so that JetStream does not drop it and every consumer sees it twice.
 */
export class Audit {
  private readonly byOrder = new Map<string, Map<string, Set<string>>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Copies published (duplicate deliveries injected). */
  duplicatesInjected = 0;
  /** Envelopes seen, copies included. */
  seen = 0;

  private constructor(
    private readonly bus: Bus,
    private readonly options: AuditOptions,
  ) {}

  static async start(bus: Bus, options: AuditOptions): Promise<Audit> {
    const audit = new Audit(bus, options);
    for (const subject of SUBJECTS) {
      await bus.subscribe(subject, { group: `chaos-audit.${subject}` }, async (delivery) => {
        const decoded = decodeEnvelope(delivery.body, delivery.id);
        const orderId = decoded.ok ? (decoded.envelope.data as { orderId?: unknown })?.orderId : undefined;
        if (decoded.ok && typeof orderId === 'string') {
          audit.seen++;
          audit.record(orderId, decoded.envelope.type, decoded.envelope.id);
          if (!delivery.id.endsWith(COPY) && audit.options.random() < audit.options.duplicateRate) {
            audit.copy(subject, delivery.id, delivery.headers, delivery.body);
          }
        }
        await delivery.ack();
      });
    }
    return audit;
  }

  private record(orderId: string, type: string, id: string): void {
    const types = this.byOrder.get(orderId) ?? new Map<string, Set<string>>();
    this.byOrder.set(orderId, types);
    const ids = types.get(type) ?? new Set<string>();
    types.set(type, ids);
    ids.add(id);
  }

  private copy(subject: string, id: string, headers: Readonly<Record<string, string>>, body: Uint8Array) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      const sent: Promise<void> = this.bus
        .publish(subject, { id: `${id}${COPY}`, headers, body })
        .then(() => void this.duplicatesInjected++)
        .catch(() => undefined)
        .finally(() => this.pending.delete(sent));
      this.pending.add(sent);
    }, this.options.random() * this.options.maxDelayMs);
    this.timers.add(timer);
  }

  /** The distinct envelope ids of a type said about an order. */
  ids(orderId: string, type: string): ReadonlySet<string> {
    return this.byOrder.get(orderId)?.get(type) ?? new Set();
  }

  /** The types said about an order, each with its number of distinct envelopes. */
  types(orderId: string): Map<string, number> {
    return new Map(
      [...(this.byOrder.get(orderId) ?? new Map<string, Set<string>>())].map(([t, ids]) => [t, ids.size]),
    );
  }

  /** Stops injecting; resolves once the copies under way are out. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.pending);
  }
}

/** Reads the dead letters of some connectors (by their dead-letter subject and group), distinct by their id. */
export async function readDeadLetters(bus: Bus, subjects: readonly string[]) {
  const letters = new Map<string, DeadLetter>();
  for (const subject of subjects) {
    await bus.subscribe(subject, { group: subject }, async (delivery) => {
      const letter = readDeadLetter(delivery);
      if (letter) letters.set(delivery.id, letter);
      await delivery.ack();
    });
  }
  return letters;
}
