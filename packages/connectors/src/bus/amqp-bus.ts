import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type {
  Bus,
  BusState,
  BusSubscription,
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
} from './bus.js';
import { BusUnavailableError, runHandler, StateNotifier } from './bus.js';
import { checkPattern, checkSubject, safeName } from './subjects.js';
import { Backoff, sleep } from '../util/backoff.js';

export interface AmqpBusOptions {
  /** Default `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url?: string;
  /** The topic exchange messages are published to (default `baton`); declared durable when missing. */
  readonly exchange?: string;
  /** Each group is a durable queue named `<queuePrefix><group>` (default prefix `baton.`). */
  readonly queuePrefix?: string;
  /** A publish not confirmed within this long fails with `BusUnavailableError` (default 5 s). */
  readonly publishTimeoutMs?: number;
  /** AMQP heartbeat in seconds: how fast a silently dead connection is noticed (default 10). */
  readonly heartbeatSeconds?: number;
  /** Deletes a group's queue after it had no subscriber for this long (RabbitMQ `x-expires`; default never). */
  readonly queueExpiresMs?: number;
}

/**
 * The `Bus` on RabbitMQ (AMQP 0-9-1): publishes go to a durable topic exchange through a confirm channel,
 * persistent, with the id as `message-id`; each group is a durable queue bound to the exchange with the
 * subject as routing key (`>` becomes `#`), consumed with manual acks. Reconnects in the background.
 */
export class AmqpBus implements Bus {
  readonly kind = 'amqp';
  private readonly notifier = new StateNotifier();
  readonly exchange: string;
  private model: ChannelModel | undefined;
  private publisher: ConfirmChannel | undefined;
  private readonly subscriptions = new Set<AmqpSubscription>();
  private closed = false;
  private readonly connecting: Promise<void>;

  constructor(private readonly options: AmqpBusOptions = {}) {
    this.exchange = options.exchange ?? 'baton';
    this.connecting = this.connectLoop();
  }

  get state(): BusState {
    return this.notifier.state;
  }

  onStateChange(listener: (state: BusState, reason?: string) => void): () => void {
    return this.notifier.on(listener);
  }

  /** Resolves once the bus is connected (or closed). */
  async ready(): Promise<void> {
    while (!this.closed && this.state !== 'connected') {
      await new Promise<void>((resolve) => {
        const off = this.notifier.on(() => {
          off();
          resolve();
        });
      });
    }
  }

