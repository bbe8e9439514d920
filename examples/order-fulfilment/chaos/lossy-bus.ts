import type { Bus, Delivery } from '@baton-engine/connectors';

/** A small seeded random generator (mulberry32): a chaos run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A bus client whose acknowledgements get lost now and then: the consumer handled the message, but the broker
 * never hears of it and delivers it again, as after a network blip or a consumer that died right after its work.
 * Every consumer on it must thus cope with a message it has handled already.
 */
export class LossyBus implements Bus {
  /** Acknowledgements turned into redeliveries so far. */
  lostAcks = 0;

  constructor(
    private readonly inner: Bus,
    private readonly random: () => number,
    /** The share of acknowledgements that get lost (0 to 1). */
    private readonly rate: number,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  get state() {
    return this.inner.state;
  }

  onStateChange(...args: Parameters<Bus['onStateChange']>) {
    return this.inner.onStateChange(...args);
  }

  publish(...args: Parameters<Bus['publish']>) {
    return this.inner.publish(...args);
  }

  declareGroup(...args: Parameters<Bus['declareGroup']>) {
    return this.inner.declareGroup(...args);
  }

  subscribe(...[subject, options, handler]: Parameters<Bus['subscribe']>) {
    return this.inner.subscribe(subject, options, (delivery) => {
      const lossy: Delivery = {
        id: delivery.id,
        subject: delivery.subject,
        headers: delivery.headers,
        body: delivery.body,
        redelivered: delivery.redelivered,
        ack: async () => {
          if (this.random() >= this.rate) return delivery.ack();
          this.lostAcks++;
          return delivery.nack(0);
        },
        nack: (delayMs) => delivery.nack(delayMs),
      };
      return handler(lossy);
    });
  }

  close() {
    return this.inner.close();
  }
}
