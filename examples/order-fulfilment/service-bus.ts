import { randomUUID } from 'node:crypto';
import type { Bus, Envelope } from '@baton-engine/connectors';
import {
  createEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  ENVELOPE_CONTENT_TYPE,
} from '@baton-engine/connectors';

/** How the services of the sample talk: envelopes on the bus, handled at least once, de-duplicated by id. */
export class ServiceBus {
  private readonly seen = new Set<string>();
  /** Deliveries dropped because their envelope id was handled already (redeliveries, publishers retrying). */
  duplicates = 0;

  constructor(
    readonly bus: Bus,
    /** The service's name: the envelope `source`, and the prefix of its subscription groups. */
    readonly service: string,
  ) {}

  /** Publishes an event or command. `id` defaults to a new one; pass a stable one when re-sending the same. */
  async emit(
    subject: string,
    type: string,
    data: unknown,
    options: { id?: string; correlationId?: string; traceId?: string } = {},
  ): Promise<Envelope> {
    const envelope = createEnvelope({
      type,
      id: options.id ?? `${this.service}:${randomUUID()}`,
      source: this.service,
      data,
      correlationId: options.correlationId,
      traceId: options.traceId,
    });
    await this.bus.publish(subject, {
      id: envelope.id,
      headers: { 'content-type': ENVELOPE_CONTENT_TYPE },
      body: encodeEnvelope(envelope),
    });
    return envelope;
  }

  /**
   * Handles the envelopes on a subject (one durable group per service and purpose). A handler that throws
   * gets the message again later; one it finished is acknowledged, and the same id is not handled twice.
   */
  async on(
    subject: string,
    purpose: string,
    handler: (envelope: Envelope) => Promise<void> | void,
  ): Promise<void> {
    await this.bus.subscribe(subject, { group: `${this.service}.${purpose}` }, async (delivery) => {
      const decoded = decodeEnvelope(delivery.body, delivery.id);
      if (!decoded.ok || this.seen.has(decoded.envelope.id)) {
        if (decoded.ok) this.duplicates++;
        await delivery.ack();
        return;
      }
      try {
        await handler(decoded.envelope);
      } catch (error) {
        console.error(
          `${this.service}: handling ${decoded.envelope.type} failed, retrying: ${(error as Error).message}`,
        );
        await delivery.nack(1_000);
        return;
      }
      this.seen.add(decoded.envelope.id);
      await delivery.ack();
    });
  }
}

/** Resolves once the bus is connected; fails after `timeoutMs` saying which broker could not be reached. */
export function whenConnected(bus: Bus, timeoutMs = 15_000): Promise<void> {
  if (bus.state === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the ${bus.kind} bus did not connect within ${timeoutMs} ms: is the broker running?`));
    }, timeoutMs);
    const off = bus.onStateChange((state) => {
      if (state !== 'connected') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