  private url(): string {
    const url = new URL(this.options.url ?? 'amqp://guest:guest@127.0.0.1:5672');
    if (!url.searchParams.has('heartbeat'))
      url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds ?? 10));
    return url.toString();
  }

  private async connectLoop(): Promise<void> {
    const backoff = new Backoff(250, 5_000);
    while (!this.closed) {
      let model: ChannelModel;
      let lost: Promise<string>;
      try {
        model = await amqp.connect(this.url(), { timeout: 5_000 });
        lost = new Promise<string>((resolve) => {
          model.on('error', (error: Error) => resolve(error.message));
          model.on('close', (error?: Error) => resolve(error?.message ?? 'connection closed'));
        });
        const publisher = await model.createConfirmChannel();
        publisher.on('error', () => undefined);
        publisher.on('close', () => {
          // A channel error (e.g. a missing exchange) closes only the channel: drop the connection to start over.
          if (this.publisher === publisher && !this.closed) void model.close().catch(() => undefined);
        });
        await publisher.assertExchange(this.exchange, 'topic', { durable: true });
        this.model = model;
        this.publisher = publisher;
      } catch (error) {
        this.notifier.set('disconnected', (error as Error).message);
        await sleep(backoff.next());
        continue;
      }
      if (this.closed) {
        await model.close().catch(() => undefined);
        return;
      }
      backoff.reset();
      this.notifier.set('connected');
      for (const subscription of this.subscriptions) void subscription.attach(model);
      const reason = await lost;
      this.model = undefined;
      this.publisher = undefined;
      for (const subscription of this.subscriptions) subscription.detach();
      this.notifier.set('disconnected', reason);
      if (!this.closed) await sleep(backoff.next());
    }
  }

  async publish(subject: string, message: OutgoingMessage): Promise<void> {
    checkSubject(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    const channel = this.publisher;
    if (this.state !== 'connected' || !channel) throw new BusUnavailableError('RabbitMQ is not connected');
    const timeoutMs = this.options.publishTimeoutMs ?? 5_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new BusUnavailableError(`RabbitMQ did not confirm the publish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      try {
        channel.publish(
          this.exchange,
          subject,
          Buffer.from(message.body),
          {
            messageId: message.id,
            headers: { ...message.headers },
            persistent: true,
            timestamp: Math.floor(Date.now() / 1000),
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (error) reject(new BusUnavailableError(`RabbitMQ refused the publish: ${String(error)}`));
            else resolve();
          },
        );
      } catch (error) {
        clearTimeout(timer);
        reject(new BusUnavailableError(`RabbitMQ publish failed: ${(error as Error).message}`));
      }
    });
  }

  async subscribe(
    subject: string,
    options: SubscribeOptions,
    handler: DeliveryHandler,
  ): Promise<BusSubscription> {
    checkPattern(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    const subscription = new AmqpSubscription(this, subject, options, handler);
    this.subscriptions.add(subscription);
    if (this.model) await subscription.attach(this.model);
    return subscription;
  }

  async declareGroup(subject: string, options: SubscribeOptions): Promise<void> {
    checkPattern(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    const model = this.model;
    if (this.state !== 'connected' || !model) throw new BusUnavailableError('RabbitMQ is not connected');
    // A channel of its own: a refusal closes the channel it happened on, and that must not be the publisher's.
    let channel: Channel | undefined;
    try {
      channel = await model.createChannel();
      channel.on('error', () => undefined);
      await this.declareQueue(channel, subject, options.group);
    } catch (error) {
      throw new BusUnavailableError(`RabbitMQ did not create the group: ${(error as Error).message}`);
    } finally {
      await channel?.close().catch(() => undefined);
    }
  }

  /** @internal The queue of a group. */
  queueOf(group: string): string {
    return `${this.options.queuePrefix ?? 'baton.'}${safeName(group)}`;
  }

  /** @internal Declares a group's durable queue and binds it to the exchange with the subject. */
  async declareQueue(channel: Channel, subject: string, group: string): Promise<void> {
    const queue = this.queueOf(group);
    const expires = this.options.queueExpiresMs;
    await channel.assertQueue(queue, {
      durable: true,
      ...(expires ? { arguments: { 'x-expires': expires } } : {}),
    });
    await channel.bindQueue(queue, this.exchange, routingPattern(subject));
  }

  /** @internal */
  forget(subscription: AmqpSubscription): void {
    this.subscriptions.delete(subscription);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.model?.close().catch(() => undefined);
    this.notifier.set('disconnected', 'closed');
    await this.connecting;
  }
}

/** One subscriber of a group: a channel consuming the group's queue while connected. */
class AmqpSubscription implements BusSubscription {
  readonly group: string;
  readonly queue: string;
  private channel: Channel | undefined;
  private closed = false;

  constructor(
    private readonly bus: AmqpBus,
    readonly subject: string,
    options: SubscribeOptions,
    private readonly handler: DeliveryHandler,
  ) {
    this.group = options.group;
    this.queue = bus.queueOf(options.group);
    this.maxInFlight = options.maxInFlight ?? 64;
  }

  private readonly maxInFlight: number;

  async attach(model: ChannelModel): Promise<void> {
    if (this.closed || this.channel) return;
    let channel: Channel;
    try {
      channel = await model.createChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => {
        if (this.channel === channel) this.detach();
      });
      await channel.prefetch(this.maxInFlight);
      await this.bus.declareQueue(channel, this.subject, this.group);
      this.channel = channel;
      await channel.consume(this.queue, (msg) => this.deliver(channel, msg), { noAck: false });
    } catch {
      // The connection went while setting up: the bus attaches again when it is back.
      this.channel = undefined;
      return;
    }
    if (this.closed) await this.release();
  }

  detach(): void {
    this.channel = undefined;
  }

  private deliver(channel: Channel, msg: ConsumeMessage | null): void {
    if (!msg) {
      // The broker cancelled the consumer (queue deleted): attach again on the next connection.
      this.detach();
      return;
    }
    let settled = false;
    const current = () => this.channel === channel;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(msg.properties.headers ?? {})) headers[name] = String(value);
    const delivery: Delivery = {
      id: String(msg.properties.messageId ?? ''),
      subject: msg.fields.routingKey,
      headers,
      body: new Uint8Array(msg.content),
      redelivered: msg.fields.redelivered,
      ack: async () => {
        if (settled) return;
        settled = true;
        // On a channel that is gone the broker has put the message back already.
        if (current()) channel.ack(msg);
      },
      nack: async (delayMs = 0) => {
        if (settled) return;
        settled = true;
        const requeue = () => {
          if (current()) channel.nack(msg, false, true);
        };
        if (delayMs > 0) setTimeout(requeue, delayMs).unref();
        else requeue();
      },
    };
    void runHandler(this.handler, delivery, () => settled);
  }

  private async release(): Promise<void> {
    const channel = this.channel;
    this.detach();
    if (!channel) return;
    // Closing the channel gives every unacknowledged delivery back to the queue.
    await channel.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.bus.forget(this);
    await this.release();
  }
}

/** A RabbitMQ bus; it connects in the background (see `AmqpBus.ready()`). */
export function createAmqpBus(options: AmqpBusOptions = {}): AmqpBus {
  return new AmqpBus(options);
}

/** A subscription subject as an AMQP topic binding: `*` is the same, a final `>` (one or more) is `*.#`. */
function routingPattern(subject: string): string {
  return subject.endsWith('>') ? `${subject.slice(0, -1)}*.#` : subject;
}
